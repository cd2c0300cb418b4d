package io.tritonwatch.kubernetes;

import io.tritonwatch.source.LineJoiner;
import io.tritonwatch.source.LineSink;
import io.tritonwatch.source.RawLine;
import io.tritonwatch.text.ByteSearch;
import io.tritonwatch.text.Rfc3339;
import java.util.Arrays;

/**
 * Reads the CRI log format containerd and CRI-O write for the kubelet, one record a line:
 * {@code <RFC 3339 stamp> <stdout|stderr> <tags> <text>}. The stamp's width varies (Go drops
 * trailing zeros), so fields are found by their spaces. Tags are ':'-separated and the first
 * is {@code P} (a piece: the runtime cut a long line, or the container ended mid-line) or
 * {@code F} (the line's last piece). Pieces are joined per stream as bytes, so a character cut
 * between two pieces survives, under the first piece's stamp. A record that is not CRI is
 * counted and skipped; it never stops the reading. Not thread-safe.
 */
final class CriLines {

  /** The longest line handed on; what is longer is cut there (a payload dump, not a log line). */
  static final int MAX_LINE_BYTES = 1 << 20;
  private static final byte[] STDOUT = {'s', 't', 'd', 'o', 'u', 't'};
  private static final byte[] STDERR = {'s', 't', 'd', 'e', 'r', 'r'};

  private final LineSink sink;
  private final RawLine raw = new RawLine();
  /** Per stream (index: {@link RawLine#STDOUT}, {@link RawLine#STDERR}), the line being joined. */
  private final LineJoiner[] pieces = {null, new LineJoiner(MAX_LINE_BYTES), new LineJoiner(MAX_LINE_BYTES)};
  private final long[] firstStamp = {Rfc3339.NONE, Rfc3339.NONE, Rfc3339.NONE};
  /** A record cut by the end of what was read so far. */
  private byte[] carry = new byte[256];
  private int carryLen;
  private long malformed;
  private long lastStamp = Rfc3339.NONE;

  CriLines(LineSink sink) {
    this.sink = sink;
  }

  /** Records not understood so far. */
  long malformed() {
    return malformed;
  }

  /** The stamp of the last record read, or {@link Rfc3339#NONE}. */
  long lastStamp() {
    return lastStamp;
  }

  /** Whether a stream holds a piece whose last part has not come. */
  boolean partial() {
    return !pieces[RawLine.STDOUT].isEmpty() || !pieces[RawLine.STDERR].isEmpty();
  }

  void feed(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    if (carryLen > 0) {
      int nl = ByteSearch.newline(b, i, end);
      append(b, i, nl - i);
      if (nl == end) {
        return;
      }
      record(carry, 0, carryLen);
      carryLen = 0;
      i = nl + 1;
    }
    while (i < end) {
      int nl = ByteSearch.newline(b, i, end);
      if (nl == end) {
        append(b, i, end - i);
        return;
      }
      record(b, i, nl);
      i = nl + 1;
    }
  }

  /** A file ended for good (a rotated file read to its end): a record left without its newline is whole. */
  void endOfFile() {
    if (carryLen > 0) {
      record(carry, 0, carryLen);
      carryLen = 0;
    }
  }

  /**
   * The container ended, or a piece waited too long: what is joined so far goes on as a line.
   * A container's last line without a newline is written as {@code P} and never followed by
   * {@code F}; nobody but the reader can end it.
   */
  void flushPieces() {
    endOfFile();
    for (int s = RawLine.STDOUT; s <= RawLine.STDERR; s++) {
      if (!pieces[s].isEmpty()) {
        emit(s);
      }
    }
  }

  private void append(byte[] b, int from, int n) {
    if (carryLen + n > carry.length) {
      // A record is a piece of at most the runtime's line limit and its prefix; a longer one is
      // not the runtime's, and is kept only to its cap.
      int want = Math.min(Math.max(carry.length * 2, carryLen + n), MAX_LINE_BYTES + 64);
      carry = Arrays.copyOf(carry, want);
    }
    int take = Math.min(n, carry.length - carryLen);
    System.arraycopy(b, from, carry, carryLen, take);
    carryLen += take;
  }

  /** One record in {@code b[from, to)}, without its newline. */
  private void record(byte[] b, int from, int to) {
    int sp1 = space(b, from, to);
    long stamp = sp1 < 0 ? Rfc3339.NONE : Rfc3339.parse(b, from, sp1 - from);
    int stream = sp1 < 0 ? -1 : stream(b, sp1 + 1, to);
    int tagsFrom = sp1 + 8;
    int sp3 = stream < 0 ? -1 : tagsEnd(b, tagsFrom, to);
    if (stamp == Rfc3339.NONE || stream < 0 || sp3 < 0 || (b[tagsFrom] != 'P' && b[tagsFrom] != 'F')) {
      malformed++;
      return;
    }
    lastStamp = stamp;
    int text = Math.min(sp3 + 1, to);
    LineJoiner line = pieces[stream];
    if (line.isEmpty()) {
      firstStamp[stream] = stamp;
    }
    line.append(b, text, to - text);
    if (b[tagsFrom] == 'F') {
      emit(stream);
    }
  }

  private void emit(int stream) {
    LineJoiner line = pieces[stream];
    byte[] buf = line.buf();
    int n = line.len();
    sink.line(raw.set(stream, firstStamp[stream], buf, 0, n, ByteSearch.control(buf, 0, n) < n));
    line.reset();
    firstStamp[stream] = Rfc3339.NONE;
  }

  private static int space(byte[] b, int from, int to) {
    for (int i = from; i < to && i - from <= 40; i++) {
      if (b[i] == ' ') {
        return i;
      }
    }
    return -1;
  }

  /** {@code stdout} or {@code stderr} and a space at {@code p}: the stream, else -1. */
  private static int stream(byte[] b, int p, int to) {
    if (to - p < 8 || b[p + 6] != ' ') {
      return -1;
    }
    if (ByteSearch.same(b, p, STDOUT, 0, 6)) {
      return RawLine.STDOUT;
    }
    return ByteSearch.same(b, p, STDERR, 0, 6) ? RawLine.STDERR : -1;
  }

  /**
   * The space after the tags ({@code F}, {@code P}, or more tags after a ':'); an empty line's
   * record may end right after them.
   */
  private static int tagsEnd(byte[] b, int from, int to) {
    for (int i = from + 1; i <= to; i++) {
      if (i == to || b[i] == ' ') {
        return i;
      }
      if (i == from + 1 && b[i] != ':') {
        return -1; // the first tag is one letter
      }
    }
    return -1;
  }
}
