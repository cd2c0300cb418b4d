package io.tritonwatch.pipeline;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.source.RawLine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Screens the lines of one piece of a log on their bytes: the few that may matter are parsed
 * (parsing is pure, so pieces are parsed side by side), the noise between them only counted,
 * with its first and last line. Line numbers count from the piece's start; {@link ChunkedFeed}
 * puts the pieces back in order. Not thread-safe: one per piece.
 */
final class ChunkScreen implements TextLines.ByteSink {

  /**
   * A run of noise lines: how many, the first, and the last when there is more than one (a
   * start-up that has not begun begins at the first; a line without a time takes the last's).
   */
  record Run(int count, long firstNumber, String first, long lastNumber, String last) {
    static final Run NONE = new Run(0, 0, null, 0, null);

    /** This run followed directly by {@code next}: one run. */
    Run then(Run next) {
      if (next.count == 0) {
        return this;
      }
      if (count == 0) {
        return next;
      }
      return next.count == 1
          ? new Run(count + next.count, firstNumber, first, next.firstNumber, next.first)
          : new Run(count + next.count, firstNumber, first, next.lastNumber, next.last);
    }

    Run shifted(long by) {
      return count == 0 ? this : new Run(count, firstNumber + by, first, lastNumber + by, last);
    }
  }

  /** A line that may matter, read, and the noise just before it. */
  record Kept(ParsedLine line, Run noiseBefore) {}

  /** What a piece came to: its kept lines in order, the noise after the last, its line count. */
  record Screened(List<Kept> kept, Run noiseAfter, long lines) {}

  private List<Kept> kept = new ArrayList<>();
  private long lines;
  private int noise;
  private long firstNumber;
  private String first;
  /** The latest noise line: in the caller's array until it is released, then in a copy. */
  private byte[] last;
  private int lastOff;
  private int lastLen;
  private long lastNumber;

  @Override
  public void line(RawLine l) {
    line(l.buf(), l.off(), l.len(), l.control());
  }

  private void line(byte[] b, int off, int len, boolean control) {
    lines++;
    if (LineFeed.screenedNoise(b, off, off + len, control, false)) {
      if (noise++ == 0) {
        firstNumber = lines;
        first = new String(b, off, len, StandardCharsets.UTF_8);
      } else {
        last = b;
        lastOff = off;
        lastLen = len;
        lastNumber = lines;
      }
      return;
    }
    String text = new String(b, off, len, StandardCharsets.UTF_8);
    kept.add(new Kept(LineFeed.read(lines, text, RawLine.NO_STAMP, !control), run()));
  }

  /** Copies the latest noise line once per buffer, not once per line. */
  @Override
  public void released() {
    if (noise >= 2 && last != null) {
      last = java.util.Arrays.copyOfRange(last, lastOff, lastOff + lastLen);
      lastOff = 0;
    }
  }

  int keptCount() {
    return kept.size();
  }

  /** What was screened since the last take; numbering goes on from there. */
  Screened take() {
    Screened s = new Screened(kept, run(), lines);
    kept = new ArrayList<>();
    lines = 0;
    return s;
  }

  private Run run() {
    Run r = noise == 0 ? Run.NONE
        : new Run(noise, firstNumber, first, lastNumber,
            noise >= 2 ? new String(last, lastOff, lastLen, StandardCharsets.UTF_8) : null);
    noise = 0;
    first = null;
    last = null;
    return r;
  }
}
