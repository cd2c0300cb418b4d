package io.tritonwatch.watch;

import io.tritonwatch.pipeline.LineFeed;
import io.tritonwatch.stage.StartupTracker;
import io.tritonwatch.text.Rfc3339;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Where one run of a container ends and the next begins, told to the tracker in the order of
 * the log. Docker's die event often comes before a short-lived container's last lines are
 * read: an exit waits until no follower reads any more or a line stamped after it arrives, so
 * an exit never opens a phantom start-up of its own. Not thread-safe: its container's lock
 * guards it.
 */
final class RunBoundaries {

  private static final long NO_TIME = Rfc3339.NONE;
  private final LineFeed feed;
  private final StartupTracker tracker;
  /**
   * Exits not yet applied to the tracker, oldest first: each applies before the first line
   * stamped after it, or when no follower reads any more. A crash loop faster than the reader
   * queues several; lines between them are the runs between them.
   */
  private final ArrayDeque<Exit> exits = new ArrayDeque<>();
  /** The latest engine stamp of a line read. */
  private long lastStamp = NO_TIME;
  /** Started again, and no line of the new run read yet: the last run's readiness is history. */
  private boolean awaitingRun;
  /** Whether an exit of the current run was seen: a start then needs no boundary of its own. */
  private boolean exitSinceStart;
  private int readers;

  RunBoundaries(LineFeed feed) {
    this.feed = feed;
    this.tracker = feed.tracker();
  }

  /** @param followedByStart the container started again after it: the next line is a new run's */
  private record Exit(Instant at, long atNanos, Long code, String reason, boolean followedByStart) {
    Exit thenStarted() {
      return new Exit(at, atNanos, code, reason, true);
    }
  }

  /**
   * Docker started the container again. The run before it ended at its exit, which marks
   * where its lines end; only if no exit was seen (the engine's events were lost) does the
   * start itself close the run.
   */
  void started(Instant startedAt) {
    awaitingRun = true;
    if (!exits.isEmpty()) {
      exits.addLast(exits.pollLast().thenStarted()); // the run ends where that exit is applied
    } else if (exitSinceStart) {
      feed.settle();
      tracker.processReplaced(); // its exit is applied: the next line is the new run's
    } else if (lastStamp == NO_TIME || startedAt == null || lastStamp < Rfc3339.nanos(startedAt)) {
      feed.settle();
      tracker.restart(startedAt);
    }
    exitSinceStart = false;
  }

  /** The container stopped, as the engine saw it at {@code when}. */
  void died(Instant when, Long code, String reason) {
    exitSinceStart = true;
    endRun(new Exit(when, Rfc3339.nanos(when), code, reason, false));
  }

  /** The reader saw the run it read end at this time and another begin. */
  void runEnded(Instant at) {
    if (at == null || exitSinceStart) {
      return;
    }
    exitSinceStart = true;
    endRun(new Exit(at, Rfc3339.nanos(at), null, null, true)); // the reader saw the next run begin
  }

  /** Held back while a follower reads (its last lines may still come), else applied now. */
  private void endRun(Exit e) {
    if (lastStamp != NO_TIME && e.atNanos() < lastStamp) {
      // Lines of a later run were read before the exit was heard of (the engine's events were
      // late, or away): the tracker has moved on, the exit is history.
      return;
    }
    if (readers > 0) {
      exits.add(e);
    } else {
      apply(e);
    }
  }

  /**
   * A follower begins (true) or ends (false) reading the log; when the last one ends, the exits
   * held back for it apply. Counted, because a replaced follower may end after its successor began.
   */
  void reading(boolean begins) {
    readers += begins ? 1 : -1;
    if (readers == 0) {
      while (!exits.isEmpty()) {
        apply(exits.poll());
      }
    }
  }

  /**
   * Held-back exits apply before the first line stamped after them.
   *
   * @return whether an exit was applied
   */
  boolean lineAt(long stampNanos) {
    if (stampNanos == NO_TIME) {
      return false;
    }
    boolean applied = false;
    while (!exits.isEmpty() && stampNanos > exits.peek().atNanos()) {
      apply(exits.poll());
      applied = true;
    }
    if (exits.isEmpty()) {
      awaitingRun = false; // this line is the new run's
    }
    if (stampNanos > lastStamp) {
      lastStamp = stampNanos;
    }
    return applied;
  }

  private void apply(Exit e) {
    feed.settle();
    tracker.exited(e.at(), e.code(), e.reason());
    if (e.followedByStart()) {
      tracker.processReplaced();
    }
  }

  boolean awaitingRun() {
    return awaitingRun;
  }

  /** The engine's stamp on the latest line read, or {@link Rfc3339#NONE}. */
  long lastStamp() {
    return lastStamp;
  }
}
