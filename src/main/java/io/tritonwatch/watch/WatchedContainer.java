package io.tritonwatch.watch;

import io.tritonwatch.pipeline.LineFeed;
import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.source.ContainerLog;
import io.tritonwatch.source.RawLine;
import io.tritonwatch.stage.Counts;
import io.tritonwatch.stage.StartupSummary;
import io.tritonwatch.stage.StartupTracker;
import io.tritonwatch.text.Rfc3339;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * One watched container: what Docker says of it and the start-up tracker fed by its log.
 * The follower thread writes; scrapes and {@code /status} read a cached summary, rebuilt only
 * when a line arrived since the last read.
 */
public final class WatchedContainer implements ContainerLog {

  private static final long NO_TIME = Rfc3339.NONE;
  private final String id;
  private final StartupTracker tracker;
  private final LineFeed feed;
  private final RunBoundaries runs;
  private final Object lock = new Object();
  private volatile ContainerInfo info;
  /** Start events seen after the first start: restarts as this daemon saw them. */
  private volatile long startEvents;
  /** Docker's RestartCount, the highest seen: a floor (it counts only its policy's restarts). */
  private volatile long dockerRestarts;
  private volatile Long exitCode;
  /** The last exit's code, kept while the container runs again: a crash loop shows it. */
  private volatile Long lastExitCode;
  /** Why the last exit happened, when the engine says. */
  private volatile String lastExitReason;
  private final LogGaps gaps = new LogGaps();
  private long version;
  /** Like {@code version}, but a noise line that only adds to the count leaves it alone. */
  private long revision;
  private long summarised = -1;
  private StartupSummary summary;
  private Counts.Snapshot counts = Counts.Snapshot.EMPTY;
  private boolean limitLogged;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WatchedContainer.class);

  public WatchedContainer(ContainerInfo info, int maxModels) {
    this.id = info.id();
    this.info = info;
    this.tracker = new StartupTracker(LocalDate.now(ZoneOffset.UTC).getYear(), maxModels, StartupTracker.LIVE_MAX_RUNS);
    this.feed = new LineFeed(tracker, Clock.systemUTC());
    this.runs = new RunBoundaries(feed);
    this.dockerRestarts = info.restartCount() == null ? 0 : info.restartCount();
    this.exitCode = info.running() ? null : info.exitCode();
    this.lastExitCode = info.running() ? null : info.exitCode();
  }

  public String id() {
    return id;
  }

  @Override
  public ContainerInfo info() {
    return info;
  }

  @Override
  public String name() {
    return info.name();
  }

  /**
   * Restarts: the start events seen or Docker's RestartCount, whichever is more. Both can only
   * be short of the truth (a daemon that came late saw no events; Docker does not count a
   * manual restart), never over it: an inspect during a fast crash loop already shows later
   * restarts whose start events are still to come.
   */
  public long restarts() {
    return Math.max(startEvents, dockerRestarts);
  }

  public Long lastExitCode() {
    return lastExitCode;
  }

  /** Why the container last exited ({@code OOMKilled}, {@code Error}), when the engine said; else null. */
  public String lastExitReason() {
    return lastExitReason;
  }

  public Long exitCode() {
    return exitCode;
  }

  /** One line of the container's output, its engine stamp as a value. */
  @Override
  public void line(RawLine line) {
    boolean overLimit;
    synchronized (lock) {
      exitBefore(line.stampNanos());
      version++;
      if (!feed.line(line)) {
        return; // noise only counted: nothing shown changes but the count
      }
      revision++;
      overLimit = !limitLogged && tracker.modelsOverLimit() > 0;
      limitLogged |= overLimit;
    }
    if (overLimit) {
      // Once per container: the metric tritonwatch_models_over_limit_total keeps counting.
      LOG.warn("{} names more models than limits.max_models_per_container; further names are counted, not kept",
          info.name());
    }
  }

  /** One line of text read whatever the screen would say, as a saved log's line is read. */
  public void accept(String text, Instant arrival) {
    synchronized (lock) {
      feed.text(text, arrival);
      version++;
      revision++;
    }
  }

  /** Docker renamed the container: its series move to the new name at the next scrape. */
  public void renamed(String newName) {
    synchronized (lock) {
      info = info.withName(newName);
      version++;
      revision++;
    }
  }

  /**
   * Docker started the container again (its start event; each counted once): a restart. The
   * run before it ended at its exit, which marks where its lines end; only if no exit was seen
   * (the engine's events were lost) does the start itself close the run.
   */
  public void restarted(ContainerInfo now) {
    synchronized (lock) {
      startEvents++;
      dockerRestarts = Math.max(dockerRestarts, now.restartCount() == null ? 0 : now.restartCount());
      runs.started(now.startedAt());
      info = now;
      exitCode = null;
      version++;
      revision++;
    }
  }

  /** What an inspect says now: name, image, labels, running; Docker's restart count is a floor. */
  public void inspected(ContainerInfo now) {
    synchronized (lock) {
      dockerRestarts = Math.max(dockerRestarts, now.restartCount() == null ? 0 : now.restartCount());
      info = now;
      if (now.running()) {
        exitCode = null;
      }
      revision++;
    }
  }

  /**
   * The container stopped with this exit code. While its log is still being read, the tracker
   * hears of the exit only when the reading is done or a line stamped after the exit comes
   * (the next run's): Docker's event often comes before the last lines, and an exit applied
   * first would make them look like a second start-up.
   */
  public void died(Long code) {
    died(code, null);
  }

  /** @param at when the engine saw the exit, if known */
  public void died(Long code, Instant at) {
    died(code, null, at);
  }

  /** @param reason why, when the engine says ({@code OOMKilled}, {@code Error}), else null */
  public void died(Long code, String reason, Instant at) {
    synchronized (lock) {
      exitCode = code;
      lastExitCode = code;
      lastExitReason = reason;
      Instant when = at != null ? at : Instant.now();
      info = info.exited(code);
      version++;
      revision++;
      runs.died(when, code, reason);
    }
  }

  /**
   * The reader found that the run it was reading ended at this time and another began (the
   * log API's stream ends with its run). Docker's die event says the same, but may come after
   * the next run's lines were read; whichever comes first marks the end.
   */
  @Override
  public void runEnded(Instant at) {
    synchronized (lock) {
      runs.runEnded(at);
      version++;
      revision++;
    }
  }

  /**
   * A follower begins (true) or ends (false) reading the log; when the last one ends, the exits
   * held back for it apply. Counted, because a replaced follower may end after its successor began.
   */
  @Override
  public void reading(boolean begins) {
    synchronized (lock) {
      runs.reading(begins);
      version++;
      revision++;
    }
  }

  /** Held-back exits apply before the first line stamped after them; the first line after a gap closes it. */
  private void exitBefore(long stampNanos) {
    if (stampNanos == NO_TIME) {
      return;
    }
    gaps.lineAt(stampNanos);
    if (runs.lineAt(stampNanos)) {
      revision++;
    }
  }

  /**
   * The engine cannot give this container's log back (logging driver {@code none}, or a remote
   * one): nothing of its start-up can be read. Logged once; {@code logReader} becomes
   * {@code none} and {@link #logProblem()} says why.
   */
  @Override
  public void logUnreadable(String why) {
    boolean first;
    synchronized (lock) {
      first = gaps.unreadable(why);
      revision++;
      version++;
    }
    if (first) {
      LOG.warn("the log of {} cannot be read ({}): its logging driver keeps no log the engine can give back; "
          + "use json-file or local, or enable the driver's local cache", info.name(), why);
    }
  }

  /**
   * Lines may have been lost for this reason (rotation: the reader fell behind the engine's
   * max-file and a rotated file was deleted before it was opened). Counted; logged once a reason.
   */
  @Override
  public void logGap(String reason) {
    boolean first;
    synchronized (lock) {
      first = gaps.gap(reason, runs.lastStamp());
      revision++;
      version++;
    }
    if (first) {
      LOG.warn("lines of {}'s log may have been lost ({}): the engine deleted a rotated log file before it was "
          + "read; raise max-file or max-size, or give the sidecar more CPU", info.name(), reason);
    }
  }

  /**
   * Seconds of the log lost, by reason: the span between the engine's stamps on the last line
   * read before each gap and the first read after it (0 until that line is read). The lines in
   * it cannot be counted (a deleted file leaves nothing), but their time can.
   */
  public Map<String, Double> logGapSeconds() {
    synchronized (lock) {
      return gaps.seconds();
    }
  }

  /** Times lines may have been lost, by reason. */
  public Map<String, Long> logGaps() {
    synchronized (lock) {
      return gaps.counts();
    }
  }

  /** Why the log cannot be read, or null. */
  public String logProblem() {
    return gaps.problem();
  }

  /** How the log is read now: {@code file} (the engine's json-file on disk), {@code api}, or {@code none}. */
  public String logReader() {
    return gaps.reader();
  }

  @Override
  public void logReader(String how) {
    synchronized (lock) {
      if (gaps.reader(how)) {
        revision++;
      }
    }
  }

  public boolean running() {
    return info.running();
  }

  private volatile io.tritonwatch.history.Expectation expectation;

  /** What this server's past start-ups say is usual, or null without enough of them. */
  public io.tritonwatch.history.Expectation expectation() {
    return expectation;
  }

  public void expectation(io.tritonwatch.history.Expectation e) {
    if (java.util.Objects.equals(e, expectation)) {
      return;
    }
    synchronized (lock) {
      expectation = e;
      revision++;
    }
  }

  /**
   * Serving now: running, its latest start-up ready with no shutdown begun, and not started
   * again since (a restarted server is not ready until its new start-up says so).
   */
  public boolean serving() {
    boolean waiting;
    synchronized (lock) {
      waiting = runs.awaitingRun();
    }
    return running() && !waiting && summary().serving();
  }

  public StartupSummary summary() {
    synchronized (lock) {
      if (summarised != version) {
        feed.settle();
        summary = tracker.summary();
        counts = tracker.counts();
        summarised = version;
      }
      return summary;
    }
  }

  public Counts.Snapshot counts() {
    summary();
    synchronized (lock) {
      return counts;
    }
  }

  /**
   * Changes whenever anything {@code /status} shows of this container changes, except the
   * count of lines read: on a busy server most lines are noise that changes only the count,
   * so what was shown can be shown again with the new count.
   */
  public long statusRevision() {
    synchronized (lock) {
      return revision;
    }
  }

  /** Start-ups seen since the container was first followed, those no longer kept included. */
  public long startups() {
    synchronized (lock) {
      return tracker.runCount();
    }
  }

  public long linesRead() {
    synchronized (lock) {
      return feed.lines();
    }
  }

  public long bytesRead() {
    synchronized (lock) {
      return feed.bytes();
    }
  }

  public long parseNanos() {
    synchronized (lock) {
      return feed.parseNanos();
    }
  }
}
