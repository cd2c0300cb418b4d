package io.tritonwatch.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finding a byte in a large array eight at a time: the line splitters spend most of their time
 * looking for newlines. The word that holds it is found with arithmetic, the byte in it one by
 * one (the client compiler has no instruction for counting trailing zeros; a call cost more).
 */
public final class ByteSearch {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long NEWLINES = ONES * '\n';
  private static final long SPACES = 0x2020202020202020L;
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';

  private ByteSearch() {}

  /** The index of the first '\n' in {@code b[from, to)}, or {@code to}. */
  public static int newline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      // The lowest zero byte of x (a newline in b) sets its high bit here; any higher may be a false one.
      long zero = (x - ONES) & ~x & HIGH_BITS;
      if (zero != 0) {
        break; // the byte is in this word: found below
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return to;
  }

  /**
   * Whether {@code a[aFrom, aFrom + len)} and {@code b[bFrom, bFrom + len)} hold the same bytes:
   * short fixed words (a JSON entry's field names, a stamp's seconds), eight bytes at a time.
   */
  public static boolean same(byte[] a, int aFrom, byte[] b, int bFrom, int len) {
    if (len < 8) {
      for (int i = 0; i < len; i++) {
        if (a[aFrom + i] != b[bFrom + i]) {
          return false;
        }
      }
      return true;
    }
    int i = 0;
    for (; i + 8 < len; i += 8) {
      if ((long) LONGS.get(a, aFrom + i) != (long) LONGS.get(b, bFrom + i)) {
        return false;
      }
    }
    // The last eight, overlapping what was compared already.
    return (long) LONGS.get(a, aFrom + len - 8) == (long) LONGS.get(b, bFrom + len - 8);
  }

  /** The index of the first '"' or '\\' in {@code b[from, to)}, or {@code to}: where a JSON string's plain run ends. */
  public static int quoteOrBackslash(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONGS.get(b, i);
      long q = w ^ QUOTES;
      long s = w ^ BACKSLASHES;
      long hit = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGH_BITS;
      if (hit != 0) {
        break;
      }
    }
    for (; i < to; i++) {
      if (b[i] == '"' || b[i] == '\\') {
        return i;
      }
    }
    return to;
  }

  /**
   * The index of the first byte below 0x20 in {@code buf[i, n)}, else n. Sixteen bytes at a
   * time: a log line is a hundred and more printable bytes between two newlines, and looking
   * at them one by one was most of the time `analyze` spent.
   */
  public static int control(byte[] buf, int i, int n) {
    for (; i + 16 <= n; i += 16) {
      long x = (long) LONGS.get(buf, i);
      long y = (long) LONGS.get(buf, i + 8);
      // The lowest byte below 0x20 sets its high bit here; bytes of 0x80 and up never do.
      long lowX = (x - SPACES) & ~x & HIGH_BITS;
      long lowY = (y - SPACES) & ~y & HIGH_BITS;
      if ((lowX | lowY) != 0) {
        break;
      }
    }
    for (; i < n; i++) {
      if ((buf[i] & 0xff) < 0x20) {
        return i;
      }
    }
    return n;
  }
}
