package io.tritonwatch.source;

import java.util.Arrays;

/**
 * Joins the pieces of one line (engines cut a line longer than 16 KiB into pieces: Docker's
 * log API and json-file, containerd's CRI files) up to a cap; what passes the cap is counted
 * as dropped, never held. The buffer is used again for the next line.
 */
public final class LineJoiner {

  private final int maxLineBytes;
  private byte[] buf = new byte[256];
  private int len;
  private long dropped;
  private long droppedTotal;

  public LineJoiner(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Appends what fits under the cap; the rest is counted as dropped. */
  public void append(byte[] from, int off, int n) {
    int take = Math.min(n, maxLineBytes - len);
    if (take < n) {
      long lost = n - Math.max(take, 0);
      dropped += lost;
      droppedTotal += lost;
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

  /** The line so far, in {@code buf()[0, len())}. */
  public byte[] buf() {
    return buf;
  }

  public int len() {
    return len;
  }

  /** Nothing taken since the last {@link #reset}, not even dropped bytes. */
  public boolean isEmpty() {
    return len == 0 && dropped == 0;
  }

  /** Bytes dropped over the cap since this joiner was made. */
  public long droppedTotal() {
    return droppedTotal;
  }

  /** Begins the next line; a buffer grown for a long line is let go. */
  public void reset() {
    len = 0;
    dropped = 0;
    if (buf.length > 64 * 1024) {
      buf = new byte[256];
    }
  }
}
