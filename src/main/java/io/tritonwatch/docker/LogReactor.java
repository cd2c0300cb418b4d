package io.tritonwatch.docker;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that reads every followed log stream and log file. The engine writes each line on
 * its own, so a thread per stream woke once a line; on a small VM the wake-ups, not the lines,
 * were most of the daemon's CPU. Here one
 * thread waits for any stream to have data, reads all that are ready, and then lets
 * {@link #TICK_MILLIS} pass before it looks again while data keeps coming: a burst from every
 * container costs one wake-up, and a line waits at most that long. Files are looked at every
 * {@link #TICK_MILLIS}. An idle host with only streams costs nothing.
 *
 * <p>The tick was chosen by measurement ({@code bench/watch_load.py}; figures in
 * bench/RESULTS.md): the reading itself is cheap, waking and walking every container's state
 * is not, and a longer tick gains little CPU while a line waits longer to reach {@code /status}.
 */
final class LogReactor implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(LogReactor.class);
  static final long TICK_MILLIS = 50;

  private record Follow(RawLogStream stream, RawLogStream.Sink sink, CompletableFuture<Void> done) {}

  /** A log file looked at every round; no selector can say when a file grows. */
  private static final class Tail {
    final LogFileTail file;
    final BooleanSupplier ended;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    long quietSince = -1;

    Tail(LogFileTail file, BooleanSupplier ended) {
      this.file = file;
      this.ended = ended;
    }
  }

  /** After its container stopped, a file is read until it has been quiet this long. */
  static final long END_QUIET_NANOS = 200_000_000L;
  private final Queue<Tail> incomingTails = new ConcurrentLinkedQueue<>();
  private final List<Tail> tails = new ArrayList<>();

  private final Selector selector;
  private final Queue<Follow> incoming = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  LogReactor() throws IOException {
    selector = Selector.open();
    thread = new Thread(this::loop, "docker-logs");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Reads the stream here until it ends; its bytes go to the sink on this reactor's thread.
   *
   * @return completes when the engine ends the stream (or with the error that ended it); closing
   *     the stream from elsewhere does not complete it, so the closer must
   */
  CompletableFuture<Void> follow(RawLogStream stream, RawLogStream.Sink sink) throws IOException {
    if (closed) {
      throw new IOException("log reader stopped");
    }
    stream.channel().configureBlocking(false);
    Follow f = new Follow(stream, sink, new CompletableFuture<>());
    incoming.add(f);
    selector.wakeup();
    return f.done;
  }

  /**
   * Reads the file here until {@code ended} says its container stopped and it has been quiet
   * for {@link #END_QUIET_NANOS}; its lines go to its sink on this reactor's thread.
   *
   * @return completes then (or with the error that stopped the reading); closing the tail
   *     from elsewhere ends it too
   */
  CompletableFuture<Void> tail(LogFileTail file, BooleanSupplier ended) throws IOException {
    if (closed) {
      throw new IOException("log reader stopped");
    }
    Tail t = new Tail(file, ended);
    incomingTails.add(t);
    selector.wakeup();
    return t.done;
  }

  private void loop() {
    try {
      // The body is in methods of its own: the JIT compiles a method after a few hundred
      // calls, but a loop that turns a hundred times a second stayed interpreted for minutes.
      boolean paused = false;
      while (!closed) {
        registerIncoming();
        if (paused) {
          selector.selectNow(); // the pause was the wait
        } else if (tails.isEmpty()) {
          selector.select();
        } else {
          selector.select(TICK_MILLIS);
        }
        boolean read = readReady() | pollTails();
        paused = false;
        if (read && incoming.isEmpty() && incomingTails.isEmpty()) {
          Thread.sleep(TICK_MILLIS);
          paused = true;
        }
      }
    } catch (InterruptedException | ClosedSelectorException e) {
      // closing
    } catch (IOException | RuntimeException e) {
      LOG.error("log reader stopped: {}", e.toString());
    } finally {
      IOException stopped = new IOException("log reader stopped");
      for (SelectionKey k : selector.keys()) {
        ((Follow) k.attachment()).done.completeExceptionally(stopped);
      }
      Follow f;
      while ((f = incoming.poll()) != null) {
        f.done.completeExceptionally(stopped);
      }
      Tail t;
      while ((t = incomingTails.poll()) != null) {
        tails.add(t);
      }
      for (Tail x : tails) {
        x.done.completeExceptionally(stopped);
      }
      try {
        selector.close();
      } catch (IOException e) {
        // nothing left to do with it
      }
    }
  }

  private void registerIncoming() {
    Tail t;
    while ((t = incomingTails.poll()) != null) {
      tails.add(t);
    }
    Follow f;
    while ((f = incoming.poll()) != null) {
      try {
        f.stream.channel().register(selector, SelectionKey.OP_READ, f);
        f.stream.decode(f.sink, false); // what came with the answer's headers
      } catch (IOException | RuntimeException e) {
        f.done.completeExceptionally(e);
      }
    }
  }

  /** Reads every file; true if any had grown. */
  private boolean pollTails() {
    boolean read = false;
    for (Iterator<Tail> it = tails.iterator(); it.hasNext(); ) {
      Tail t = it.next();
      try {
        if (t.file.closed()) {
          it.remove();
          t.done.completeExceptionally(new IOException("closed"));
          continue;
        }
        if (t.file.poll() > 0) {
          read = true;
          t.quietSince = -1;
        } else if (t.ended.getAsBoolean()) {
          long now = System.nanoTime();
          if (t.quietSince < 0) {
            t.quietSince = now;
          } else if (now - t.quietSince >= END_QUIET_NANOS) {
            it.remove();
            t.done.complete(null);
          }
        } else {
          t.quietSince = -1;
        }
      } catch (IOException | RuntimeException e) {
        it.remove();
        t.done.completeExceptionally(e);
      }
    }
    return read;
  }

  /** Reads every stream with data; true if there were any. */
  private boolean readReady() {
    boolean read = false;
    for (SelectionKey k : selector.selectedKeys()) {
      Follow x = (Follow) k.attachment();
      try {
        if (!k.isValid() || !x.stream.readAvailable(x.sink)) {
          k.cancel();
          x.done.complete(null);
        }
        read = true;
      } catch (IOException | RuntimeException e) {
        k.cancel();
        x.done.completeExceptionally(e);
      }
    }
    selector.selectedKeys().clear();
    return read;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    selector.wakeup();
  }
}
