package io.tritonwatch.pipeline;

import io.tritonwatch.pipeline.ChunkScreen.Kept;
import io.tritonwatch.pipeline.ChunkScreen.Run;
import io.tritonwatch.pipeline.ChunkScreen.Screened;
import io.tritonwatch.input.TextLines;
import io.tritonwatch.stage.StartupTracker;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Feeds a saved log to a tracker. The log is cut into pieces of whole lines; each piece is
 * split, screened on its bytes and its few kept lines parsed on one of a few threads (nearly
 * all of a busy server's lines are noise, and screening them is most of the work; the parser
 * is pure); the pieces come back in order on this thread, which only tracks. The tracker sees
 * the same lines, noise runs and line numbers as when one thread read the log line by line.
 *
 * <p>Memory is bounded whatever the log's size: at most {@code 2 x threads + 2} pieces are
 * read ahead, and their buffers are used again.
 */
public final class ChunkedFeed implements AutoCloseable {

  public static final int CHUNK_BYTES = 256 * 1024;
  /** A UTF-16 log is read on this thread; its kept lines go to the tracker this many at a time. */
  private static final int DECODED_BATCH = 512;

  private record Pending(Future<Screened> result, byte[] buffer) {}

  private final StartupTracker tracker;
  private final int maxChars;
  private final int chunkBytes;
  private final int ahead;
  private final ExecutorService screens;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  /** Lines of the pieces already given to the tracker. */
  private long base;
  /** Noise at the end of those pieces, which the next piece's may continue. */
  private Run noise = Run.NONE;

  public ChunkedFeed(StartupTracker tracker, int threads, int maxChars, int chunkBytes) {
    this.tracker = tracker;
    this.maxChars = maxChars;
    this.chunkBytes = chunkBytes;
    this.ahead = 2 * threads + 2;
    AtomicInteger n = new AtomicInteger();
    this.screens = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "tritonwatch-screen-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Reads the whole log into the tracker. */
  public void read(InputStream in) throws IOException {
    ChunkScreen decoded = new ChunkScreen();
    TextLines.readChunks(in, maxChars, chunkBytes, new TextLines.ChunkSink() {
      @Override
      public byte[] buffer(int minLength) {
        if (pending.size() >= ahead) {
          applyOldest();
        }
        byte[] b = free.poll();
        return b != null && b.length >= minLength ? b : new byte[minLength];
      }

      @Override
      public void chunk(byte[] b, int len) {
        pending.add(new Pending(screens.submit(() -> screen(b, len)), b));
      }
    }, l -> {
      decoded.line(l);
      if (decoded.keptCount() >= DECODED_BATCH) {
        apply(decoded.take());
      }
    });
    while (!pending.isEmpty()) {
      applyOldest();
    }
    apply(decoded.take());
    tracker.noise(noise.count(), line(noise.firstNumber(), noise.first()), line(noise.lastNumber(), noise.last()));
    noise = Run.NONE;
  }

  private Screened screen(byte[] b, int len) {
    ChunkScreen s = new ChunkScreen();
    TextLines.split(b, len, maxChars, s);
    return s.take();
  }

  private void applyOldest() {
    Pending p = pending.poll();
    Screened s;
    try {
      s = p.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
    if (p.buffer.length == chunkBytes) {
      free.push(p.buffer);
    }
    apply(s);
  }

  private void apply(Screened s) {
    for (Kept k : s.kept()) {
      Run r = noise.then(k.noiseBefore().shifted(base));
      tracker.noise(r.count(), line(r.firstNumber(), r.first()), line(r.lastNumber(), r.last()));
      tracker.accept(k.line().renumbered(base + k.line().number()), null);
      noise = Run.NONE;
    }
    noise = noise.then(s.noiseAfter().shifted(base));
    base += s.lines();
  }

  private static UnreadText line(long number, String text) {
    return UnreadText.of(number, text);
  }

  @Override
  public void close() {
    screens.shutdownNow();
  }
}
