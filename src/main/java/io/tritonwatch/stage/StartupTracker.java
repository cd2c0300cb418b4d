package io.tritonwatch.stage;

import io.tritonwatch.parse.LineTime;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.parse.TritonEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up state machine of one log stream (one container, or one saved file). Pure and
 * incremental: feed lines in order, read a {@link StartupSummary} at any moment. Time comes
 * from the lines themselves (Docker's stamp first, then the log's own), so reading a saved
 * log and following the live container give the same answer.
 *
 * <p>Not thread-safe: one thread feeds it; readers take {@link #summary()} under the owner's
 * lock.
 */
public final class StartupTracker {

  /** Closed start-ups the daemon keeps per container; a crash loop must not grow it forever. */
  public static final int LIVE_MAX_RUNS = 500;

  public static final int DEFAULT_MAX_MODELS = 1000;

  private final int defaultYear;
  private final int maxModels;
  private final int maxRuns;
  private final Counts counts;
  private final List<RunSummary> closed = new ArrayList<>();
  /** The process of the current run exited: the next line begins another run. */
  private boolean ended;
  private long droppedRuns;
  private StartupRun run;
  private int year;
  /** Stamps without a year were read in {@code defaultYear} before any line named one. */
  private boolean guessedYear;
  private Instant lastTime;
  private LineTime pendingTime;
  private char pendingClock;
  private final HeaderClocks clocks = new HeaderClocks();
  /** The last of a run of screened noise, read only if a line without a time follows it. */
  private UnreadLine pendingNoise;
  private Instant pendingArrival;
  private long lines;

  /** @param defaultYear the year for glog/vLLM stamps when no line of the log names one */
  public StartupTracker(int defaultYear) {
    this(defaultYear, DEFAULT_MAX_MODELS);
  }

  /** @param maxModels models per start-up beyond which names are counted, not kept */
  public StartupTracker(int defaultYear, int maxModels) {
    this(defaultYear, maxModels, Integer.MAX_VALUE);
  }

  /**
   * @param maxRuns closed start-ups kept in {@code runs}; older ones are dropped and counted.
   *     A saved log keeps them all: the list of start-ups is the one thing that grows with it.
   */
  public StartupTracker(int defaultYear, int maxModels, int maxRuns) {
    this.defaultYear = defaultYear;
    this.maxModels = maxModels;
    this.maxRuns = maxRuns;
    this.counts = new Counts(maxModels);
  }

  /** Model names ignored so far because of the per-start-up cap. */
  public long modelsOverLimit() {
    return counts.modelsOverLimit();
  }

  public Counts.Snapshot counts() {
    if (run != null) {
      run.releaseHeld();
    }
    return counts.snapshot();
  }

  public void accept(ParsedLine line, Instant arrival) {
    if (run != null && run.start != null && line.structured() && line.events().isEmpty()) {
      // Noise: nothing to apply. Its time is kept unresolved until something needs it.
      lines++;
      run.noise();
      pendingTime = line.time();
      pendingClock = line.clock();
      pendingArrival = arrival;
      pendingNoise = null;
      return;
    }
    if (line.time() != null || arrival != null) {
      // The noise before a line with its own time cannot lend it one: no need to read it.
      pendingNoise = null;
    }
    flushPending();
    lines++;
    Instant time = resolve(line.time(), arrival, line.clock());
    boolean own = line.time() != null || arrival != null;
    if (run == null) {
      run = new StartupRun(line.number(), own ? time : null, counts, maxModels);
    } else if (ended && run.hasSubstance() || startsNewRun(line) && run.hasSubstance()
        || run.fatal && startsProcess(line)) {
      close();
      run = new StartupRun(line.number(), own ? time : null, counts, maxModels);
    }
    ended = false;
    run.accept(line, time, own);
  }

  /**
   * A line the byte screen found to be noise: counted, and it ends a table or a wrapped
   * message as any line would, but it is never parsed.
   */
  public void noise() {
    lines++;
    if (run != null) {
      run.noise();
    }
  }

  /**
   * {@code count} noise lines in a row, as if each were given to {@link #accept}, with only
   * the two that can matter read: the first, because a start-up that has not begun (no line
   * yet, or none with a time) begins at any line; and the last, because a following line
   * without a time of its own takes its time (so it is kept, and read only then). Screened
   * noise always carries a time, so after the first the start-up has one.
   *
   * @param last null when the run of noise is the first line alone
   */
  public void noise(int count, UnreadLine first, UnreadLine last) {
    if (count <= 0 || first == null) {
      return;
    }
    int rest = count;
    if (run == null || run.start == null) {
      accept(first.read(), null);
      if (--rest == 0) {
        return;
      }
    }
    lines += rest;
    if (run != null) {
      run.noise();
    }
    pendingNoise = last != null ? last : first;
    pendingTime = null;
    pendingArrival = null;
  }

  /** The container began again (Docker said so): whatever follows is a new start-up. */
  public void restart(Instant at) {
    flushPending();
    ended = false;
    if (run != null && run.hasSubstance()) {
      close();
      run = null;
    }
    if (at != null) {
      lastTime = at;
    }
  }

  /**
   * The process ended (Docker said so). A start-up that had not come up by then failed, even
   * if its log says nothing: an OOM-killed server prints no last words.
   */
  public void exited(Instant at, Long code) {
    exited(at, code, null);
  }

  /** @param reason why, when the engine says ({@code OOMKilled}, {@code Error}), else null */
  public void exited(Instant at, Long code, String reason) {
    flushPending();
    if (run == null) {
      run = new StartupRun(0, at, counts, maxModels);
    }
    run.exited(at != null ? at : lastTime, code, reason);
  }

  /**
   * The process of the current run is gone and another has started: whatever is read next is
   * the next process's, a new start-up even when its first line looks like nothing (a crash
   * loop's lines all look like its first). Not said at the exit alone: under load the engine
   * stamps a dead process's last lines after its exit.
   */
  public void processReplaced() {
    ended = true;
  }

  private void close() {
    run.releaseHeld();
    closed.add(run.runSummary());
    if (closed.size() > maxRuns) {
      closed.remove(0);
      droppedRuns++;
    }
  }

  private static boolean startsNewRun(ParsedLine line) {
    for (TritonEvent e : line.events()) {
      if (e instanceof TritonEvent.Banner) {
        return true;
      }
    }
    return false;
  }

  /**
   * A server that failed is restarted by whatever runs it (a wrapper, a loop in a script): the
   * first line of a Python process after a failure begins a new start-up even without a banner.
   */
  private static boolean startsProcess(ParsedLine line) {
    for (TritonEvent e : line.events()) {
      if (e instanceof TritonEvent.PlatformDetected || e instanceof TritonEvent.Banner) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first line that names a year (onnxruntime's, Python logging's) comes after glog or vLLM
   * lines that name none: what they were read as moves to that year, so no start-up lasts
   * minus one year.
   */
  private void reYear(int from, int to) {
    Years shift = new Years(from, to);
    if (run != null) {
      run.reYear(shift);
    }
    closed.replaceAll(r -> r.reYear(shift));
    lastTime = shift.apply(lastTime);
  }

  private void flushPending() {
    if (pendingNoise != null) {
      ParsedLine p = pendingNoise.read();
      pendingTime = p.time();
      pendingClock = p.clock();
      pendingArrival = null;
      pendingNoise = null;
    }
    if (pendingTime != null || pendingArrival != null) {
      resolve(pendingTime, pendingArrival, pendingClock);
      pendingTime = null;
      pendingArrival = null;
    }
  }

  private Instant resolve(LineTime t, Instant arrival, char clock) {
    Instant time = null;
    if (t != null) {
      if (t.hasYear()) {
        if (year == 0 && guessedYear && t.year() != defaultYear) {
          reYear(defaultYear, t.year());
        }
        year = t.year();
      } else if (year == 0 && arrival != null) {
        year = LineTime.of(arrival).year();
      }
      time = t.toInstant(year != 0 ? year : defaultYear);
      guessedYear |= year == 0 && !t.hasYear();
      if (time != null) {
        time = clocks.align(clock, time);
      }
    }
    if (time == null) {
      time = arrival != null ? arrival : lastTime;
    }
    if (time != null) {
      lastTime = time;
    }
    return time;
  }

  public long linesRead() {
    return lines;
  }

  /**
   * Whether a start-up with a time has begun. From then on noise only counts: the summary
   * changes in nothing but {@code linesRead}.
   */
  public boolean begun() {
    return run != null && run.start != null;
  }

  public int runCount() {
    return closed.size() + (run == null ? 0 : 1) + (int) droppedRuns;
  }

  /** An immutable reading of the latest start-up, with every start-up in {@code runs}. */
  public StartupSummary summary() {
    flushPending();
    if (run != null) {
      // An error line still waiting for a wrapped tail is counted now: what is shown and what
      // is counted agree, and a tail that arrives after a look is simply not joined.
      run.releaseHeld();
    }
    StartupRun r = run != null ? run : new StartupRun(0, null, new Counts(), maxModels);
    List<RunSummary> runs = new ArrayList<>(closed);
    if (run != null) {
      runs.add(run.runSummary());
    }
    return new StartupSummary(
        r.outcome(),
        // Any fact only Triton prints (a table, a version, a gRPC endpoint) makes it Triton's log.
        r.program != null ? r.program.name().toLowerCase(java.util.Locale.ROOT) : r.hasTritonSide() ? "triton" : null,
        r.tritonVersion,
        r.clock.current(),
        r.clock.since(),
        r.start,
        r.readyAt,
        r.startupSeconds(),
        r.shutdown,
        r.modelSummaries(),
        List.copyOf(r.services),
        r.figures.snapshot(),
        r.clock.spans(),
        r.errorList(),
        r.warnings.snapshot(),
        List.copyOf(runs),
        FailureMemory.of(runs, droppedRuns + 1, maxModels),
        lines,
        lastTime);
  }
}
