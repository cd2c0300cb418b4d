package io.tritonwatch.docker;

import java.util.Arrays;

/**
 * The text of a json-file entry's {@code log} string, decoded from JSON into UTF-8 bytes in
 * {@code bytes[0, len)}, from where a whole line is handed on. Counts the control bytes escapes made, so the screen
 * need not look for them again.
 */
final class EntryText {

  byte[] bytes = new byte[1024];
  int len;
  /** Control bytes (below 0x20) the escapes made, and where the last one is, or -1. */
  int controls;
  int controlAt;

  /** Decodes the string whose text begins at {@code i}; returns its closing quote's index, or -1. */
  int decode(byte[] b, int i, int to) {
    len = 0;
    controls = 0;
    controlAt = -1;
    int run = i;
    for (; i < to; i++) {
      i = io.tritonwatch.text.ByteSearch.quoteOrBackslash(b, i, to);
      if (i == to) {
        return -1;
      }
      if (b[i] == '"') {
        put(b, run, i - run);
        return i;
      }
      put(b, run, i - run);
      if (++i >= to) {
        return -1;
      }
      switch (b[i]) {
        case 'n' -> putByte('\n');
        case 't' -> putByte('\t');
        case 'r' -> putByte('\r');
        case 'b' -> putByte('\b');
        case 'f' -> putByte('\f');
        case 'u' -> {
          int cp = hex4(b, i + 1, to);
          if (cp < 0) {
            return -1;
          }
          i += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < to && b[i + 1] == '\\' && b[i + 2] == 'u') {
            int low = hex4(b, i + 3, to);
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              i += 6;
            }
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD; // half a pair: as any UTF-8 decoder would show it
          }
          putCodePoint(cp);
        }
        case '"', '\\', '/' -> putByte(b[i]);
        default -> {
          return -1;
        }
      }
      run = i + 1;
    }
    return -1;
  }

  private static int hex4(byte[] b, int i, int to) {
    if (i + 4 > to) {
      return -1;
    }
    int v = 0;
    for (int k = i; k < i + 4; k++) {
      int c = b[k];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private void putCodePoint(int cp) {
    if (cp < 0x80) {
      putByte(cp);
    } else if (cp < 0x800) {
      putByte(0xC0 | cp >> 6);
      putByte(0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      putByte(0xE0 | cp >> 12);
      putByte(0x80 | cp >> 6 & 0x3F);
      putByte(0x80 | cp & 0x3F);
    } else {
      putByte(0xF0 | cp >> 18);
      putByte(0x80 | cp >> 12 & 0x3F);
      putByte(0x80 | cp >> 6 & 0x3F);
      putByte(0x80 | cp & 0x3F);
    }
  }

  private void putByte(int c) {
    if (c < 0x20) {
      controls++;
      controlAt = len;
    }
    if (len == bytes.length) {
      bytes = Arrays.copyOf(bytes, bytes.length * 2);
    }
    bytes[len++] = (byte) c;
  }

  private void put(byte[] b, int from, int n) {
    if (len + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + n));
    }
    System.arraycopy(b, from, bytes, len, n);
    len += n;
  }
}
