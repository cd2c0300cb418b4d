package io.tritonwatch.docker;

import io.tritonwatch.text.Rfc3339;
import java.time.Instant;

/**
 * Where one stream of a container's log was read up to (over all its runs: it outlives each
 * follower, and a replaced follower and its successor may touch it at once, hence the locks), so a broken stream resumes without
 * losing or repeating a line. Docker's {@code since} is whole seconds and inclusive, so a resumed
 * stream starts at the floor of the last second and the lines already seen are dropped: those
 * before the last timestamp, and as many at the last timestamp as were already taken.
 */
final class ResumePoint {
  private static final long NONE = Rfc3339.NONE;
  /**
   * How far back a stamp may be and still be taken for a repeat. A clock stepped back by more
   * lets lines through (perhaps twice) rather than drop them.
   */
  static final long REREAD_NANOS = 2_000_000_000L;
  private final long previousEnd;
  private long last = NONE;
  private long atLast;
  private long skipBefore = NONE;
  private long skipAtLast;
  private long seenAtSkip;

  /** @param previousEnd lines stamped at or before it belong to an earlier run; may be null */
  ResumePoint(Instant previousEnd) {
    this.previousEnd = previousEnd == null ? NONE
        : previousEnd.getEpochSecond() * 1_000_000_000L + previousEnd.getNano();
  }

  /** Whether any line was taken yet. */
  synchronized boolean started() {
    return last != NONE;
  }

  /** A new stream begins: drop what the previous one delivered. */
  synchronized void resume() {
    if (last != NONE) {
      skipBefore = last;
      skipAtLast = atLast;
      seenAtSkip = 0;
    }
  }

  /** The Docker {@code since} for a (re)connection, in whole seconds. */
  synchronized long sinceSeconds() {
    long from = last != NONE ? last : previousEnd;
    return from == NONE ? 0 : Math.floorDiv(from, 1_000_000_000L);
  }

  /** @return whether the line is new and should be taken */
  synchronized boolean take(long t) {
    if (t == NONE) {
      return true;
    }
    if (previousEnd != NONE && t <= previousEnd) {
      return false;
    }
    if (skipBefore != NONE) {
      if (t < skipBefore) {
        return false;
      }
      if (t == skipBefore && skipAtLast > 0 && seenAtSkip < skipAtLast) {
        seenAtSkip++;
        return false;
      }
    }
    if (last != NONE && t < last && last - t < REREAD_NANOS) {
      // Within one stream the engine stamps lines in order: an older stamp is a line given
      // again (the log API repeats some lines when it follows a file across a rotation).
      return false;
    }
    if (t == last) {
      atLast++;
    } else {
      last = t;
      atLast = 1;
    }
    return true;
  }
}
