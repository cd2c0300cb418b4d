package io.tritonwatch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time shape test agrees with the plain one on every kind of byte. */
class ByteLayoutTest {

  private static boolean plain(String shape, byte[] b, int p, int to) {
    if (p < 0 || to - p < shape.length()) {
      return false;
    }
    for (int k = 0; k < shape.length(); k++) {
      char c = shape.charAt(k);
      int v = b[p + k] & 0xff;
      if (c == 'D' ? v < '0' || v > '9' : v != c) {
        return false;
      }
    }
    return true;
  }

  @Test
  void realStamps() {
    ByteLayout viewer = new ByteLayout("DDDD-DD-DD DD:DD:DD");
    byte[] line = "2025-07-20 14:04:26.038 | I0720 11:04:26.038069 1 server.cc:207]".getBytes(StandardCharsets.US_ASCII);
    assertTrue(viewer.at(line, 0, line.length));
    assertFalse(viewer.at(line, 1, line.length));
    assertFalse(viewer.at(line, 0, 18), "must not read past the end it is given");
    assertTrue(new ByteLayout("IDDDD DD:DD:DD.D").at(line, 26, line.length));
    assertFalse(new ByteLayout("DDDD-DD-DDTDD:DD:DD").at(line, 0, line.length));
    assertThrows(IllegalArgumentException.class, () -> new ByteLayout("short"));
  }

  @Test
  void agreesWithThePlainTestOnRandomBytes() {
    String[] shapes = {"DDDD-DD-DD DD:DD:DD", "DDDD-DD-DDTDD:DD:DD", "IDDDD DD:DD:DD.D", " DD-DD DD:DD:DD", "DDDDDDDD",
        "DDDDDDDDDDDDDDDDDDDDDDDD"};
    // Digits, the characters next to them, separators, control bytes and bytes above 0x7f.
    byte[] alphabet = {'0', '1', '5', '9', '/', ':', '-', ' ', 'T', 'I', '.', 0, 0x1f, 0x7f, (byte) 0x80, (byte) 0xb9,
        (byte) 0xba, (byte) 0xff, (byte) 0xc6, (byte) 0xd0};
    Random r = new Random(11);
    int agreedTrue = 0;
    for (String shape : shapes) {
      ByteLayout layout = new ByteLayout(shape);
      for (int n = 0; n < 200_000; n++) {
        byte[] b = new byte[shape.length() + 4];
        for (int i = 0; i < b.length; i++) {
          char want = i - 2 >= 0 && i - 2 < shape.length() ? shape.charAt(i - 2) : ' ';
          // Mostly the right character, so that near misses of one byte are common.
          b[i] = r.nextInt(4) > 0 ? (want == 'D' ? (byte) ('0' + r.nextInt(10)) : (byte) want)
              : alphabet[r.nextInt(alphabet.length)];
        }
        int p = r.nextInt(4);
        int to = b.length - r.nextInt(3);
        boolean expected = plain(shape, b, p, to);
        assertEquals(expected, layout.at(b, p, to), shape + " at " + p);
        agreedTrue += expected ? 1 : 0;
      }
    }
    assertTrue(agreedTrue > 1000, "the sample must hold matches too: " + agreedTrue);
  }
}
