package io.tritonwatch.watch;

import io.tritonwatch.parse.LineParser;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.stage.Counts;
import io.tritonwatch.stage.StartupSummary;
import io.tritonwatch.stage.StartupTracker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One watched container: what Docker says of it and the start-up tracker fed by its log.
 * The follower thread writes; scrapes and {@code /status} read a cached summary, rebuilt only
 * when a line arrived since the last read.
 */
public final class WatchedContainer {

  private static final int MAX_HELD_NOISE = 1 << 20;
  private static final long NO_TIME = Long.MIN_VALUE;
  private final String id;
  private final StartupTracker tracker;
  private final Object lock = new Object();
  private volatile ContainerInfo info;
  private volatile long restarts;
  private volatile Long exitCode;
  /** The last exit's code, kept while the container runs again: a crash loop shows it. */
  private volatile Long lastExitCode;
  private volatile String logReader = "api";
  private Instant exitAt;
  private long exitAtNanos;
  /** Noise counted but not yet handed to the tracker, and the last of it. */
  private int heldNoise;
  private byte[] heldLast = new byte[256];
  private int heldLastLen;
  private long heldLastNo;
  private int readers;
  private boolean exitPending;
  private long lineNo;
  private long bytes;
  private long parseNanos;
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
    this.restarts = info.restartCount() == null ? 0 : info.restartCount();
    this.exitCode = info.running() ? null : info.exitCode();
    this.lastExitCode = info.running() ? null : info.exitCode();
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

  public Long lastExitCode() {
    return lastExitCode;
  }

  public Long exitCode() {
    return exitCode;
  }

  /**
   * A line the byte screen found to be noise, as {@code docker logs -t} prints it in UTF-8:
   * counted, and kept unread unless the start-up still needs a first line. Once a start-up
   * has begun, noise is only counted here, and the last such line kept as bytes; the tracker
   * hears of them together when anything else happens (a busy server prints thousands a
   * second, and a text and a tracker call for each were much of the daemon's CPU).
   *
   * @param line {@code line[0, len)}; the array may be reused after the call
   * @param stampNanos Docker's timestamp on the line, epoch nanoseconds
   */
  public void noise(byte[] line, int len, long stampNanos) {
    synchronized (lock) {
      exitBefore(stampNanos);
      lineNo++;
      bytes += len + 1;
      version++;
      if (!tracker.begun()) {
        settleNoise();
        revision++; // the first line may begin the start-up
        tracker.noise(1, new LogLine(lineNo, new String(line, 0, len, StandardCharsets.UTF_8), null), null);
        return;
      }
      if (heldLast.length < len) {
        heldLast = new byte[Math.max(len, 2 * heldLast.length)];
      }
      System.arraycopy(line, 0, heldLast, 0, len);
      heldLastLen = len;
      heldLastNo = lineNo;
      if (++heldNoise == MAX_HELD_NOISE) {
        settleNoise();
      }
    }
  }

  /** Hands the noise held back to the tracker, which reads its last line only if it must. */
  private void settleNoise() {
    if (heldNoise > 0) {
      LogLine last = new LogLine(heldLastNo, new String(heldLast, 0, heldLastLen, StandardCharsets.UTF_8), null);
      tracker.noise(heldNoise, last, last);
      heldNoise = 0;
      if (heldLast.length > 4096) {
        heldLast = new byte[256];
      }
    }
  }

  /** One line of the container's output, as {@code docker logs -t} prints it. */
  public void accept(String text, Instant arrival) {
    accept(text, arrival, null);
  }

  /** @param stamp Docker's timestamp on the line, if any */
  public void accept(String text, Instant arrival, Instant stamp) {
    long t0 = System.nanoTime();
    ParsedLine parsed;
    boolean overLimit;
    synchronized (lock) {
      settleNoise();
      exitBefore(nanos(stamp != null ? stamp : arrival));
      parsed = LineParser.parse(++lineNo, text);
      tracker.accept(parsed, arrival);
      bytes += text.length() + 1;
      version++;
      revision++;
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
        settleNoise();
        if (exitPending) {
          applyExit(); // the previous run ended before this one began
        }
        tracker.restart(now.startedAt());
        long fromDocker = now.restartCount() == null ? 0 : now.restartCount();
        restarts = Math.max(restarts + 1, fromDocker);
        version++;
      }
      info = now;
      exitCode = null;
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
    synchronized (lock) {
      exitCode = code;
      lastExitCode = code;
      exitAt = at != null ? at : Instant.now();
      exitAtNanos = nanos(exitAt);
      info = new ContainerInfo(info.id(), info.name(), info.image(), info.labels(), info.tty(), false,
          info.startedAt(), info.finishedAt(), info.restartCount(), code);
      version++;
      revision++;
      if (readers > 0) {
        exitPending = true;
      } else {
        applyExit();
      }
    }
  }

  /**
   * A follower begins (true) or ends (false) reading the log; when the last one ends, an exit
   * held back for it applies. Counted, because a replaced follower may end after its successor began.
   */
  public void reading(boolean begins) {
    synchronized (lock) {
      readers += begins ? 1 : -1;
      if (readers == 0 && exitPending) {
        applyExit();
      }
    }
  }

  /** A held-back exit applies before the first line stamped after it. */
  private void exitBefore(long stampNanos) {
    if (exitPending && stampNanos != NO_TIME && stampNanos > exitAtNanos) {
      applyExit();
    }
  }

  private static long nanos(Instant t) {
    return t == null ? NO_TIME : t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private void applyExit() {
    settleNoise();
    exitPending = false;
    tracker.exited(exitAt, exitCode);
    version++;
    revision++;
  }

  /** How the log is read now: {@code file} (the engine's json-file on disk) or {@code api}. */
  public String logReader() {
    return logReader;
  }

  public void logReader(String how) {
    synchronized (lock) {
      if (!how.equals(logReader)) {
        logReader = how;
        revision++;
      }
    }
  }

  public boolean running() {
    return info.running();
  }

  public StartupSummary summary() {
    synchronized (lock) {
      if (summarised != version) {
        settleNoise();
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
