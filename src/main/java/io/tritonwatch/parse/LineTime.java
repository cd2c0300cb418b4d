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

  public Instant toInstant(int yearIfUnknown) {
    int y = year != 0 ? year : yearIfUnknown;
    try {
      return LocalDateTime.of(y, month, day, hour, minute, second, nanos)
          .toInstant(offset != null ? offset : ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  public static LineTime of(Instant instant) {
    LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    return new LineTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(),
        t.getMinute(), t.getSecond(), t.getNano(), ZoneOffset.UTC);
  }
}
