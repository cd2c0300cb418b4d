package io.tritonwatch.report;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The text {@link Instant#toString()} gives, written without the general date formatter for
 * the instants of this and the coming millennia: a report holds one for every start-up, and
 * the formatter is a large piece of code to run (and first load) for each.
 */
final class InstantText {

  /** 1970-01-01T00:00:00Z and 10000-01-01T00:00:00Z: years of four digits, no sign. */
  private static final long FROM = 0;
  private static final long UNTIL = 253_402_300_800L;

  private InstantText() {}

  static String of(Instant t) {
    long s = t.getEpochSecond();
    if (s < FROM || s >= UNTIL) {
      return t.toString();
    }
    LocalDate day = LocalDate.ofEpochDay(s / 86_400);
    int second = (int) (s % 86_400);
    StringBuilder b = new StringBuilder(30);
    b.append(day.getYear()).append('-');
    two(b, day.getMonthValue()).append('-');
    two(b, day.getDayOfMonth()).append('T');
    two(b, second / 3600).append(':');
    two(b, second / 60 % 60).append(':');
    two(b, second % 60);
    int nano = t.getNano();
    if (nano > 0) {
      // As ISO_INSTANT: milliseconds, microseconds or nanoseconds, whichever holds it all.
      int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
      int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
      b.append('.');
      String v = Integer.toString(value);
      for (int i = v.length(); i < digits; i++) {
        b.append('0');
      }
      b.append(v);
    }
    return b.append('Z').toString();
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
