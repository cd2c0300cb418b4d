package io.tritonwatch.input;

import io.tritonwatch.source.LineSink;
import io.tritonwatch.source.RawLine;
import io.tritonwatch.text.ByteSearch;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a saved log into lines. Only '\n' ends a line: a lone '\r' is tqdm redrawing its bar
 * and stays inside the line for the parser. The charset comes from a byte-order mark (logs
 * saved by PowerShell are UTF-16LE), else UTF-8; bad bytes become U+FFFD, never an error.
 * A line longer than {@code maxChars} is cut there and the rest of it skipped.
 */
public final class TextLines {

  public static final int DEFAULT_MAX_CHARS = 1 << 20;

  private TextLines() {}

  /** Receives each line as UTF-8 bytes; the array is reused after the call returns. */
  public interface ByteSink extends LineSink {
    /** The bytes of every line given so far are about to be overwritten. */
    default void released() {}
  }

  /** Receives a log in pieces of whole lines, to be split and screened on other threads. */
  public interface ChunkSink {
    /** An array of at least {@code minLength} bytes for the next piece (the reader fills it). */
    byte[] buffer(int minLength);

    /**
     * {@code b[0, len)}: whole lines, each ending in '\n' (the log's last line may not); the
     * array belongs to the receiver from now on.
     */
    void chunk(byte[] b, int len);
  }

