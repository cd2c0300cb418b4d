package io.tritonwatch.cli;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.parse.ByteScreen;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.stage.StartupTracker;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Feeds a saved log to a tracker in two stages. The reading thread splits and screens every
 * line on its bytes and keeps the few that may matter; a second thread parses and tracks
 * those, in order, a batch at a time. The stages overlap on two cores, and keeping the parser
 * out of the per-line loop keeps that loop small for the JIT: when one loop did both, the
 * compiler inlined the whole parser into it and rebuilt that giant method each time a rare
 * branch was reached, which took a core for seconds.
 */
final class ScreenedFeed implements TextLines.ByteSink, AutoCloseable {

  private static final int BATCH = 512;
  /** Batches in flight: bounds memory to a few hundred KiB whatever the file's size. */
  private static final int QUEUED = 16;

  private static final class Batch {
    final String[] texts = new String[BATCH];
    final long[] numbers = new long[BATCH];
    /** How many noise lines came before each kept line, so the tracker sees them in order. */
    final int[] noiseBefore = new int[BATCH];
    /**
     * The first and last line of each run of noise: a start-up that has not begun begins at
     * the first, and a line without a time of its own takes the time of the last.
     */
    final LogLine[] gapFirst = new LogLine[BATCH + 1];
    final LogLine[] gapLast = new LogLine[BATCH + 1];
    int kept;
    int noiseAfter;
    boolean last;
  }

  private final StartupTracker tracker;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
  private final Thread worker;
  private volatile Throwable failure;
  private Batch batch = new Batch();
  private int noise;
  private LogLine gapFirst;
  /** Where the latest noise line lies: in the reader's buffer until it is released, then a copy. */
  private byte[] lastNoise;
  private int lastNoiseOff;
  private int lastNoiseLen;
  private long lastNoiseNumber;
  private byte[] copy = new byte[256];
  private long line;

  ScreenedFeed(StartupTracker tracker) {
    this.tracker = tracker;
    this.worker = new Thread(this::work, "tritonwatch-parse");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public void line(byte[] b, int off, int len, boolean control) {
    line++;
    if (ByteScreen.noise(b, off, off + len, control)) {
      if (noise++ == 0) {
        gapFirst = new LogLine(line, new String(b, off, len, StandardCharsets.UTF_8), null);
      } else {
        lastNoise = b;
        lastNoiseOff = off;
        lastNoiseLen = len;
        lastNoiseNumber = line;
      }
      return;
    }
    Batch x = batch;
    x.gapLast[x.kept] = gapLast();
    x.texts[x.kept] = new String(b, off, len, StandardCharsets.UTF_8);
    x.numbers[x.kept] = line;
    x.noiseBefore[x.kept] = noise;
    x.gapFirst[x.kept] = gapFirst;
    noise = 0;
    gapFirst = null;
    if (++x.kept == BATCH) {
      hand(false);
    }
  }

  /** Copies the latest noise line once per buffer, not once per line. */
  @Override
  public void released() {
    if (lastNoise != null && lastNoise != copy) {
      if (lastNoiseLen > copy.length) {
        copy = new byte[Math.max(lastNoiseLen, 2 * copy.length)];
      }
      System.arraycopy(lastNoise, lastNoiseOff, copy, 0, lastNoiseLen);
      lastNoise = copy;
      lastNoiseOff = 0;
    }
  }

  /** Waits until every line read so far is in the tracker. */
  void finish() {
    hand(true);
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while parsing", e);
    }
    rethrow();
  }

  @Override
  public void close() {
    worker.interrupt();
  }

  private void hand(boolean last) {
    Batch x = batch;
    x.noiseAfter = noise;
    x.gapFirst[BATCH] = gapFirst;
    x.gapLast[BATCH] = gapLast();
    x.last = last;
    noise = 0;
    gapFirst = null;
    batch = new Batch();
    try {
      while (!queue.offer(x, 100, TimeUnit.MILLISECONDS)) {
        rethrow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading", e);
    }
  }

  /** The last line of the current run of noise when it has more than one, else null. */
  private LogLine gapLast() {
    if (noise < 2) {
      return null;
    }
    LogLine last = new LogLine(lastNoiseNumber, new String(lastNoise, lastNoiseOff, lastNoiseLen, StandardCharsets.UTF_8), null);
    lastNoise = null;
    return last;
  }

  private void rethrow() {
    Throwable t = failure;
    if (t instanceof RuntimeException r) {
      throw r;
    } else if (t instanceof Error e) {
      throw e;
    } else if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  private void work() {
    try {
      while (true) {
        Batch x = queue.take();
        apply(x);
        if (x.last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void apply(Batch x) {
    for (int i = 0; i < x.kept; i++) {
      tracker.noise(x.noiseBefore[i], x.gapFirst[i], x.gapLast[i]);
      tracker.accept(new LogLine(x.numbers[i], x.texts[i], null));
    }
    tracker.noise(x.noiseAfter, x.gapFirst[BATCH], x.gapLast[BATCH]);
  }
}
