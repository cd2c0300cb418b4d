package io.tritonwatch.docker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential back-off with jitter, so many followers do not retry in lockstep. */
final class Backoff {
  private final Duration min;
  private final Duration max;
  private Duration next;

  Backoff(Duration min, Duration max) {
    this.min = min;
    this.max = max;
    this.next = min;
  }

  Duration next() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    long jitter = d.toMillis() / 5;
    return d.plusMillis(jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter) : 0);
  }

  void reset() {
    next = min;
  }
}
