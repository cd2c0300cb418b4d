package io.tritonwatch.kubernetes;

import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.source.ContainerListener;
import io.tritonwatch.source.ContainerLog;
import io.tritonwatch.text.Rfc3339;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * One container of a pod on this node, across its restarts: each attempt's log chain read in
 * turn from its first line, so a daemon that came late, or restarted, reaches the state one
 * that watched from the start has. A new attempt's file is a restart: the attempt before it is
 * read to its end, its exit told (with its code when the API server gave it), then the new
 * one read. Not thread-safe: the source's one reading thread owns it.
 */
final class PodContainer {

  /** A piece whose last part does not come within this long is a line of its own. */
  private static final long PIECE_WAIT_NANOS = 2_000_000_000L;
  private final Path root;
  private final ContainerListener listener;
  private final int maxFiles;
  private PodLogPath path;
  private ContainerLog log;
  private CriLines lines;
  private CriFileChain chain;
  private long quietSince = System.nanoTime();
  private boolean ended;

  private PodContainer(Path root, ContainerListener listener, int maxFiles) {
    this.root = root;
    this.listener = listener;
    this.maxFiles = maxFiles;
  }

  /** Begins reading a container at its oldest attempt still on disk. */
  static PodContainer begin(Path root, ContainerListener listener, int maxFiles, PodLogPath first, PodMeta meta)
      throws IOException {
    PodContainer c = new PodContainer(root, listener, maxFiles);
    c.path = first;
    c.log = listener.running(c.info(first, meta, false), false);
    c.log.reading(true);
    c.open();
    return c;
  }

  String id() {
    return path.key();
  }

  int attempt() {
    return path.attempt();
  }

  private void open() throws IOException {
    ContainerLog target = log;
    lines = new CriLines(target);
    chain = CriFileChain.open(path.file(root), lines, maxFiles, () -> target.logGap("rotation"));
    target.logReader("file");
  }

  /** Reads what is new; a piece left waiting too long goes on as a line. */
  void poll() throws IOException {
    if (ended) {
      return;
    }
    long n = chain.poll();
    long now = System.nanoTime();
    if (n > 0) {
      quietSince = now;
    } else if (lines.partial() && now - quietSince > PIECE_WAIT_NANOS) {
      lines.flushPieces();
    }
  }

  /**
   * The kubelet started the container again: {@code next} is the new attempt's log. The
   * attempt read so far ends at its last line.
   */
  void restarted(PodLogPath next, PodMeta meta) throws IOException {
    end(meta == null ? Ending.UNKNOWN : Ending.before(meta.containers().get(path.container()), next.attempt()));
    path = next;
    ended = false;
    log = listener.running(info(next, meta, true), true);
    log.reading(true);
    open();
  }

  /** The pod is gone from this node: its last lines read, its end told. */
  void gone(PodMeta meta) throws IOException {
    if (!ended) {
      PodMeta.Container c = meta == null ? null : meta.containers().get(path.container());
      end(c == null ? Ending.UNKNOWN : c.exitCode() != null ? new Ending(c.exitCode(), c.reason())
          : new Ending(c.lastExitCode(), c.lastReason()));
    }
  }

  /** The API server says the current attempt ended: read it whole and tell its exit now. */
  void terminated(Long exitCode, String reason) throws IOException {
    if (!ended) {
      end(new Ending(exitCode, reason));
    }
  }

  boolean ended() {
    return ended;
  }

  private void end(Ending how) throws IOException {
    while (chain.poll() > 0) {
      // to the end of what the attempt wrote
    }
    lines.flushPieces();
    chain.close();
    long last = lines.lastStamp();
    Instant at = last == Rfc3339.NONE ? Instant.now() : Rfc3339.toInstant(last + 1);
    listener.died(path.key(), how.code(), how.reason(), at);
    log.reading(false); // its exit applies now: no line of this attempt is still to come
    ended = true;
  }

  /** How an attempt ended, as the pod status tells: its exit code and reason, or nothing known. */
  record Ending(Long code, String reason) {
    static final Ending UNKNOWN = new Ending(null, null);

    /** How the attempt before {@code next} ended: the last state once the status counts the restart. */
    static Ending before(PodMeta.Container c, int next) {
      if (c == null) {
        return UNKNOWN;
      }
      if (c.restartCount() == next) {
        return new Ending(c.lastExitCode(), c.lastReason());
      }
      return c.restartCount() < next ? new Ending(c.exitCode(), c.reason()) : UNKNOWN;
    }
  }


  ContainerInfo info(PodLogPath p, PodMeta meta, boolean started) {
    PodMeta.Container c = meta == null ? null : meta.containers().get(p.container());
    return new ContainerInfo(p.key(), p.container(), c == null ? null : c.image(),
        meta == null ? Map.of() : meta.selectable(), false, true, firstStamp(p.file(root)), null, p.attempt(), null,
        Map.of("namespace", p.namespace(), "pod", p.pod()));
  }

  /**
   * When the attempt's live file begins: the start of its run for a restart (whose file is new);
   * for the attempt a daemon meets first, its rotated files may begin earlier, and the stamps
   * of its lines are what the tracker goes by.
   */
  private static Instant firstStamp(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(48);
      for (int i = 0; i < b.length; i++) {
        if (b[i] == ' ') {
          long t = Rfc3339.parse(b, 0, i);
          return t == Rfc3339.NONE ? null : Rfc3339.toInstant(t);
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
