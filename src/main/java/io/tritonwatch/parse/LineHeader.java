package io.tritonwatch.parse;

import io.tritonwatch.text.ByteLayout;
import io.tritonwatch.text.Rfc3339;

/**
 * The one grammar of the prefixes and headers that stand before a line's message, on bytes:
 * the engine's RFC 3339 stamp, a log viewer's date column, a compose service name, a relay's
 * level and logger, a vLLM process prefix, and the headers of glog, vLLM, uvicorn. The byte
 * screen reads raw lines with it; the parser reads a String through {@link #ascii}, whose
 * bytes stand one for one for its characters, so an offset here is an offset there.
 *
 * <p>Each matcher looks at {@code b[p, to)} and answers where what it matched ends, or -1.
 * Pure; hand-written, since regular expressions cost more than the rest of a line.
 */
final class LineHeader {

  /** Headers are read in a line's first this many characters. */
  static final int MAX_HEADER = 1024;

  private static final ByteLayout DATE_SPACE = new ByteLayout("DDDD-DD-DD DD:DD:DD");
  private static final ByteLayout GLOG_AFTER_LEVEL = new ByteLayout("DDDD DD:DD:DD.D");
  private static final ByteLayout VLLM_TIME = new ByteLayout(" DD-DD DD:DD:DD");
  private static final byte[][] LEVELS = {ascii("INFO"), ascii("WARNING"), ascii("ERROR"), ascii("DEBUG"),
      ascii("CRITICAL"), ascii("WARN")};

  private LineHeader() {}

