package io.tritonwatch.source;

import io.tritonwatch.text.Rfc3339;
import java.nio.charset.StandardCharsets;

/**
 * One line as a source read it: its stream, the engine's stamp as a value and the text after
 * that stamp, as bytes in UTF-8. A reused view, not a value: a source fills one and hands it
 * to its sink, which must copy what it keeps (a busy server prints thousands of lines a
 * second, and an object per line was most of the garbage).
 */
public final class RawLine {

  /** The line's stream when the source does not tell them apart (a saved log, a TTY). */
  public static final int ANY_STREAM = 0;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  /** No stamp: the text alone says when the line was written, if anything does. */
  public static final long NO_STAMP = Rfc3339.NONE;

  private int stream;
  private long stampNanos = NO_STAMP;
  private byte[] buf = new byte[0];
  private int off;
  private int len;
  private boolean control;

  /**
   * @param control whether the text holds a byte below 0x20 (a reader that looked at every
   *     byte says so, sparing the screen a second pass)
   */
  public RawLine set(int stream, long stampNanos, byte[] buf, int off, int len, boolean control) {
    this.stream = stream;
    this.stampNanos = stampNanos;
    this.buf = buf;
    this.off = off;
    this.len = len;
    this.control = control;
    return this;
  }

  public int stream() {
    return stream;
  }

  /** The engine's stamp in epoch nanoseconds, or {@link #NO_STAMP}. */
  public long stampNanos() {
    return stampNanos;
  }

  public boolean stamped() {
    return stampNanos != NO_STAMP;
  }

  public byte[] buf() {
    return buf;
  }

  public int off() {
    return off;
  }

  public int len() {
    return len;
  }

  /** The index after the text's last byte. */
  public int end() {
    return off + len;
  }

  public boolean control() {
    return control;
  }

  public String text() {
    return new String(buf, off, len, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return (stamped() ? Rfc3339.toInstant(stampNanos) + " " : "") + text();
  }
}
