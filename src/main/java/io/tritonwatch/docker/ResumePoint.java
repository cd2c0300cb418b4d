package io.tritonwatch.docker;

import java.time.Instant;

/**
 * Where one stream of a container's log was read up to, so a broken stream resumes without
 * losing or repeating a line. Docker's {@code since} is whole seconds and inclusive, so a resumed
 * stream starts at the floor of the last second and the lines already seen are dropped: those
 * before the last timestamp, and as many at the last timestamp as were already taken.
 */
final class ResumePoint {
  private final Instant previousEnd;
  private Instant last;
  private long atLast;
  private Instant skipBefore;
  private long skipAtLast;
  private long seenAtSkip;

  /** @param previousEnd lines stamped at or before it belong to an earlier run; may be null */
  ResumePoint(Instant previousEnd) {
    this.previousEnd = previousEnd;
  }

  /** A new stream begins: drop what the previous one delivered. */
  void resume() {
    if (last != null) {
      skipBefore = last;
      skipAtLast = atLast;
      seenAtSkip = 0;
    }
  }

  /** The Docker {@code since} for a (re)connection, in whole seconds. */
  long sinceSeconds() {
    Instant from = last != null ? last : previousEnd;
    return from == null ? 0 : from.getEpochSecond();
  }

  /** @return whether the line is new and should be taken */
  boolean take(Instant t) {
    if (t == null) {
      return true;
    }
    if (previousEnd != null && !t.isAfter(previousEnd)) {
      return false;
    }
    if (skipBefore != null) {
      int c = t.compareTo(skipBefore);
      if (c < 0) {
        return false;
      }
      if (c == 0 && skipAtLast > 0 && seenAtSkip < skipAtLast) {
        seenAtSkip++;
        return false;
      }
    }
    if (t.equals(last)) {
      atLast++;
    } else {
      last = t;
      atLast = 1;
    }
    return true;
  }
}
