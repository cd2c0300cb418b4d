package io.tritonwatch.pipeline;

import io.tritonwatch.parse.ByteScreen;
import io.tritonwatch.parse.LineParser;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.source.RawLine;
import io.tritonwatch.stage.StartupTracker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * The per-line step, in one place: the byte screen decides whether a line may matter; if so
 * it is parsed and tracked, else it is counted as noise. Once a start-up has begun, noise is
 * only counted and the last such line kept as bytes; the tracker hears of a run of it when
 * anything else happens (a busy server prints thousands a second, and a text and a tracker
 * call for each were much of the daemon's CPU). Used by {@code watch} and {@code demo} line
 * by line, and by {@code analyze} through {@link ChunkedFeed}, which screens and parses on
 * several threads with {@link #screenedNoise} and {@link #read}. Not thread-safe.
 */
public final class LineFeed {

  private static final int MAX_HELD_NOISE = 1 << 20;

  private final StartupTracker tracker;
  /** Gives a line without the engine's stamp its arrival time, or null for a saved log. */
  private final Clock arrivals;
  private long lineNo;
  private long bytes;
  private long parseNanos;
  /** Noise counted but not yet handed to the tracker, and the last of it. */
  private int heldNoise;
  private byte[] heldLast = new byte[256];
  private int heldLastLen;
  private long heldLastNo;
  private long heldLastStamp;

  /** @param arrivals the clock that times a live line without a stamp; null for a saved log */
  public LineFeed(StartupTracker tracker, Clock arrivals) {
    this.tracker = tracker;
    this.arrivals = arrivals;
  }

  /** Whether the screen finds the line to be certainly noise: it is then never parsed. */
  public static boolean screenedNoise(byte[] b, int off, int end, boolean control, boolean stamped) {
    // A stamp taken off by the reader counts as the prefix it was.
    return stamped ? ByteScreen.noiseAfterStamp(b, off, end, control) : ByteScreen.noise(b, off, end, control);
  }

  /** Parses a line the screen passed; {@code clean}: it holds no byte below 0x20. */
  public static ParsedLine read(long number, String text, long stampNanos, boolean clean) {
    if (stampNanos != RawLine.NO_STAMP) {
      return LineParser.parse(number, text, stampNanos);
    }
    return clean ? LineParser.parseClean(number, text) : LineParser.parse(number, text);
  }

  /**
   * One line of the log.
   *
   * @return true when the tracker took it (what is shown may have changed); false when it was
   *     only counted as noise
   */
  public boolean line(RawLine l) {
    lineNo++;
    bytes += l.len() + 1;
    if (screenedNoise(l.buf(), l.off(), l.end(), l.control(), l.stamped())) {
      return noise(l);
    }
    long t0 = System.nanoTime();
    settle();
    ParsedLine parsed = read(lineNo, l.text(), l.stampNanos(), false);
    // The stamp is the line's time; the clock only for a line without one.
    tracker.accept(parsed, l.stamped() || arrivals == null ? null : Instant.now(arrivals));
    parseNanos += System.nanoTime() - t0;
    return true;
  }

  /** A line of text, read whatever the screen would say (the demo's and the tests' way in). */
  public void text(String text, Instant arrival) {
    lineNo++;
    bytes += text.getBytes(StandardCharsets.UTF_8).length + 1;
    settle();
    tracker.accept(LineParser.parse(lineNo, text), arrival);
  }

  private boolean noise(RawLine l) {
    if (!tracker.begun()) {
      settle();
      // The first line may begin the start-up.
      tracker.noise(1, new UnreadText(lineNo, l.text(), l.stampNanos()), null);
      return true;
    }
    if (heldLast.length < l.len()) {
      heldLast = new byte[Math.max(l.len(), 2 * heldLast.length)];
    }
    System.arraycopy(l.buf(), l.off(), heldLast, 0, l.len());
    heldLastLen = l.len();
    heldLastNo = lineNo;
    heldLastStamp = l.stampNanos();
    if (++heldNoise == MAX_HELD_NOISE) {
      settle();
    }
    return false;
  }

  /** Hands the noise held back to the tracker, which reads its last line only if it must. */
  public void settle() {
    if (heldNoise > 0) {
      UnreadText last = new UnreadText(heldLastNo, new String(heldLast, 0, heldLastLen, StandardCharsets.UTF_8),
          heldLastStamp);
      tracker.noise(heldNoise, last, last);
      heldNoise = 0;
      if (heldLast.length > 4096) {
        heldLast = new byte[256];
      }
    }
  }

  public StartupTracker tracker() {
    return tracker;
  }

  public long lines() {
    return lineNo;
  }

  public long bytes() {
    return bytes;
  }

  public long parseNanos() {
    return parseNanos;
  }
}
