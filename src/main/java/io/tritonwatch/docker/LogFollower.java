package io.tritonwatch.docker;

import io.tritonwatch.source.ContainerLog;
import io.tritonwatch.source.RawLine;
import io.tritonwatch.text.ByteSearch;
import io.tritonwatch.text.Rfc3339;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one container's log from its start, with timestamps, and hands whole lines, their
 * stamps as values, to the container's log: from the engine's json-file on disk when one was given and can be read,
 * else (or once reading it failed) through the log API. When the stream breaks while the
 * container still runs it resumes from the last timestamp; lines already seen are dropped,
 * none are lost.
 */
final class LogFollower implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
  static final int MAX_LINE_BYTES = 1 << 20;
  private static final int STREAMS = 3; // RawLogStream.RAW, STDOUT, STDERR

  /** Asked when a stream ends: is the container still running (so: resume)? */
  interface Liveness {
    Life life(String containerId);
  }

  /**
   * What an inspect says of the container's run now.
   *
   * @param startedAt when the current (or last) run began, or null
   * @param finishedAt when the run before it ended, or null
   */
  record Life(boolean running, Instant startedAt, Instant finishedAt) {
    static final Life UNKNOWN = new Life(true, null, null);
  }

  /** Opens the engine's log stream of a container. */
  interface Opener {
    RawLogStream open(String containerId, long sinceSeconds, boolean follow) throws IOException;
  }

  private final Opener opener;
  /** The json-file to read instead of the API, or null. */
  private final Path logFile;
  /** The engine's max-file when it rotates, else 0. */
  private final int maxFiles;
  private final LogReactor reactor;
  private final ContainerLog container;
  private final RawLine raw = new RawLine();
  private final Liveness liveness;
  private final Backoff backoff;
  private final LineAssembler[] assemblers = new LineAssembler[STREAMS];
  private final ResumePoint[] resume;
  private volatile boolean closed;
  private volatile Closeable current;
  /** The json-file is being read on the reactor. */
  private volatile boolean fileActive;
  private boolean ended;
  private boolean moreRuns;
  /** The run the log API stream was opened on (its StartedAt), as the last inspect said. */
  private Instant readingRun;
  private final Thread thread;

  /** Where a container's log was read up to, per stream: kept across its followers. */
  static ResumePoint[] fromStart() {
    ResumePoint[] r = new ResumePoint[STREAMS];
    for (int t = 0; t < STREAMS; t++) {
      r[t] = new ResumePoint(null);
    }
    return r;
  }

  /**
   * @param resume where this container's log was read up to: a follower of a restarted
   *     container goes on from where the previous one stopped, so every run is read once
   */
  LogFollower(Opener opener, Path logFile, int maxFiles, LogReactor reactor, ContainerLog container,
              ResumePoint[] resume, Liveness liveness, Backoff backoff) {
    this.opener = opener;
    this.logFile = logFile;
    this.maxFiles = maxFiles;
    this.reactor = reactor;
    this.container = container;
    this.liveness = liveness;
    this.backoff = backoff;
    this.resume = resume;
    this.readingRun = container.info().startedAt();
    this.thread = new Thread(this::loop, "follow-" + container.name());
    this.thread.setDaemon(true);
  }

  void start() {
    container.reading(true); // before anything reads: an exit event may come at any moment
    if (logFile == null || !startFile()) {
      thread.start();
    }
  }

  private void loop() {
    try {
      follow();
    } finally {
      container.reading(false);
    }
  }

  /**
   * Hands the json-file to the reactor, which reads it until the container stopped and the file
   * went quiet. No thread waits for it: a host of many containers would hold one each for nothing.
   *
   * @return false if the file cannot be read here: the API it is
   */
  private boolean startFile() {
    for (ResumePoint r : resume) {
      r.resume(); // the file is read from its first byte: drop what earlier followers took
    }
    JsonFileEntries entries = new JsonFileEntries(MAX_LINE_BYTES,
        (stream, stampNanos, line, n, control) -> line(stream, stampNanos, line, n, control, false));
    LogFileTail tail;
    try {
      tail = LogFileTail.open(logFile, entries, () -> container.logGap("rotation"));
      if (maxFiles > 1 && tail.rotatedAtOpen() >= maxFiles - 1 && !resume[0].started() && !resume[1].started()
          && !resume[2].started()) {
        // The first look found the engine's whole chain of files: older ones may have been
        // deleted before anyone read them (a daemon started late, or a fast writer).
        container.logGap("rotation");
      }
    } catch (IOException e) {
      LOG.info("cannot read the log file of {} ({}); reading it through the API", container.name(), e.toString());
      return false;
    }
    current = tail;
    container.logReader("file");
    fileActive = true;
    try {
      reactor.tail(tail, () -> !container.running()).whenComplete((done, error) -> fileEnded(tail, entries, error));
    } catch (IOException e) {
      fileActive = false;
      current = null;
      QuietCallback.quietClose(tail);
      container.logReader("api");
      return false;
    }
    return true;
  }

  /** On the reactor's thread: the file was read to its end, or reading it failed (then the API takes over). */
  private void fileEnded(LogFileTail tail, JsonFileEntries entries, Throwable error) {
    current = null;
    QuietCallback.quietClose(tail);
    if (entries.malformed() > 0) {
      LOG.warn("{} entries of {}'s log file were not json-file entries and were skipped", entries.malformed(),
          container.name());
    }
    if (error == null && !closed && !mayEnd()) {
      // The container started again while the file went quiet: read on into the new run.
      fileActive = false;
      if (!startFile()) {
        thread.start();
      }
      return;
    }
    if (error == null || closed) {
      if (error == null) {
        tail.finish();
      }
      fileActive = false;
      container.reading(false);
      return;
    }
    LOG.warn("reading the log file of {} failed ({}); reading it through the API from here", container.name(),
        error.toString());
    container.logReader("api");
    thread.start(); // before fileActive goes: alive() must not say false in between
    fileActive = false;
  }

  private void follow() {
    boolean draining = false;
    while (!closed) {
      long since = Long.MAX_VALUE;
      for (ResumePoint r : resume) {
        r.resume();
        since = Math.min(since, r.sinceSeconds());
      }
      Throwable failure;
      try {
        failure = read(since, draining);
      } catch (StopReading e) {
        return;
      }
      Life life;
      try {
        life = liveness.life(container.id());
      } catch (RuntimeException e) {
        life = Life.UNKNOWN;
      }
      boolean running = life.running();
      if (life.startedAt() != null) {
        if (readingRun != null && !life.startedAt().equals(readingRun) && life.finishedAt() != null) {
          // The stream ended because its run did, and another began: the end of the run read
          // so far is where the next one's lines start, even if Docker's events come late.
          container.runEnded(life.finishedAt());
        }
        readingRun = life.startedAt();
      }
      if (!running) {
        if (draining) {
          if (mayEnd()) {
            LOG.debug("log of {} ended with the container", container.name());
            return;
          }
          draining = false; // it started again meanwhile
          continue;
        }
        // Docker can end a follow before its logger has written the container's last partial
        // line; one plain read from where we are picks up whatever came after.
        draining = true;
        continue;
      }
      if (draining) {
        // Stopped, drained, and running again (a restart): follow the new run from here.
        draining = false;
        continue;
      }
      LOG.info("log stream of {} ended while it runs{}; resuming", container.name(),
          failure == null ? "" : " (" + failure.getMessage() + ")");
      try {
        Thread.sleep(backoff.next().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Reading this container's log ends for good (closed, interrupted, or the log cannot be read). */
  private static final class StopReading extends Exception {
    StopReading() {
      super(null, null, false, false);
    }
  }

  /**
   * One stream of the log API from {@code since}: followed on the reactor, or (draining) read
   * once to its end on this thread.
   *
   * @return why the stream ended, or null if it simply ended
   */
  private Throwable read(long since, boolean draining) throws StopReading {
    Arrays.fill(assemblers, null);
    Throwable failure = null;
    try (RawLogStream s = opener.open(container.id(), since, !draining)) {
      current = s;
      if (closed) {
        throw new StopReading();
      }
      if (draining) {
        s.pump(this::onBytes); // one short read to the end, on this thread
      } else {
        reactor.follow(s, this::onBytes).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StopReading();
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (UnreadableLogException e) {
      // Said once, shown in /status and the metrics, and not asked again for this container.
      container.logUnreadable(e.getMessage());
      throw new StopReading();
    } catch (IOException e) {
      failure = e;
    } finally {
      current = null;
    }
    for (LineAssembler a : assemblers) {
      if (a != null) {
        a.finish();
      }
    }
    if (closed) {
      throw new StopReading();
    }
    return failure;
  }

  private void onBytes(int stream, byte[] b, int off, int len) {
    backoff.reset();
    LineAssembler a = assemblers[stream];
    if (a == null) {
      int s = stream;
      a = assemblers[stream] = new LineAssembler(MAX_LINE_BYTES,
          (stampNanos, line, n) -> line(s, stampNanos, line, n, ByteSearch.control(line, 0, n) < n, true));
    }
    try {
      a.feed(b, off, len);
    } catch (RuntimeException e) {
      // A line the tracker could not take must not cost us the stream.
      LOG.warn("dropped part of {}'s log: {}", container.name(), e.toString());
    }
  }

  /**
   * One whole line of a stream, in UTF-8, without the engine's stamp.
   *
   * @param api read through the log API, which may give a line again (see {@link #repeated})
   */
  private void line(int stream, long stampNanos, byte[] line, int n, boolean control, boolean api) {
    if (closed || !resume[stream].take(stampNanos)) {
      return; // a replaced follower leaves the rest to its successor, which goes on from here
    }
    if (api && repeated(stream, stampNanos, line, n)) {
      return;
    }
    try {
      container.line(raw.set(stream, stampNanos, line, 0, n, control));
    } catch (RuntimeException e) {
      // A line the tracker could not take must not cost us the log.
      LOG.warn("dropped a line of {}'s log: {}", container.name(), e.toString());
    }
  }

  private final long[] lastApiStamp = new long[STREAMS];
  private final int[] lastApiHash = new int[STREAMS];

  /**
   * The log API, following a file across a rotation, may give the last line again with its
   * own stamp: the same stamp and the same text in one stream is that line, not a second one.
   */
  private boolean repeated(int stream, long stampNanos, byte[] line, int n) {
    int h = 1;
    for (int i = 0; i < n; i++) {
      h = 31 * h + line[i];
    }
    boolean again = stampNanos != Rfc3339.NONE && stampNanos == lastApiStamp[stream] && h == lastApiHash[stream];
    lastApiStamp[stream] = stampNanos;
    lastApiHash[stream] = h;
    return again;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    Closeable s = current;
    if (s != null) {
      s.close(); // ends a blocked read
    }
    thread.interrupt();
  }

  boolean alive() {
    return fileActive || thread.isAlive();
  }

  /**
   * The container started again. Asked before a new follower is made: if this one has not
   * decided to end, it reads on into the new run (from where it is) and says true. The
   * decision and this question are one lock apart, so a run is never left without a reader.
   */
  synchronized boolean runStarted() {
    if (ended || closed || !alive()) {
      return false;
    }
    moreRuns = true;
    return true;
  }

  /** @return true if this follower ends now; false if a new run began and it must read on */
  private synchronized boolean mayEnd() {
    if (moreRuns) {
      moreRuns = false;
      return false;
    }
    ended = true;
    return true;
  }
}
