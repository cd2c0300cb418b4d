package io.tritonwatch.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fixed-width text shape such as {@code DDDD-DD-DD DD:DD:DD}, tested eight bytes at a time:
 * 'D' is any ASCII digit, every other character must be itself. The noise screen looks at
 * the same stamps on nearly every line of a busy log; one comparison per byte was the larger
 * part of its cost.
 */
public final class ByteLayout {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ZEROS = 0x3030303030303030L;
  private static final long ABOVE_NINE = 0x4646464646464646L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private final int length;
  private final int[] offsets;
  private final long[] digitMask;
  private final long[] fixedMask;
  private final long[] fixedValue;

  /** @param shape 8 to 24 characters; 'D' stands for a digit */
  public ByteLayout(String shape) {
    length = shape.length();
    if (length < 8 || length > 24) {
      throw new IllegalArgumentException("shape of 8 to 24 characters: " + shape);
    }
    // Windows of eight bytes that cover the shape; the last may overlap the one before.
    offsets = length <= 8 ? new int[] {0} : length <= 16 ? new int[] {0, length - 8} : new int[] {0, 8, length - 8};
    digitMask = new long[offsets.length];
    fixedMask = new long[offsets.length];
    fixedValue = new long[offsets.length];
    for (int w = 0; w < offsets.length; w++) {
      for (int k = 0; k < 8; k++) {
        char c = shape.charAt(offsets[w] + k);
        long lane = 0xffL << (8 * k);
        if (c == 'D') {
          digitMask[w] |= lane;
        } else {
          fixedMask[w] |= lane;
          fixedValue[w] |= ((long) c & 0xff) << (8 * k);
        }
      }
    }
  }

  int length() {
    return length;
  }

  /** Whether {@code b[p, p + length)} has this shape; false when it does not fit before {@code to}. */
  public boolean at(byte[] b, int p, int to) {
    if (p < 0 || to - p < length) {
      return false;
    }
    for (int w = 0; w < offsets.length; w++) {
      long x = (long) LONGS.get(b, p + offsets[w]);
      if ((x & fixedMask[w]) != fixedValue[w]) {
        return false;
      }
      // Every lane not meant to be a digit becomes '0'; then a lane below '0' borrows its high
      // bit on, and a lane above '9' carries into it.
      long z = (x & digitMask[w]) | (ZEROS & ~digitMask[w]);
      if ((((z - ZEROS) | (z + ABOVE_NINE)) & HIGH_BITS) != 0) {
        return false;
      }
    }
    return true;
  }
}
