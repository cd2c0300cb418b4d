package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LineTime#toInstant} counts days itself; {@code LocalDateTime} is the reference. */
class LineTimeTest {

  private static Instant reference(LineTime t, int yearIfUnknown) {
    try {
      return LocalDateTime.of(t.hasYear() ? t.year() : yearIfUnknown, t.month(), t.day(), t.hour(), t.minute(),
          t.second(), t.nanos()).toInstant(t.offset() != null ? t.offset() : ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  @Test
  void agreesWithLocalDateTimeOnRandomAndImpossibleDates() {
    SplittableRandom r = new SplittableRandom(20261126);
    ZoneOffset[] offsets = {null, ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-9, -30),
        ZoneOffset.ofHours(18), ZoneOffset.ofHours(-18)};
    int valid = 0;
    for (int i = 0; i < 300_000; i++) {
      int year = switch (r.nextInt(5)) {
        case 0 -> 0; // not said: the default year applies
        case 1 -> r.nextInt(1900, 2200);
        case 2 -> r.nextInt(-5000, 12000);
        case 3 -> r.nextBoolean() ? 999_999_999 - r.nextInt(3) : -999_999_999 + r.nextInt(3);
        default -> r.nextBoolean() ? 1_000_000_000 : -1_000_000_000;
      };
      LineTime t = new LineTime(year, r.nextInt(0, 14), r.nextInt(0, 33), r.nextInt(-1, 25), r.nextInt(-1, 61),
          r.nextInt(-1, 61), r.nextInt(10) == 0 ? -1 : r.nextInt(1_000_000_000), offsets[r.nextInt(offsets.length)]);
      int yearIfUnknown = r.nextInt(1970, 2100);
      Instant expected = reference(t, yearIfUnknown);
      assertEquals(expected, t.toInstant(yearIfUnknown), () -> t + " in " + yearIfUnknown);
      if (expected != null) {
        valid++;
      }
    }
    // Both kinds are well represented: the comparison is not only of nulls.
    assertEquals(true, valid > 20_000 && valid < 280_000, "valid dates: " + valid);
  }

  @Test
  void everyDayOfLeapAndCommonYearsAroundTheEpoch() {
    for (int year : new int[] {1600, 1700, 1900, 1969, 1970, 2000, 2024, 2025, 2100}) {
      for (int month = 1; month <= 12; month++) {
        for (int day = 1; day <= 31; day++) {
          LineTime t = new LineTime(year, month, day, 23, 59, 59, 999_999_999, null);
          assertEquals(reference(t, 0), t.toInstant(0), t::toString);
        }
      }
    }
    assertNotNull(new LineTime(2024, 2, 29, 0, 0, 0, 0, null).toInstant(0));
    assertNull(new LineTime(2025, 2, 29, 0, 0, 0, 0, null).toInstant(0));
    assertNull(new LineTime(0, 2, 29, 0, 0, 0, 0, null).toInstant(1900), "1900 was not leap");
  }
}