  /**
   * A String's first {@link #MAX_HEADER} characters as bytes, one for each: ASCII as itself,
   * anything else as a byte no matcher takes.
   */
  static byte[] ascii(String s) {
    // Latin-1 is a copy for most lines; a character beyond it becomes '?', which no matcher takes.
    return (s.length() <= MAX_HEADER ? s : s.substring(0, MAX_HEADER))
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  static boolean digit(byte[] b, int i, int to) {
    return i < to && b[i] >= '0' && b[i] <= '9';
  }

  static boolean digits(byte[] b, int from, int n, int to) {
    for (int i = from; i < from + n; i++) {
      if (!digit(b, i, to)) {
        return false;
      }
    }
    return true;
  }

  static boolean at(byte[] b, int i, int to, char c) {
    return i < to && b[i] == c;
  }

  static int num(byte[] b, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  /** Where the digits from {@code i} end. */
  static int fractionEnd(byte[] b, int i, int to) {
    while (digit(b, i, to)) {
      i++;
    }
    return i;
  }

  /** The fraction digits in {@code b[from, to)} as nanoseconds (nine read at most). */
  static int nanos(byte[] b, int from, int to) {
    int v = 0;
    int n = 0;
    for (int i = from; i < to && n < 9; i++, n++) {
      v = v * 10 + (b[i] - '0');
    }
    for (; n < 9; n++) {
      v *= 10;
    }
    return v;
  }

  /**
   * Docker's RFC 3339 stamp and a space: "2024-03-01T10:00:00.123456789Z ". Its date and time
   * are at fixed offsets from {@code p}.
   *
   * @param marks null, or filled with where the fraction begins and ends (-1 without one) and
   *     where the zone begins
   * @return the index after the space, or -1
   */
  static int dockerStamp(byte[] b, int p, int to, int[] marks) {
    int e = Rfc3339.end(b, p, to, marks);
    return e >= 0 && at(b, e, to, ' ') ? e + 1 : -1;
  }


  /**
   * A log viewer's column ("2025-07-20 14:04:26.098 | ") or Docker Desktop's host time
   * ("2024-07-23 19:39:35 "). Not TensorFlow's "2023-09-05 10:23:17.249940: I": a colon follows.
   *
   * @param marks null, or filled with where the fraction begins and ends (-1 without one)
   */
  static int viewerStamp(byte[] b, int p, int to, int[] marks) {
    if (!DATE_SPACE.at(b, p, to)) {
      return -1;
    }
    int e = p + 19;
    int fracFrom = -1;
    int fracTo = -1;
    if ((at(b, e, to, '.') || at(b, e, to, ',')) && digit(b, e + 1, to)) {
      fracFrom = e + 1;
      fracTo = fractionEnd(b, fracFrom, to);
      e = fracTo;
    }
    if (!at(b, e, to, ' ')) {
      return -1;
    }
    int end = e + 1;
    if (at(b, end, to, '|')) {
      end++;
      if (at(b, end, to, ' ')) {
        end++;
      }
    }
    if (marks != null) {
      marks[0] = fracFrom;
      marks[1] = fracTo;
    }
    return end;
  }

  private static boolean letterOrDigit(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** "service-1   | " of docker compose: a name (compose's own alphabet), spaces, a bar. */
  static int compose(byte[] b, int p, int to) {
    if (p >= to || !letterOrDigit(b[p])) {
      return -1;
    }
    int i = p + 1;
    while (i < to && (letterOrDigit(b[i]) || b[i] == '_' || b[i] == '.' || b[i] == '-')) {
      i++;
    }
    int nameEnd = i;
    while (i < to && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    if (i == nameEnd || i >= to || b[i] != '|') {
      return -1;
    }
    i++;
    return at(b, i, to, ' ') ? i + 1 : i;
  }

  private static boolean startsWith(byte[] b, int p, int to, byte[] word) {
    if (to - p < word.length) {
      return false;
    }
    for (int i = 0; i < word.length; i++) {
      if (b[p + i] != word[i]) {
        return false;
      }
    }
    return true;
  }

  /** Python logging's level name at p ("INFO", "WARNING", ...): where it ends, or -1. */
  static int level(byte[] b, int p, int to) {
    for (byte[] l : LEVELS) {
      if (startsWith(b, p, to, l)) {
        return p + l.length;
      }
    }
    return -1;
  }

  private static int find(byte[] b, int from, int to, byte[] what) {
    for (int i = Math.max(from, 0); i + what.length <= to; i++) {
      if (startsWith(b, i, to, what)) {
        return i;
      }
    }
    return -1;
  }

  private static final byte[] BAR = ascii(" | ");
  private static final byte[] CLOSE = ascii(") ");
  private static final byte[] PID = ascii(" pid=");

  /**
   * A relay's level and logger after its date column, FastChat's "... | ERROR | stderr | ": the
   * message starts after the second bar, and the level is the line's.
   */
  static int relay(byte[] b, int p, int to) {
    int e = level(b, p, to);
    if (e < 0 || !startsWith(b, e, to, BAR)) {
      return -1;
    }
    int bar = find(b, e + 3, to, BAR);
    if (bar < 0 || bar - (e + 3) > 64) {
      return -1;
    }
    for (int i = e + 3; i < bar; i++) {
      if (b[i] == ' ') {
        return -1; // a logger's name has no space
      }
    }
    return bar + 3;
  }

  /** "(EngineCore_0 pid=123) ": a vLLM process prefix; its end, or p when absent. */
  static int process(byte[] b, int p, int to) {
    if (!at(b, p, to, '(')) {
      return p;
    }
    int close = find(b, p, Math.min(to, p + 82), CLOSE);
    if (close < 0) {
      return p;
    }
    int pid = find(b, p, close + 1, PID);
    if (pid < 0 || !digits(b, pid + 5, close - pid - 5, to)) {
      return p;
    }
    return close + 2;
  }

  /**
   * glog: "I0720 11:04:26.620525 1 file.cc:123] " at p, any severity (I, W, E, F). Its month,
   * day and time are at fixed offsets from {@code p}.
   *
   * @param marks null, or filled with where the fraction ends and where the source file's
   *     name begins and ends
   * @return where the message starts, or -1
   */
  static int glog(byte[] b, int p, int to, int[] marks) {
    if (p >= to) {
      return -1;
    }
    byte sev = b[p];
    if ((sev != 'I' && sev != 'W' && sev != 'E' && sev != 'F') || !GLOG_AFTER_LEVEL.at(b, p + 1, to)) {
      return -1;
    }
    int fracTo = fractionEnd(b, p + 15, to);
    int i = fracTo;
    if (!at(b, i, to, ' ')) {
      return -1;
    }
    while (at(b, i, to, ' ')) {
      i++;
    }
    if (!digit(b, i, to)) {
      return -1;
    }
    i = fractionEnd(b, i, to);
    if (!at(b, i, to, ' ')) {
      return -1;
    }
    i++;
    int fileFrom = i;
    while (i < to && b[i] != ':' && b[i] != ' ' && b[i] != ']') {
      i++;
    }
    if (i == fileFrom || !at(b, i, to, ':') || !digit(b, i + 1, to)) {
      return -1;
    }
    int fileTo = i;
    i = fractionEnd(b, i + 1, to);
    if (!at(b, i, to, ']')) {
      return -1;
    }
    i++;
    if (marks != null) {
      marks[0] = fracTo;
      marks[1] = fileFrom;
      marks[2] = fileTo;
    }
    return at(b, i, to, ' ') ? i + 1 : i;
  }

  /**
   * vLLM: "INFO 07-20 11:04:30 [file.py:248] " or "INFO 05-22 16:01:00 file.py:74] " at p, any
   * level; the file is optional. A line that ends with the time is a header with an empty message.
   *
   * @param marks null, or filled with where the time begins (after the level)
   * @return where the message starts, or -1
   */
  static int vllm(byte[] b, int p, int to, int[] marks) {
    int e = level(b, p, to);
    if (e < 0 || !VLLM_TIME.at(b, e, to)) {
      return -1;
    }
    if (marks != null) {
      marks[0] = e;
    }
    int i = e + 15;
    if (at(b, i, to, '.')) {
      i = fractionEnd(b, i + 1, to);
    }
    if (!at(b, i, to, ' ')) {
      return i >= to ? to : -1;
    }
    i++;
    int j = at(b, i, to, '[') ? i + 1 : i;
    int k = j;
    while (k < to && b[k] != ':' && b[k] != ' ' && b[k] != ']') {
      k++;
    }
    if (k > j && at(b, k, to, ':') && digit(b, k + 1, to)) {
      int m = fractionEnd(b, k + 1, to);
      if (at(b, m, to, ']')) {
        i = m + 1;
        if (at(b, i, to, ' ')) {
          i++;
        }
      }
    }
    return i;
  }

  /** uvicorn: "INFO:     Uvicorn running on ..." at p: where the message starts, or -1. */
  static int uvicorn(byte[] b, int p, int to) {
    int e = level(b, p, to);
    if (e < 0 || !at(b, e, to, ':') || !at(b, e + 1, to, ' ')) {
      return -1;
    }
    int i = e + 1;
    while (at(b, i, to, ' ')) {
      i++;
    }
    return i;
  }
}
