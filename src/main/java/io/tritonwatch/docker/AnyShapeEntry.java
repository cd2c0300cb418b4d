package io.tritonwatch.docker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A json-file entry of any shape the fast path does not take: fields in any order, attributes
 * added by log options, spaces. Rare, so read the plain way; what it finds is the same as
 * what Jackson finds (JsonFileEntriesDifferentialTest).
 */
final class AnyShapeEntry {

  private static final byte[] LOG = "log".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM = "stream".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TIME = "time".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STDERR_NAME = "stderr".getBytes(StandardCharsets.US_ASCII);

  private int stream;
  private int timeFrom;
  private int timeTo;

  int stream() {
    return stream;
  }

  int timeFrom() {
    return timeFrom;
  }

  int timeTo() {
    return timeTo;
  }

  /**
   * Reads {@code b[from, to)}: the log string decoded into {@code text}, the stream and where
   * the time is.
   *
   * @return false when it is no entry (not JSON, no log string, no time)
   */
  boolean read(byte[] b, int from, int to, EntryText text) {
    stream = RawLogStream.STDOUT;
    timeFrom = -1;
    timeTo = -1;
    boolean sawLog = false;
    int i = skipSpace(b, from, to);
    if (i >= to || b[i] != '{') {
      return false;
    }
    i = skipSpace(b, i + 1, to);
    while (i < to && b[i] == '"') {
      int keyEnd = stringEnd(b, i + 1, to);
      if (keyEnd < 0) {
        return false;
      }
      int v = skipSpace(b, keyEnd + 1, to);
      if (v >= to || b[v] != ':') {
        return false;
      }
      v = skipSpace(b, v + 1, to);
      int valueEnd;
      if (is(b, i + 1, keyEnd, LOG) && v < to && b[v] == '"') {
        valueEnd = text.decode(b, v + 1, to);
        sawLog = valueEnd >= 0;
      } else if (is(b, i + 1, keyEnd, STREAM) && v < to && b[v] == '"') {
        valueEnd = stringEnd(b, v + 1, to);
        if (valueEnd >= 0 && is(b, v + 1, valueEnd, STDERR_NAME)) {
          stream = RawLogStream.STDERR;
        }
      } else if (is(b, i + 1, keyEnd, TIME) && v < to && b[v] == '"') {
        valueEnd = stringEnd(b, v + 1, to);
        timeFrom = v + 1;
        timeTo = valueEnd;
      } else {
        valueEnd = valueEnd(b, v, to);
      }
      if (valueEnd < 0) {
        return false;
      }
      i = skipSpace(b, valueEnd + 1, to);
      if (i < to && b[i] == ',') {
        i = skipSpace(b, i + 1, to);
      }
    }
    return i < to && b[i] == '}' && sawLog && timeFrom >= 0;
  }

  private static boolean is(byte[] b, int from, int to, byte[] word) {
    return Arrays.equals(b, from, to, word, 0, word.length);
  }

  private static int skipSpace(byte[] b, int i, int to) {
    while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  /** The index of the quote that closes a string whose text begins at {@code i}, or -1. */
  private static int stringEnd(byte[] b, int i, int to) {
    for (; i < to; i++) {
      if (b[i] == '\\') {
        i++;
      } else if (b[i] == '"') {
        return i;
      }
    }
    return -1;
  }

  /** The index of the last byte of a value other than {@code log}'s (a string, object, number, literal), or -1. */
  private static int valueEnd(byte[] b, int i, int to) {
    if (i >= to) {
      return -1;
    }
    if (b[i] == '"') {
      return stringEnd(b, i + 1, to);
    }
    if (b[i] == '{' || b[i] == '[') {
      int depth = 0;
      for (; i < to; i++) {
        byte c = b[i];
        if (c == '"') {
          i = stringEnd(b, i + 1, to);
          if (i < 0) {
            return -1;
          }
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return i;
          }
        }
      }
      return -1;
    }
    while (i + 1 < to && b[i + 1] != ',' && b[i + 1] != '}' && b[i + 1] != ' ') {
      i++;
    }
    return i;
  }
}
