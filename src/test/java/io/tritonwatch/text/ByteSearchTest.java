package io.tritonwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {

  private static int naive(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return to;
  }

  private static int naiveQuote(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '"' || b[i] == '\\') {
        return i;
      }
    }
    return to;
  }

  @Test
  void findsTheFirstQuoteOrBackslashAmongAnyBytes() {
    Random r = new Random(11);
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[r.nextInt(64)];
      for (int i = 0; i < b.length; i++) {
        int pick = r.nextInt(12);
        b[i] = (byte) (pick == 0 ? '"' : pick == 1 ? '\\' : pick == 2 ? 0x21 : pick == 3 ? 0x5d : pick == 4 ? 0xa2
            : pick == 5 ? 0 : pick == 6 ? 0xdc : r.nextInt(256));
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
      int to = from + (b.length == from ? 0 : r.nextInt(b.length - from + 1));
      assertEquals(naiveQuote(b, from, to), ByteSearch.quoteOrBackslash(b, from, to));
    }
  }

  @Test
  void comparesRunsOfAnyLengthAtAnyOffset() {
    Random r = new Random(5);
    for (int round = 0; round < 20_000; round++) {
      int len = r.nextInt(40);
      byte[] a = new byte[len + r.nextInt(9)];
      byte[] b = new byte[len + r.nextInt(9)];
      int aFrom = a.length - len == 0 ? 0 : r.nextInt(a.length - len + 1);
      int bFrom = b.length - len == 0 ? 0 : r.nextInt(b.length - len + 1);
      for (int k = 0; k < len; k++) {
        a[aFrom + k] = b[bFrom + k] = (byte) r.nextInt(256);
      }
      assertTrue(ByteSearch.same(a, aFrom, b, bFrom, len));
      if (len > 0) {
        int at = r.nextInt(len);
        b[bFrom + at] ^= (byte) (1 << r.nextInt(8));
        assertFalse(ByteSearch.same(a, aFrom, b, bFrom, len), "a difference at " + at + " of " + len);
      }
    }
  }

  @Test
  void findsTheFirstNewlineAmongAnyBytes() {
    Random r = new Random(7);
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[r.nextInt(64)];
      for (int i = 0; i < b.length; i++) {
        // Bytes next to '\n' in value (0x09, 0x0b, 0x8a) and 0x00/0xff test the carries.
        int pick = r.nextInt(10);
        b[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x0b : pick == 2 ? 0x09 : pick == 3 ? 0x8a
            : pick == 4 ? 0 : pick == 5 ? 0xff : r.nextInt(256));
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
      int to = from + (b.length == from ? 0 : r.nextInt(b.length - from + 1));
      assertEquals(naive(b, from, to), ByteSearch.newline(b, from, to), () -> "round");
    }
  }
}
