package io.tritonwatch.parse;

import java.time.ZoneOffset;

/**
 * Hand-written matchers for the prefixes and headers of a line, at an offset, without regular
 * expressions or substrings: a busy server writes thousands of lines a second and almost all
 * of them only need to be recognised as noise.
 */
final class Prefixes {

  private Prefixes() {}

  static boolean digit(String s, int i) {
    if (i >= s.length()) {
      return false;
    }
    char c = s.charAt(i);
    return c >= '0' && c <= '9';
  }

  static boolean digits(String s, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (!digit(s, i)) {
        return false;
      }
    }
    return true;
  }

  static int num(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }

  static boolean at(String s, int i, char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  /** "YYYY-MM-DD" then 'T' or ' ' then "HH:MM:SS" at p; the offset just after the seconds, or -1. */
  private static int dateTime(String s, int p, char sep) {
    if (!digits(s, p, 4) || !at(s, p + 4, '-') || !digits(s, p + 5, 2) || !at(s, p + 7, '-')
        || !digits(s, p + 8, 2) || !at(s, p + 10, sep) || !digits(s, p + 11, 2) || !at(s, p + 13, ':')
        || !digits(s, p + 14, 2) || !at(s, p + 16, ':') || !digits(s, p + 17, 2)) {
      return -1;
    }
    return p + 19;
  }

  /** Fraction digits starting at i (after '.' or ','): their count, at most 9 read. */
  private static int fractionEnd(String s, int i) {
    int e = i;
    while (digit(s, e)) {
      e++;
    }
    return e;
  }

  private static int nanos(String s, int from, int to) {
    int v = 0;
    int n = 0;
    for (int i = from; i < to && n < 9; i++, n++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    for (; n < 9; n++) {
      v *= 10;
    }
    return v;
  }

  /** Result of a prefix match: where it ends and the time it carries. */
  record Stamp(int end, LineTime time) {}

  /** Docker's RFC3339Nano stamp and a space: "2024-03-01T10:00:00.123456789Z ". */
  static Stamp docker(String s, int p) {
    int e = dateTime(s, p, 'T');
    if (e < 0) {
      return null;
    }
    int fracFrom = -1;
    int fracTo = -1;
    if (at(s, e, '.')) {
      fracFrom = e + 1;
      fracTo = fractionEnd(s, fracFrom);
      e = fracTo;
    }
    ZoneOffset off;
    if (at(s, e, 'Z')) {
      off = ZoneOffset.UTC;
      e++;
    } else if ((at(s, e, '+') || at(s, e, '-')) && digits(s, e + 1, 2) && at(s, e + 3, ':') && digits(s, e + 4, 2)) {
      int sign = s.charAt(e) == '-' ? -1 : 1;
      off = ZoneOffset.ofHoursMinutes(sign * num(s, e + 1, 2), sign * num(s, e + 4, 2));
      e += 6;
    } else {
      return null;
    }
    if (!at(s, e, ' ')) {
      return null;
    }
    return new Stamp(e + 1, new LineTime(num(s, p, 4), num(s, p + 5, 2), num(s, p + 8, 2), num(s, p + 11, 2),
        num(s, p + 14, 2), num(s, p + 17, 2), fracFrom < 0 ? 0 : nanos(s, fracFrom, fracTo), off));
  }

  /**
   * A log viewer's column ("2025-07-20 14:04:26.098 | ") or Docker Desktop's host time
   * ("2024-07-23 19:39:35 "). Not TensorFlow's "2023-09-05 10:23:17.249940: I": a colon follows.
   */
  static Stamp viewer(String s, int p) {
    int e = dateTime(s, p, ' ');
    if (e < 0) {
      return null;
    }
    int fracFrom = -1;
    int fracTo = -1;
    if ((at(s, e, '.') || at(s, e, ',')) && digit(s, e + 1)) {
      fracFrom = e + 1;
      fracTo = fractionEnd(s, fracFrom);
      e = fracTo;
    }
    if (!at(s, e, ' ')) {
      return null;
    }
    int end = e + 1;
    if (at(s, end, '|')) {
      end++;
      if (at(s, end, ' ')) {
        end++;
      }
    }
    return new Stamp(end, new LineTime(num(s, p, 4), num(s, p + 5, 2), num(s, p + 8, 2), num(s, p + 11, 2),
        num(s, p + 14, 2), num(s, p + 17, 2), fracFrom < 0 ? 0 : nanos(s, fracFrom, fracTo), null));
  }

  /** "service-1   | " of docker compose: a name, spaces, a bar. */
  static int compose(String s, int p) {
    int n = s.length();
    if (p >= n || !Character.isLetterOrDigit(s.charAt(p))) {
      return -1;
    }
    int i = p + 1;
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-') {
        i++;
      } else {
        break;
      }
    }
    int nameEnd = i;
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    if (i == nameEnd || i >= n || s.charAt(i) != '|') {
      return -1;
    }
    i++;
    if (at(s, i, ' ')) {
      i++;
    }
    return i;
  }

  /** A parsed log header: severity, time, source file, and where the message starts. */
  record Header(char severity, LineTime time, String source, int msgStart) {}

  /** glog: "I0720 11:04:26.620525 1 file.cc:123] " anchored at p. */
  static Header glog(String s, int p) {
    if (p >= s.length()) {
      return null;
    }
    char sev = s.charAt(p);
    if ((sev != 'I' && sev != 'W' && sev != 'E' && sev != 'F') || !digits(s, p + 1, 4) || !at(s, p + 5, ' ')
        || !digits(s, p + 6, 2) || !at(s, p + 8, ':') || !digits(s, p + 9, 2) || !at(s, p + 11, ':')
        || !digits(s, p + 12, 2) || !at(s, p + 14, '.') || !digit(s, p + 15)) {
      return null;
    }
    int fracTo = fractionEnd(s, p + 15);
    int i = fracTo;
    if (!at(s, i, ' ')) {
      return null;
    }
    while (at(s, i, ' ')) {
      i++;
    }
    if (!digit(s, i)) {
      return null;
    }
    while (digit(s, i)) {
      i++;
    }
    if (!at(s, i, ' ')) {
      return null;
    }
    i++;
    int fileFrom = i;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == ':' || c == ' ' || c == ']') {
        break;
      }
      i++;
    }
    if (i == fileFrom || !at(s, i, ':') || !digit(s, i + 1)) {
      return null;
    }
    int fileTo = i;
    i++;
    while (digit(s, i)) {
      i++;
    }
    if (!at(s, i, ']')) {
      return null;
    }
    i++;
    if (at(s, i, ' ')) {
      i++;
    }
    LineTime t = new LineTime(0, num(s, p + 1, 2), num(s, p + 3, 2), num(s, p + 6, 2), num(s, p + 9, 2),
        num(s, p + 12, 2), nanos(s, p + 15, fracTo), null);
    return new Header(sev, t, s.substring(fileFrom, fileTo), i);
  }

  private static final String[] LEVELS = {"INFO", "WARNING", "ERROR", "DEBUG", "CRITICAL", "WARN"};

  /** "(EngineCore_0 pid=123) ": a vLLM process prefix; its end, or p when absent. */
  static int process(String s, int p) {
    if (!at(s, p, '(')) {
      return p;
    }
    int close = s.indexOf(") ", p);
    if (close < 0 || close - p > 80) {
      return p;
    }
    int pid = s.indexOf(" pid=", p);
    if (pid < 0 || pid > close || !digits(s, pid + 5, close - pid - 5)) {
      return p;
    }
    return close + 2;
  }

  private static int level(String s, int p) {
    for (String l : LEVELS) {
      if (s.startsWith(l, p)) {
        return p + l.length();
      }
    }
    return -1;
  }

  /** vLLM: "INFO 07-20 11:04:30 [file.py:248] " or "INFO 05-22 16:01:00 file.py:74] ", at p. */
  static Header vllm(String s, int p) {
    int e = level(s, p);
    if (e < 0 || !at(s, e, ' ') || !digits(s, e + 1, 2) || !at(s, e + 3, '-') || !digits(s, e + 4, 2)
        || !at(s, e + 6, ' ') || !digits(s, e + 7, 2) || !at(s, e + 9, ':') || !digits(s, e + 10, 2)
        || !at(s, e + 12, ':') || !digits(s, e + 13, 2)) {
      return null;
    }
    LineTime t = new LineTime(0, num(s, e + 1, 2), num(s, e + 4, 2), num(s, e + 7, 2), num(s, e + 10, 2),
        num(s, e + 13, 2), 0, null);
    int i = e + 15;
    if (at(s, i, '.')) {
      i = fractionEnd(s, i + 1);
    }
    if (!at(s, i, ' ')) {
      return i >= s.length() ? new Header(s.charAt(p), t, null, s.length()) : null;
    }
    i++;
    // optional "[file.py:123] " or "file.py:123] "
    int j = at(s, i, '[') ? i + 1 : i;
    int k = j;
    int n = s.length();
    while (k < n) {
      char c = s.charAt(k);
      if (c == ':' || c == ' ' || c == ']') {
        break;
      }
      k++;
    }
    if (k > j && at(s, k, ':') && digit(s, k + 1)) {
      int m = k + 1;
      while (digit(s, m)) {
        m++;
      }
      if (at(s, m, ']')) {
        i = m + 1;
        if (at(s, i, ' ')) {
          i++;
        }
      }
    }
    return new Header(s.charAt(p), t, null, i);
  }

  /** uvicorn: "INFO:     Uvicorn running on ..." at p. */
  /**
   * A relay's level and logger after its date column, FastChat's "... | ERROR | stderr | ": the
   * message starts after the second bar, and the level is the line's.
   */
  static int relay(String s, int p) {
    int e = level(s, p);
    if (e < 0 || !s.startsWith(" | ", e)) {
      return -1;
    }
    int bar = s.indexOf(" | ", e + 3);
    if (bar < 0 || bar - (e + 3) > 64) {
      return -1;
    }
    for (int i = e + 3; i < bar; i++) {
      if (s.charAt(i) == ' ') {
        return -1; // a logger's name has no space
      }
    }
    return bar + 3;
  }

  static int uvicorn(String s, int p) {
    int e = level(s, p);
    if (e < 0 || !at(s, e, ':') || !at(s, e + 1, ' ')) {
      return -1;
    }
    int i = e + 1;
    while (at(s, i, ' ')) {
      i++;
    }
    return i;
  }
}
