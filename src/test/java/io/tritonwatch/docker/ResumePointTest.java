package io.tritonwatch.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResumePointTest {

  private static final Instant I1 = Instant.parse("2026-01-01T00:00:01.5Z");
  private static final long T1 = I1.getEpochSecond() * 1_000_000_000L + I1.getNano();
  private static final long T2 = T1 + 750_000_000L;

  @Test
  void aResumedStreamDropsWhatWasSeenIncludingLinesAtTheSameInstant() {
    ResumePoint r = new ResumePoint(null);
    assertTrue(r.take(T1));
    assertTrue(r.take(T2));
    assertTrue(r.take(T2));
    r.resume();
    assertEquals(T2 / 1_000_000_000L, r.sinceSeconds());
    // Docker replays from the floored second: T1 and both T2 lines again, then a third T2 line.
    assertFalse(r.take(T1));
    assertFalse(r.take(T2));
    assertFalse(r.take(T2));
    assertTrue(r.take(T2));
    assertTrue(r.take(T2 + 1));
  }

  @Test
  void linesOfAnEarlierRunAreDropped() {
    ResumePoint r = new ResumePoint(I1);
    assertFalse(r.take(T1 - 5_000_000_000L));
    assertFalse(r.take(T1));
    assertTrue(r.take(T1 + 1));
    assertEquals(I1.getEpochSecond(), new ResumePoint(I1).sinceSeconds());
  }

  /** D10: the log API gives some lines again when it follows a file across a rotation. */
  @Test
  void aLineGivenAgainWithinTheStreamIsDroppedAClockSteppedFarBackIsNot() {
    ResumePoint r = new ResumePoint(null);
    assertTrue(r.take(T1));
    assertTrue(r.take(T2));
    assertFalse(r.take(T1), "an older stamp in the same stream: a repeat");
    assertTrue(r.take(T2 + 1));
    long stepped = T2 - 60_000_000_000L;
    assertTrue(r.take(stepped), "a clock stepped back a minute: taken, not lost");
  }
}
