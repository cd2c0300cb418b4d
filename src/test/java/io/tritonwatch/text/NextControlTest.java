package io.tritonwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sixteen-bytes-at-a-time search for the next control byte finds what a plain loop finds. */
class NextControlTest {

  private static int plain(byte[] b, int i, int n) {
    for (; i < n; i++) {
      if ((b[i] & 0xff) < 0x20) {
        return i;
      }
    }
    return n;
  }

  @Test
  void agreesWithAPlainLoop() {
    Random r = new Random(3);
    byte[] special = {'\n', '\r', '\t', 0, 0x1b, 0x1f, 0x20, 0x21, 0x7f, (byte) 0x80, (byte) 0x9f, (byte) 0xa0, (byte) 0xff};
    for (int round = 0; round < 50_000; round++) {
      byte[] b = new byte[1 + r.nextInt(80)];
      for (int i = 0; i < b.length; i++) {
        // Sparse control bytes, as in real text, and sometimes none at all.
        b[i] = r.nextInt(12) == 0 ? special[r.nextInt(special.length)] : (byte) (0x20 + r.nextInt(0x5f));
      }
      int from = r.nextInt(b.length);
      int to = from + r.nextInt(b.length - from + 1);
      assertEquals(plain(b, from, to), ByteSearch.control(b, from, to), "from " + from + " to " + to);
    }
  }

  @Test
  void findsEveryPositionInALongRun() {
    for (int pos = 0; pos < 64; pos++) {
      byte[] b = new byte[64];
      java.util.Arrays.fill(b, (byte) 'a');
      b[pos] = '\n';
      assertEquals(pos, ByteSearch.control(b, 0, 64));
      assertEquals(pos < 63 ? 64 : 64, ByteSearch.control(b, pos + 1, 64));
    }
  }
}
