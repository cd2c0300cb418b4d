package io.tritonwatch.docker;

import io.tritonwatch.source.LineJoiner;
import io.tritonwatch.text.ByteSearch;
import io.tritonwatch.text.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the engine's json-file log: one JSON object a line,
 * {@code {"log":"text\n","stream":"stdout","time":"2026-11-26T10:00:00.123456789Z"}}, with an
 * optional {@code "attrs"} object. A line of output longer than 16 KiB is written as several
 * entries of which only the last ends in a newline; they are joined here, per stream, under
 * the first entry's time. Each line goes on as its text, with the entry's time as a value, as
 * the log API's lines do.
 *
 * <p>An entry that is not such an object (a file cut mid-entry by a crash, a foreign line) is
 * counted and skipped; it never stops the reading. Not thread-safe.
 */
final class JsonFileEntries {

  /** Receives each whole line. */
  interface Sink {
    /**
     * @param stream {@link RawLogStream#STDOUT} or {@link RawLogStream#STDERR}
     * @param line the line in {@code line[0, len)}; the array is reused after the call
     * @param control whether the line holds a byte below 0x20 (only escapes can make one)
     */
    void line(int stream, long stampNanos, byte[] line, int len, boolean control);
  }

  private final int maxLineBytes;
  private final Sink sink;
  /** An entry cut by the end of what was read so far. */
  private byte[] carry = new byte[1024];
  private int carryLen;
  /** Per stream, the line being joined from entries without a newline (index: stream type). */
  private final Pending[] pending;
  /** The entry's decoded text. */
  private final EntryText text = new EntryText();
  private final AnyShapeEntry anyShape = new AnyShapeEntry();
  private long malformed;

  private static final class Pending {
    final LineJoiner line;
    long stampNanos = Rfc3339.NONE;
    /** Whether an escape in it made a byte below 0x20 (the entries' closing newline aside). */
    boolean control;

    Pending(int maxLineBytes) {
      line = new LineJoiner(maxLineBytes);
    }
  }

  JsonFileEntries(int maxLineBytes, Sink sink) {
    this.maxLineBytes = maxLineBytes;
    this.sink = sink;
    this.pending = new Pending[] {null, new Pending(maxLineBytes), new Pending(maxLineBytes)};
  }

  /** Entries not understood so far. */
  long malformed() {
    return malformed;
  }

  void feed(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    if (carryLen > 0) {
      int nl = ByteSearch.newline(b, i, end);
      append(nl - i, b, i);
      if (nl == end) {
        return;
      }
      entry(carry, 0, carryLen);
      carryLen = 0;
      i = nl + 1;
    }
    while (i < end) {
      int next = usual(b, i, end);
      if (next > 0) {
        i = next;
        continue;
      }
      int nl = ByteSearch.newline(b, i, end);
      if (nl == end) {
        append(end - i, b, i);
        return;
      }
      if (next == OTHER_SHAPE) {
        anyEntry(b, i, nl);
      } else {
        entry(b, i, nl);
      }
      i = nl + 1;
    }
  }

  /** {@link #usual}: an entry of another shape (attributes, another order); read it the long way. */
  private static final int OTHER_SHAPE = -1;
  /** {@link #usual}: not taken here (cut by the end of the read, or not the engine's); look for its end first. */
  private static final int NOT_TAKEN = -2;

  /**
   * The entry at {@code b[i, end)} if it has the engine's usual shape and ends before
   * {@code end}: read in one pass, its end found from its time rather than by looking at every
   * byte for a newline first.
   *
   * @return the index after the entry's newline, else {@link #OTHER_SHAPE} or {@link #NOT_TAKEN}
   */
  private int usual(byte[] b, int i, int end) {
    // A JSON string holds no raw newline: a close quote found past one would be another
    // entry's, and no entry goes on after its "log" with a quote and anything but the rest of
    // MIDDLE, so such a start (an entry cut by a crash) fails in head() and goes the long way.
    int stream = head(b, i, end);
    if (stream < 0) {
      return stream;
    }
    int nl = ByteSearch.newline(b, headTime, end);
    if (nl == end) {
      return NOT_TAKEN;
    }
    return closesAndTakes(stream, b, nl) ? nl + 1 : NOT_TAKEN;
  }

  /** Where the time of the entry {@link #head} read begins. */
  private int headTime;

  /**
   * Reads the usual entry's start (its log text, then {@link #MIDDLE_OUT} or {@link #MIDDLE_ERR})
   * from {@code b[i]} without going past {@code end}: the text goes to {@code text}, where the
   * time begins to {@link #headTime}.
   *
   * @return the stream, else {@link #OTHER_SHAPE} (a "log" string followed by something else)
   *     or {@link #NOT_TAKEN}
   */
  private int head(byte[] b, int i, int end) {
    if (!startsWith(b, i, end, HEAD)) {
      return NOT_TAKEN;
    }
    int close = text.decode(b, i + HEAD.length, end);
    if (close < 0) {
      return NOT_TAKEN;
    }
    headTime = close + MIDDLE_OUT.length;
    if (headTime >= end) {
      return NOT_TAKEN;
    }
    return ByteSearch.same(b, close, MIDDLE_OUT, 0, MIDDLE_OUT.length) ? RawLogStream.STDOUT
        : ByteSearch.same(b, close, MIDDLE_ERR, 0, MIDDLE_ERR.length) ? RawLogStream.STDERR : OTHER_SHAPE;
  }

