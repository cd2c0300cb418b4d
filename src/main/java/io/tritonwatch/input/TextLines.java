package io.tritonwatch.input;

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

  /** @return the number of lines delivered */
  public static long read(InputStream in, int maxChars, Consumer<String> sink) throws IOException {
    PushbackInputStream pin = new PushbackInputStream(in, 3);
    Charset cs = detect(pin);
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
