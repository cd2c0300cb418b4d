package io.tritonwatch.docker;

import io.tritonwatch.input.ByteSearch;
import java.util.Arrays;

/**
 * Rebuilds whole lines from one stream of a container's log as Docker sends it with
 * timestamps. Frames are not lines: a chunk may hold part of a line or several. Docker also
 * cuts a line longer than 16 KiB into pieces that each carry the timestamp again; those are
 * joined here. Bytes are decoded as UTF-8 only once a line is whole, so a character split
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
     * @param stampNanos Docker's timestamp in epoch nanoseconds, or {@link DockerTimestamp#NONE}
     * @param line the line as {@code docker logs -t} prints it (the stamp, a space, the
     *     output) in UTF-8, in {@code line[0, len)}; the array is reused after the call
     */
    void line(long stampNanos, byte[] line, int len);
  }

  private final int maxLineBytes;
  private final Sink sink;
  private byte[] buf = new byte[256];
  private int len;
  private final byte[] prefix = new byte[MAX_PREFIX];
  private int prefixLen;
  /** True while the bytes seen may still be a timestamp prefix. */
  private boolean inPrefix = true;
  private boolean lineStart = true;
  private int pieceBytes;
  private long dropped;
  private long stampNanos = DockerTimestamp.NONE;

  LineAssembler(int maxLineBytes, Sink sink) {
    this.maxLineBytes = maxLineBytes;
    this.sink = sink;
  }

  void feed(byte[] data, int off, int n) {
    int end = off + n;
    int i = off;
    while (i < end) {
      if (inPrefix && lineStart && prefixLen == 0 && i + FIXED_STAMP < end && data[i + FIXED_STAMP] == ' ') {
        // The engine's usual stamp, whole in this chunk: taken at once.
        long t = DockerTimestamp.parse(data, i, FIXED_STAMP);
        if (t != DockerTimestamp.NONE) {
          stampNanos = t;
          append(data, i, FIXED_STAMP + 1);
          endPrefix();
          i += FIXED_STAMP + 1;
          continue;
        }
      }
      if (inPrefix) {
        byte b = data[i];
        if (b == ' ' && prefixLen > 0) {
          long t = DockerTimestamp.parse(prefix, 0, prefixLen);
          if (t != DockerTimestamp.NONE) {
            if (lineStart) {
              // The stamp stays at the head of the line, as 'docker logs -t' shows it.
              stampNanos = t;
              append(prefix, 0, prefixLen);
              append(SPACE, 0, 1);
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
    if (len > 0 || dropped > 0) {
      emit();
    }
  }

  long truncatedBytes() {
    return dropped;
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

  private static final byte[] SPACE = {' '};

  /** Appends what fits under the line limit; the rest is counted as dropped. */
  private void append(byte[] from, int off, int n) {
    int take = Math.min(n, maxLineBytes - len);
    if (take < n) {
      dropped += n - Math.max(take, 0);
    }
    if (take <= 0) {
      return;
    }
    if (len + take > buf.length) {
      buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, len + take), maxLineBytes));
    }
    System.arraycopy(from, off, buf, len, take);
    len += take;
  }

  private void emit() {
    int n = len;
    if (n > 0 && buf[n - 1] == '\r') {
      n--;
    }
    sink.line(stampNanos, buf, n);
    len = 0;
    pieceBytes = 0;
    inPrefix = true;
    lineStart = true;
    prefixLen = 0;
    stampNanos = DockerTimestamp.NONE;
    if (buf.length > 64 * 1024) {
      buf = new byte[256];
    }
  }
}