  /** The entry {@link #head} read ends at {@code nl} with a quote and a brace: its line is taken. */
  private boolean closesAndTakes(int stream, byte[] b, int nl) {
    return nl - 2 > headTime && b[nl - 2] == '"' && b[nl - 1] == '}' && take(stream, b, headTime, nl - 2);
  }

  /** The file ended for good: an entry cut short is dropped, lines still being joined are handed on. */
  void finish() {
    if (carryLen > 0) {
      malformed++;
      carryLen = 0;
    }
    for (int s = RawLogStream.STDOUT; s <= RawLogStream.STDERR; s++) {
      if (!pending[s].line.isEmpty()) {
        emit(s);
      }
    }
  }

  private void append(int n, byte[] b, int from) {
    if (carryLen + n > carry.length) {
      // An entry holds at most 16 KiB of text, escaped up to six bytes a byte, and its fields.
      int want = Math.max(carry.length * 2, carryLen + n);
      if (want > 8 * DOCKER_ENTRY_TEXT) {
        malformed++;
        carryLen = 0; // not the engine's: drop it rather than grow without end
        return;
      }
      carry = Arrays.copyOf(carry, want);
    }
    System.arraycopy(b, from, carry, carryLen, n);
    carryLen += n;
  }

  private static final int DOCKER_ENTRY_TEXT = LineAssembler.DOCKER_PIECE;

  /** What the engine writes when no log options add attributes; anything else takes the long way. */
  private static final byte[] HEAD = "{\"log\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MIDDLE_OUT = "\",\"stream\":\"stdout\",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MIDDLE_ERR = "\",\"stream\":\"stderr\",\"time\":\"".getBytes(StandardCharsets.US_ASCII);

  /** One entry in {@code b[from, to)}, without its newline. */
  private void entry(byte[] b, int from, int to) {
    int stream = head(b, from, to);
    if (stream < 0 || !closesAndTakes(stream, b, to)) {
      anyEntry(b, from, to);
    }
  }

  private static boolean startsWith(byte[] b, int from, int to, byte[] word) {
    return to - from >= word.length && ByteSearch.same(b, from, word, 0, word.length);
  }

  /**
   * The entry's text is in {@code text}: joins it to its stream's line, which goes on when
   * the text ends in a newline.
   *
   * @return false when {@code b[timeFrom, timeTo)} is no time
   */
  private boolean take(int stream, byte[] b, int timeFrom, int timeTo) {
    long stamp = time(b, timeFrom, timeTo);
    if (stamp == Rfc3339.NONE) {
      return false;
    }
    Pending p = pending[stream];
    byte[] t = text.bytes;
    int textLen = text.len;
    boolean whole = textLen > 0 && t[textLen - 1] == '\n';
    boolean control = text.controls > 1 || (text.controls == 1 && !(whole && text.controlAt == textLen - 1));
    if (p.line.isEmpty()) {
      p.stampNanos = stamp;
      if (whole && textLen - 1 <= maxLineBytes) {
        // The usual case, a line in one entry: it goes on from where it was decoded.
        int n = textLen - 1;
        if (n > 0 && t[n - 1] == '\r') {
          n--;
        }
        p.stampNanos = Rfc3339.NONE;
        sink.line(stream, stamp, t, n, control && ByteSearch.control(t, 0, n) < n);
        return true;
      }
    }
    p.line.append(t, 0, whole ? textLen - 1 : textLen);
    p.control |= control;
    if (whole) {
      emit(stream);
    }
    return true;
  }

  /** The seconds part of the last time read, and its epoch second: entries come many to a second. */
  private final byte[] lastSecond = new byte[19];
  private long lastEpochSecond = Long.MIN_VALUE;
  /** Whether the last time read was in the engine's own form, UTC with up to nine fraction digits. */
  private boolean engineForm;

  private long time(byte[] b, int from, int to) {
    int n = to - from;
    boolean z = n >= 20 && b[to - 1] == 'Z';
    long frac = z ? fraction(b, from + 19, to - 1) : -1;
    engineForm = frac >= 0;
    if (engineForm && lastEpochSecond != Long.MIN_VALUE && ByteSearch.same(b, from, lastSecond, 0, 19)) {
      return lastEpochSecond * 1_000_000_000L + frac;
    }
    long t = Rfc3339.parse(b, from, n);
    if (t != Rfc3339.NONE && z) {
      System.arraycopy(b, from, lastSecond, 0, 19);
      lastEpochSecond = Math.floorDiv(t, 1_000_000_000L);
    }
    return t;
  }

  /** ".ddd" (up to nine digits) or nothing, as nanoseconds; -1 if it is something else. */
  private static long fraction(byte[] b, int from, int to) {
    if (from == to) {
      return 0;
    }
    if (b[from] != '.' || to - from > 10) {
      return -1;
    }
    long v = 0;
    int digits = 0;
    for (int i = from + 1; i < to; i++, digits++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    for (; digits < 9; digits++) {
      v *= 10;
    }
    return v;
  }

  /** Any entry: fields in any order, attributes, spaces. */
  private void anyEntry(byte[] b, int from, int to) {
    if (!anyShape.read(b, from, to, text) || !take(anyShape.stream(), b, anyShape.timeFrom(), anyShape.timeTo())) {
      malformed++;
    }
  }

  private void emit(int stream) {
    Pending p = pending[stream];
    byte[] line = p.line.buf();
    int n = p.line.len();
    if (n > 0 && line[n - 1] == '\r') {
      n--;
    }
    sink.line(stream, p.stampNanos, line, n, p.control && ByteSearch.control(line, 0, n) < n);
    p.control = false;
    p.line.reset();
    p.stampNanos = Rfc3339.NONE;
  }
}
