package io.tritonwatch.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResumePointTest {

  private static final Instant T1 = Instant.parse("2026-01-01T00:00:01.5Z");
  private static final Instant T2 = Instant.parse("2026-01-01T00:00:02.25Z");

  @Test
  void aResumedStreamDropsWhatWasSeenIncludingLinesAtTheSameInstant() {
    ResumePoint r = new ResumePoint(null);
    assertTrue(r.take(T1));
    assertTrue(r.take(T2));
    assertTrue(r.take(T2));
    r.resume();
    assertEquals(T2.getEpochSecond(), r.sinceSeconds());
    // Docker replays from the floored second: T1 and both T2 lines again, then a third T2 line.
    assertFalse(r.take(T1));
    assertFalse(r.take(T2));
    assertFalse(r.take(T2));
    assertTrue(r.take(T2));
    assertTrue(r.take(T2.plusNanos(1)));
  }

  @Test
  void linesOfAnEarlierRunAreDropped() {
    ResumePoint r = new ResumePoint(T1);
    assertFalse(r.take(T1.minusSeconds(5)));
    assertFalse(r.take(T1));
    assertTrue(r.take(T1.plusNanos(1)));
    assertEquals(T1.getEpochSecond(), new ResumePoint(T1).sinceSeconds());
  }
}
