package io.tritonwatch.watch;

import io.tritonwatch.parse.LineParser;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.stage.Counts;
import io.tritonwatch.stage.StartupSummary;
import io.tritonwatch.stage.StartupTracker;
import java.time.Instant;
import java.time.Year;

/**
 * One watched container: what Docker says of it and the start-up tracker fed by its log.
 * The follower thread writes; scrapes and {@code /status} read a cached summary, rebuilt only
 * when a line arrived since the last read.
 */
public final class WatchedContainer {

  private final String id;
  private final StartupTracker tracker;
  private final Object lock = new Object();
  private volatile ContainerInfo info;
  private volatile long restarts;
  private volatile Long exitCode;
  private long lineNo;
  private long bytes;
  private long parseNanos;
  private long version;
  private long summarised = -1;
  private StartupSummary summary;
  private Counts.Snapshot counts = Counts.Snapshot.EMPTY;
  private boolean limitLogged;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WatchedContainer.class);

  public WatchedContainer(ContainerInfo info, int maxModels) {
    this.id = info.id();
    this.info = info;
    this.tracker = new StartupTracker(Year.now().getValue(), maxModels, StartupTracker.LIVE_MAX_RUNS);
    this.restarts = info.restartCount() == null ? 0 : info.restartCount();
    this.exitCode = info.running() ? null : info.exitCode();
  }

  public String id() {
    return id;
  }

  public ContainerInfo info() {
    return info;
  }

  public String name() {
    return info.name();
  }

  public long restarts() {
    return restarts;
  }

  public Long exitCode() {
    return exitCode;
  }

  /**
   * A line the byte screen found to be noise, as {@code docker logs -t} prints it: counted,
   * and kept unread unless the start-up still needs a first line.
   */
  public void noise(String text) {
    synchronized (lock) {
      tracker.noise(1, new LogLine(++lineNo, text, null), null);
      bytes += text.length() + 1;
      version++;
    }
  }

  /** One line of the container's output, as {@code docker logs -t} prints it. */
  public void accept(String text, Instant arrival) {
    long t0 = System.nanoTime();
    ParsedLine parsed;
    boolean overLimit;
    synchronized (lock) {
      parsed = LineParser.parse(++lineNo, text);
      tracker.accept(parsed, arrival);
      bytes += text.length() + 1;
      version++;
      parseNanos += System.nanoTime() - t0;
      overLimit = !limitLogged && !parsed.events().isEmpty() && tracker.modelsOverLimit() > 0;
      limitLogged |= overLimit;
    }
    if (overLimit) {
      // Once per container: the metric tritonwatch_models_over_limit_total keeps counting.
      LOG.warn("{} names more models than limits.max_models_per_container; further names are counted, not kept",
          info.name());
    }
  }

  /** Docker started the container again: a new start-up begins. */
  public void started(ContainerInfo now) {
    synchronized (lock) {
      boolean again = info.startedAt() != null && now.startedAt() != null
          && !now.startedAt().equals(info.startedAt());
      if (again) {
        tracker.restart(now.startedAt());
        long fromDocker = now.restartCount() == null ? 0 : now.restartCount();
        restarts = Math.max(restarts + 1, fromDocker);
        version++;
      }
      info = now;
      exitCode = null;
    }
  }

  /** The container stopped with this exit code. */
  public void died(Long code) {
    synchronized (lock) {
      exitCode = code;
      tracker.exited(Instant.now(), code);
      info = new ContainerInfo(info.id(), info.name(), info.image(), info.labels(), info.tty(), false,
          info.startedAt(), info.finishedAt(), info.restartCount(), code);
      version++;
    }
  }

  public boolean running() {
    return info.running();
  }

  public StartupSummary summary() {
    synchronized (lock) {
      if (summarised != version) {
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

  public long linesRead() {
    synchronized (lock) {
      return lineNo;
    }
  }

  public long bytesRead() {
    synchronized (lock) {
      return bytes;
    }
  }

  public long parseNanos() {
    synchronized (lock) {
      return parseNanos;
    }
  }
}
