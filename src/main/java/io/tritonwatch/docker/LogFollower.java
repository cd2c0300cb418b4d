package io.tritonwatch.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.tritonwatch.parse.ByteScreen;
import io.tritonwatch.watch.WatchedContainer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one container's log from its start, with timestamps, and feeds whole lines to the
 * container's tracker. When the stream breaks while the container still runs it resumes
 * from the last timestamp; lines already seen are dropped, none are lost.
 */
final class LogFollower implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
  static final int MAX_LINE_BYTES = 1 << 20;

  /** Asked when a stream ends: is the container still running (so: resume)? */
  interface Liveness {
    boolean stillRunning(String containerId);
  }

  private final java.util.function.Supplier<DockerClient> docker;
  private final WatchedContainer container;
  private final Instant previousEnd;
  private final Liveness liveness;
  private final Backoff backoff;
  private final Map<StreamType, LineAssembler> assemblers = new EnumMap<>(StreamType.class);
  private final Map<StreamType, ResumePoint> resume = new EnumMap<>(StreamType.class);
  private volatile boolean closed;
  private volatile QuietCallback<Frame> current;
  private final Thread thread;

  LogFollower(java.util.function.Supplier<DockerClient> docker, WatchedContainer container, Instant previousEnd, Liveness liveness,
              Backoff backoff) {
    this.docker = docker;
    this.container = container;
    this.previousEnd = previousEnd;
    this.liveness = liveness;
    this.backoff = backoff;
    this.thread = new Thread(this::loop, "follow-" + container.name());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private ResumePoint resumeOf(StreamType t) {
    return resume.computeIfAbsent(t, k -> new ResumePoint(previousEnd));
  }

  private void loop() {
    boolean draining = false;
    while (!closed) {
      long since = Long.MAX_VALUE;
      for (StreamType t : new StreamType[] {StreamType.STDOUT, StreamType.STDERR, StreamType.RAW}) {
        ResumePoint r = resumeOf(t);
        r.resume();
        since = Math.min(since, r.sinceSeconds());
      }
      assemblers.clear();
      Throwable failure = null;
      try {
        QuietCallback<Frame> cb = new QuietCallback<>(this::onFrame);
        current = cb;
        DockerClient client = docker.get();
        if (client == null) {
          throw new IllegalStateException("not connected to Docker");
        }
        client.logContainerCmd(container.id())
            .withStdOut(true).withStdErr(true).withFollowStream(!draining).withTimestamps(true)
            .withSince((int) Math.min(Integer.MAX_VALUE, since))
            .exec(cb);
        try {
          cb.awaitCompletion();
        } finally {
          // Release the connection whatever happened; an open callback holds it.
          QuietCallback.quietClose(cb);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failure = e;
      }
      if (failure == null && current != null) {
        failure = current.error();
      }
      for (LineAssembler a : assemblers.values()) {
        a.finish();
      }
      if (closed) {
        return;
      }
      boolean running;
      try {
        running = liveness.stillRunning(container.id());
      } catch (RuntimeException e) {
        running = true;
      }
      if (!running) {
        if (draining) {
          LOG.debug("log of {} ended with the container", container.name());
          return;
        }
        // Docker can end a follow before its logger has written the container's last partial
        // line; one plain read from where we are picks up whatever came after.
        draining = true;
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

  private void onFrame(Frame frame) {
    StreamType type = frame.getStreamType();
    byte[] payload = frame.getPayload();
    if (payload == null || payload.length == 0) {
      return;
    }
    backoff.reset();
    LineAssembler a = assemblers.computeIfAbsent(type, t -> new LineAssembler(MAX_LINE_BYTES,
        (stampNanos, line, len) -> {
          if (resumeOf(t).take(stampNanos)) {
            String text = new String(line, 0, len, StandardCharsets.UTF_8);
            if (stampNanos != DockerTimestamp.NONE && ByteScreen.noise(line, 0, len)) {
              // Most of a busy server's lines: counted without being parsed.
              container.noise(text);
            } else {
              // The stamp in the text is the line's time; the clock only for a line without one.
              container.accept(text, stampNanos == DockerTimestamp.NONE ? Instant.now() : null);
            }
          }
        }));
    try {
      a.feed(payload, 0, payload.length);
    } catch (RuntimeException e) {
      // A line the tracker could not take must not cost us the stream.
      LOG.warn("dropped part of {}'s log: {}", container.name(), e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    QuietCallback.quietClose(current);
    thread.interrupt();
  }

  boolean alive() {
    return thread.isAlive();
  }
}
