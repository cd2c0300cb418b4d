package io.tritonwatch.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The time a log line carries. glog and vLLM stamps omit the year, so the year is resolved by
 * whoever knows more context (the tracker), never by the parser from a clock.
 *
 * @param year 0 when the line did not say
 * @param offset null when the line did not say; read as UTC, which is what Triton and vLLM
 *     containers run in by default
 */
public record LineTime(int year, int month, int day, int hour, int minute, int second, int nanos,
                       ZoneOffset offset) {

  public boolean hasYear() {
    return year != 0;
  }

  /**
   * The instant, or null for a date that does not exist (the 29th of February of a year that
   * is not leap, a 13th month). Counted here rather than through {@code LocalDateTime}: the
   * tracker asks once per start-up line, and most of those come while the code is still
   * interpreted, where the general date classes took tens of calls each. {@code LineTimeTest}
   * holds it to {@code LocalDateTime} on random and impossible dates.
   */
  public Instant toInstant(int yearIfUnknown) {
    int y = year != 0 ? year : yearIfUnknown;
    if (y < MIN_YEAR || y > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
        || nanos < 0 || nanos > 999_999_999) {
      return null;
    }
    long seconds = epochDay(y, month, day) * 86_400L + hour * 3_600L + minute * 60L + second
        - (offset != null ? offset.getTotalSeconds() : 0);
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** LocalDateTime's range of years: what it refused, this refuses too. */
  private static final int MIN_YEAR = -999_999_999;
  private static final int MAX_YEAR = 999_999_999;

  private static boolean leap(long y) {
    return (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0);
  }

  private static int daysInMonth(int y, int m) {
    return switch (m) {
      case 2 -> leap(y) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /**
   * Days since 1970-01-01 of a proleptic Gregorian date, whose fields the caller has checked
   * (H. Hinnant's algorithm; Docker's stamps are counted with it too).
   */
  public static long epochDay(long y, int m, int d) {
    return io.tritonwatch.text.Rfc3339.epochDay(y, m, d);
  }

  /** The UTC time of an engine's stamp, as read from its RFC 3339 text. */
  public static LineTime ofEpochNanos(long nanos) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
        (int) Math.floorMod(nanos, 1_000_000_000L), ZoneOffset.UTC);
    return new LineTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(),
        t.getMinute(), t.getSecond(), t.getNano(), ZoneOffset.UTC);
  }

  public static LineTime of(Instant instant) {
    LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    return new LineTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(),
        t.getMinute(), t.getSecond(), t.getNano(), ZoneOffset.UTC);
  }
}
