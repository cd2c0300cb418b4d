package io.tritonwatch.report;

/**
 * The text {@link Double#toString(double)} gives a number, found without its general algorithm
 * for the numbers a start-up report holds: figures read from a log with a few decimals
 * (14.45, 0.95, 103.797). The summary of a million-line log holds thousands of them, and the
 * general way is slow while its code is not yet compiled, which in a short run it never is.
 * Any other number takes the general way.
 */
final class DecimalText {

  private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  private DecimalText() {}

  static void append(StringBuilder out, double d) {
    double a = Math.abs(d);
    // Double.toString writes this range without an exponent; within it, a value that is the
    // nearest double to some decimal of at most six places is written as the fewest such places.
    if (a >= 1e-3 && a < 1e7) {
      for (int places = 1; places < POWERS.length; places++) {
        long scaled = Math.round(a * POWERS[places]);
        if (scaled / (double) POWERS[places] == a) {
          if (d < 0) {
            out.append('-');
          }
          appendFixed(out, scaled, places);
          return;
        }
      }
    }
    out.append(Double.toString(d));
  }

  /** {@code scaled / 10^places} with its trailing zeros dropped, but one place kept. */
  private static void appendFixed(StringBuilder out, long scaled, int places) {
    long whole = scaled / POWERS[places];
    long fraction = scaled % POWERS[places];
    while (places > 1 && fraction % 10 == 0) {
      fraction /= 10;
      places--;
    }
    out.append(whole).append('.');
    for (long p = POWERS[places - 1]; p > fraction && p > 1; p /= 10) {
      out.append('0');
    }
    out.append(fraction);
  }
}
