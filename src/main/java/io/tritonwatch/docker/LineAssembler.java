package io.tritonwatch.docker;

import io.tritonwatch.source.LineJoiner;
import io.tritonwatch.text.ByteSearch;
import io.tritonwatch.text.Rfc3339;

/**
 * Rebuilds whole lines from one stream of a container's log as Docker sends it with
 * timestamps. Frames are not lines: a chunk may hold part of a line or several. Docker also
 * cuts a line longer than 16 KiB into pieces that each carry the timestamp again; those are
 * joined here. The stamp goes on as a value; the line is the output alone. Bytes are decoded as UTF-8 only once a line is whole, so a character split
 * across chunks survives. One instance per stream (stdout, stderr, raw TTY); not thread-safe.
 */
final class LineAssembler {

  /** Docker's log copier splits messages at this many bytes (daemon/logger/copier.go). */
  static final int DOCKER_PIECE = 16 * 1024;
  private static final int MAX_PREFIX = 40;
  /** The length of the engine's RFC 3339 stamp with nine fraction digits, in UTC. */
  private static final int FIXED_STAMP = "2006-01-02T15:04:05.000000000Z".length();

  /** Receives each whole line. */
  interface Sink {
    /**
     * @param stampNanos Docker's timestamp in epoch nanoseconds, or {@link Rfc3339#NONE}
     * @param line the output in UTF-8, in {@code line[0, len)}; the array is reused after the call
     */
    void line(long stampNanos, byte[] line, int len);
  }

  private final Sink sink;
  private final LineJoiner line;
  private final byte[] prefix = new byte[MAX_PREFIX];
  private int prefixLen;
  /** True while the bytes seen may still be a timestamp prefix. */
  private boolean inPrefix = true;
  private boolean lineStart = true;
  private int pieceBytes;
  private long stampNanos = Rfc3339.NONE;

  LineAssembler(int maxLineBytes, Sink sink) {
    this.sink = sink;
    this.line = new LineJoiner(maxLineBytes);
  }

  void feed(byte[] data, int off, int n) {
    int end = off + n;
    int i = off;
    while (i < end) {
      if (inPrefix && lineStart && prefixLen == 0 && i + FIXED_STAMP < end && data[i + FIXED_STAMP] == ' ') {
        // The engine's usual stamp, whole in this chunk: taken at once.
        long t = Rfc3339.parse(data, i, FIXED_STAMP);
        if (t != Rfc3339.NONE) {
          stampNanos = t;
          endPrefix();
          i += FIXED_STAMP + 1;
          continue;
        }
      }
      if (inPrefix) {
        byte b = data[i];
        if (b == ' ' && prefixLen > 0) {
          long t = Rfc3339.parse(prefix, 0, prefixLen);
          if (t != Rfc3339.NONE) {
            if (lineStart) {
              stampNanos = t;
            }
            // else: the repeated stamp of a 16 KiB continuation piece, dropped
            endPrefix();
            i++;
            continue;
          }
          flushPrefixAsContent();
        } else if (b == '\n' || prefixLen == MAX_PREFIX || !stampByte(b)) {
          flushPrefixAsContent();
        } else {
          prefix[prefixLen++] = b;
          i++;
          continue;
        }
        // b is content: it is taken below with the bytes after it.
      }
      // Whole runs of content at once, up to the newline or the end of Docker's piece.
      int stop = Math.min(end, i + (DOCKER_PIECE - pieceBytes));
      int nl = ByteSearch.newline(data, i, stop);
      append(data, i, nl - i);
      if (nl < stop) {
        emit();
        i = nl + 1;
        continue;
      }
      pieceBytes += nl - i;
      i = nl;
      if (pieceBytes == DOCKER_PIECE) {
        // A full piece with no newline: the next bytes may be the next piece's timestamp.
        pieceBytes = 0;
        inPrefix = true;
        lineStart = false;
        prefixLen = 0;
      }
    }
  }

  /** The stream ended: what is left is a last line without its newline. */
  void finish() {
    if (inPrefix && prefixLen > 0) {
      flushPrefixAsContent();
    }
    if (!line.isEmpty() || stampNanos != Rfc3339.NONE) {
      emit();
    }
  }

  long truncatedBytes() {
    return line.droppedTotal();
  }

  private static boolean stampByte(byte b) {
    return (b >= '0' && b <= '9') || b == '-' || b == ':' || b == '.' || b == 'T' || b == 'Z' || b == '+';
  }

  private void endPrefix() {
    inPrefix = false;
    prefixLen = 0;
    lineStart = false;
  }

  private void flushPrefixAsContent() {
    int n = prefixLen;
    inPrefix = false;
    prefixLen = 0;
    lineStart = false;
    append(prefix, 0, n);
    pieceBytes += n;
  }

  private void append(byte[] from, int off, int n) {
    line.append(from, off, n);
  }

  private void emit() {
    byte[] b = line.buf();
    int n = line.len();
    if (n > 0 && b[n - 1] == '\r') {
      n--;
    }
    sink.line(stampNanos, b, n);
    line.reset();
    pieceBytes = 0;
    inPrefix = true;
    lineStart = true;
    prefixLen = 0;
    stampNanos = Rfc3339.NONE;
  }
}