  /**
   * Cuts a log into pieces of about {@code chunkBytes} that hold whole lines; {@link #split}
   * then gives each piece's lines exactly as {@link #readBytes} would have (a line longer than
   * {@code maxChars} is cut there and the rest of it skipped here). A log in UTF-16 is not cut:
   * its lines go to {@code decoded} one by one, as {@link #readBytes} gives them.
   */
  public static void readChunks(InputStream in, int maxChars, int chunkBytes, ChunkSink chunks, ByteSink decoded)
      throws IOException {
    PushbackInputStream pin = new PushbackInputStream(in, 3);
    Charset cs = detect(pin);
    if (cs != StandardCharsets.UTF_8) {
      RawLine raw = new RawLine();
      readDecoded(pin, cs, maxChars, line -> {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        decoded.line(raw.set(RawLine.ANY_STREAM, RawLine.NO_STAMP, b, 0, b.length, true));
      });
      return;
    }
    byte[] buf = chunks.buffer(chunkBytes);
    int len = 0;
    while (true) {
      int n = pin.readNBytes(buf, len, buf.length - len);
      len += n;
      if (len < buf.length) { // the end of the log
        if (len > 0) {
          chunks.chunk(buf, len);
        }
        return;
      }
      int last = lastNewline(buf, len);
      if (last >= 0) {
        int tail = len - last - 1;
        byte[] next = chunks.buffer(Math.max(chunkBytes, 2 * tail));
        System.arraycopy(buf, last + 1, next, 0, tail);
        chunks.chunk(buf, last + 1);
        buf = next;
        len = tail;
      } else if (buf.length <= maxChars) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2); // one line longer than a piece
      } else {
        // Longer than the limit: its first maxChars bytes are the line, the rest is skipped.
        buf[maxChars] = '\n';
        byte[] next = chunks.buffer(chunkBytes);
        len = skipLine(pin, next);
        chunks.chunk(buf, maxChars + 1);
        buf = next;
      }
    }
  }

  /** Reads past the end of the current line; what follows it is left in {@code into}. */
  private static int skipLine(InputStream in, byte[] into) throws IOException {
    while (true) {
      int n = in.readNBytes(into, 0, into.length);
      if (n == 0) {
        return 0;
      }
      int nl = ByteSearch.newline(into, 0, n);
      if (nl < n) {
        System.arraycopy(into, nl + 1, into, 0, n - nl - 1);
        return n - nl - 1;
      }
    }
  }

  private static int lastNewline(byte[] b, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The lines of one piece from {@link #readChunks}, as {@link #readBytes} gives them.
   *
   * @return the number of lines delivered
   */
  public static long split(byte[] b, int len, int maxChars, ByteSink sink) {
    Splitter splitter = new Splitter(maxChars, sink);
    splitter.scan(b, len);
    return splitter.finish();
  }

  /** @return the number of lines delivered */
  public static long read(InputStream in, int maxChars, Consumer<String> sink) throws IOException {
    return readBytes(in, maxChars, l -> sink.accept(l.text()));
  }

  /**
   * Lines as UTF-8 bytes, so a caller can screen them before paying for a String.
   *
   * @return the number of lines delivered
   */
  public static long readBytes(InputStream in, int maxChars, ByteSink sink) throws IOException {
    PushbackInputStream pin = new PushbackInputStream(in, 3);
    Charset cs = detect(pin);
    if (cs == StandardCharsets.UTF_8) {
      return readUtf8(pin, maxChars, sink);
    }
    RawLine raw = new RawLine();
    return readDecoded(pin, cs, maxChars, line -> {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      sink.line(raw.set(RawLine.ANY_STREAM, RawLine.NO_STAMP, b, 0, b.length, true));
    });
  }

  private static long readDecoded(PushbackInputStream pin, Charset cs, int maxChars, Consumer<String> sink)
      throws IOException {
    CharsetDecoder dec = cs.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    Reader r = new InputStreamReader(pin, dec);
    char[] buf = new char[1 << 16];
    StringBuilder line = new StringBuilder(256);
    boolean skipping = false;
    long count = 0;
    int n;
    while ((n = r.read(buf)) > 0) {
      int from = 0;
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          if (!skipping) {
            append(line, buf, from, i - from, maxChars);
          }
          deliver(line, sink);
          count++;
          skipping = false;
          from = i + 1;
        }
      }
      if (from < n && !skipping) {
        append(line, buf, from, n - from, maxChars);
        if (line.length() >= maxChars) {
          skipping = true;
        }
      }
    }
    if (line.length() > 0 || skipping) {
      deliver(line, sink);
      count++;
    }
    return count;
  }

  /**
   * UTF-8 (nearly every log): bytes are split on '\n' in a large buffer and each line decoded
   * once, straight into its String; malformed bytes become U+FFFD as the String constructor does.
   */
  private static long readUtf8(InputStream in, int maxBytes, ByteSink sink) throws IOException {
    byte[] buf = new byte[1 << 20];
    Splitter splitter = new Splitter(maxBytes, sink);
    int n;
    while ((n = in.read(buf)) > 0) {
      splitter.scan(buf, n);
    }
    return splitter.finish();
  }

  /**
   * Splits buffers into lines. The scan of one buffer is its own method, called once per
   * buffer, so the JIT compiles it whole instead of patching a single endless loop on the
   * stack (which it may later throw away and not replace).
   */
  private static final class Splitter {
    private final int maxBytes;
    private final ByteSink sink;
    private final RawLine raw = new RawLine();
    private byte[] carry = new byte[0];
    private int carryLen;
    private boolean carryControl;
    private boolean skipping;
    private long count;

    Splitter(int maxBytes, ByteSink sink) {
      this.maxBytes = maxBytes;
      this.sink = sink;
    }

    void scan(byte[] buf, int n) {
      int from = 0;
      boolean control = false;
      for (int i = ByteSearch.control(buf, 0, n); i < n; i = ByteSearch.control(buf, i + 1, n)) {
        if (buf[i] != '\n') {
          control = true;
          continue;
        }
        line(buf, from, i, control);
        control = false;
        from = i + 1;
      }
      sink.released();
      if (from < n && !skipping) {
        int take = Math.min(n - from, maxBytes - carryLen);
        carry = grow(carry, carryLen + take);
        System.arraycopy(buf, from, carry, carryLen, take);
        carryLen += take;
        carryControl |= control;
        if (carryLen >= maxBytes) {
          skipping = true;
        }
      }
    }

    private void line(byte[] buf, int from, int to, boolean control) {
      if (carryLen == 0 && !skipping) {
        emit(buf, from, to - from, maxBytes, control, sink, raw);
      } else {
        if (!skipping) {
          int take = Math.min(to - from, maxBytes - carryLen);
          carry = grow(carry, carryLen + Math.max(take, 0));
          if (take > 0) {
            System.arraycopy(buf, from, carry, carryLen, take);
            carryLen += take;
          }
        }
        emit(carry, 0, carryLen, maxBytes, control || carryControl, sink, raw);
        carryLen = 0;
        carryControl = false;
        skipping = false;
      }
      count++;
    }

    long finish() {
      if (carryLen > 0 || skipping) {
        emit(carry, 0, carryLen, maxBytes, carryControl, sink, raw);
        count++;
      }
      return count;
    }
  }

  private static byte[] grow(byte[] a, int need) {
    if (need <= a.length) {
      return a;
    }
    return java.util.Arrays.copyOf(a, Math.max(need, Math.max(256, a.length * 2)));
  }

  private static void emit(byte[] b, int from, int len, int max, boolean control, ByteSink sink, RawLine raw) {
    int n = Math.min(len, max);
    if (n > 0 && b[from + n - 1] == '\r') {
      n--;
      // A CRLF ending is no control character inside the line.
      control = control && ByteSearch.control(b, from, from + n) < from + n;
    }
    sink.line(raw.set(RawLine.ANY_STREAM, RawLine.NO_STAMP, b, from, n, control));
  }

  private static void append(StringBuilder line, char[] buf, int from, int len, int maxChars) {
    int room = maxChars - line.length();
    if (room > 0) {
      line.append(buf, from, Math.min(room, len));
    }
  }

  private static void deliver(StringBuilder line, Consumer<String> sink) {
    int len = line.length();
    if (len > 0 && line.charAt(len - 1) == '\r') {
      line.setLength(len - 1);
    }
    sink.accept(line.toString());
    line.setLength(0);
  }

  private static Charset detect(PushbackInputStream in) throws IOException {
    byte[] head = new byte[3];
    int n = in.readNBytes(head, 0, 3);
    if (n >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe) {
      in.unread(head, 2, n - 2);
      return StandardCharsets.UTF_16LE;
    }
    if (n >= 2 && (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff) {
      in.unread(head, 2, n - 2);
      return StandardCharsets.UTF_16BE;
    }
    if (n == 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
      return StandardCharsets.UTF_8;
    }
    if (n > 0) {
      in.unread(head, 0, n);
    }
    return StandardCharsets.UTF_8;
  }
}
