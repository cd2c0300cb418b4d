package io.tritonwatch.parse;

import io.tritonwatch.text.ByteLayout;
import io.tritonwatch.text.ByteSearch;
import java.nio.charset.StandardCharsets;

/**
 * The noise screen on raw bytes, before a line becomes a String: a line that carries a glog
 * or vLLM header at info level and whose message starts with nothing any rule reads is noise,
 * and costs a few dozen byte comparisons. Anything unusual (colours, carriage returns, NUL,
 * markdown quotes, a header that does not parse) is not noise and takes the full path.
 * Pure; {@code ByteScreenTest} proves it never calls a line with an event noise.
 */
public final class ByteScreen {

  private static final byte[][][] BY_FIRST = new byte[128][][];

  static {
    java.util.Map<Integer, java.util.List<byte[]>> m = new java.util.HashMap<>();
    for (String p : NoiseScreen.prefixes()) {
      m.computeIfAbsent((int) p.charAt(0), k -> new java.util.ArrayList<>()).add(p.getBytes(StandardCharsets.US_ASCII));
    }
    for (java.util.Map.Entry<Integer, java.util.List<byte[]>> e : m.entrySet()) {
      BY_FIRST[e.getKey()] = e.getValue().toArray(byte[][]::new);
    }
  }

  private ByteScreen() {}

  /** @return true when the line at {@code b[from, to)} certainly holds no event */
  public static boolean noise(byte[] b, int from, int to) {
    return noise(b, from, to, hasControl(b, from, to));
  }

  /**
   * @param control whether the line holds a byte below 0x20 (a reader that already looked at
   *     every byte says so, sparing a second pass)
   */
  public static boolean noise(byte[] b, int from, int to, boolean control) {
    return noise(b, from, to, control, 0);
  }

  /**
   * The same verdict for the text after the engine's stamp, which a reader took off the line
   * and hands on as a value: it counts as the prefix it was.
   */
  public static boolean noiseAfterStamp(byte[] b, int textFrom, int to, boolean control) {
    return noise(b, textFrom, to, control, 1);
  }

  /** @param prefixes how many prefixes were already taken off before {@code from} */
  private static boolean noise(byte[] b, int from, int to, boolean control, int prefixes) {
    if (control) {
      return false; // carriage returns, colours, NUL, tabs: the full path knows what to do
    }
    int p = from;
    int msg = -1;
    int glogTriedAt = -1;
    for (int guard = prefixes; guard < 4; guard++) {
      int e;
      if (dig(b, p, to) && (e = stamp(b, p, to)) > 0) {
        p = e;
      } else if (p + 1 < to && b[p] == '>' && b[p + 1] == ' ') {
        return false;
      } else if ((msg = glog(b, glogTriedAt = p, to)) >= 0) {
        break; // the most common case first; no compose name looks like a glog header
      } else if ((e = compose(b, p, to)) > 0 && !startsWith(b, p, to, LOADING)) {
        p = e;
      } else {
        break;
      }
    }
    if (msg < 0 && glogTriedAt != p) {
      msg = glog(b, p, to); // prefixes used up the guard before a header was tried here
    }
    if (msg >= 0) {
      if (msg < to && b[msg] == '"') {
        msg++;
      }
    } else {
      msg = vllm(b, process(b, p, to), to);
      if (msg < 0) {
        return false;
      }
    }
    return !mayMatter(b, msg, to);
  }

  public static boolean hasControl(byte[] b, int from, int to) {
    return ByteSearch.control(b, from, to) < to;
  }

  private static final byte[] LOADING = "Loading".getBytes(StandardCharsets.US_ASCII);

  private static boolean mayMatter(byte[] b, int from, int to) {
    if (from >= to) {
      return true;
    }
    int c = b[from] & 0xff;
    if (c >= 128) {
      return true;
    }
    byte[][] candidates = BY_FIRST[c];
    if (candidates == null) {
      return !Character.isLetter(c) && c != '"' && c != '[' && c != '(';
    }
    for (byte[] p : candidates) {
      if (startsWith(b, from, to, p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(byte[] b, int from, int to, byte[] p) {
    if (to - from < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (b[from + i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean dig(byte[] b, int i, int to) {
    return i < to && (byte) (b[i] - '0') >= 0 && b[i] <= '9';
  }

  private static boolean is(byte[] b, int i, int to, char c) {
    return i < to && b[i] == c;
  }

  private static boolean digs(byte[] b, int i, int to, int n) {
    for (int k = i; k < i + n; k++) {
      if (!dig(b, k, to)) {
        return false;
      }
    }
    return true;
  }

  private static final ByteLayout DOCKER_TIME = new ByteLayout("DDDD-DD-DDTDD:DD:DD");
  private static final ByteLayout VIEWER_TIME = new ByteLayout("DDDD-DD-DD DD:DD:DD");
  private static final ByteLayout GLOG_INFO = new ByteLayout("IDDDD DD:DD:DD.D");
  private static final ByteLayout VLLM_TIME = new ByteLayout(" DD-DD DD:DD:DD");

  private static int dateTime(byte[] b, int p, int to, char sep) {
    if (to - p < 20 || !(sep == 'T' ? DOCKER_TIME : VIEWER_TIME).at(b, p, to)) {
      return -1;
    }
    return p + 19;
  }

  /** Docker's stamp or a viewer's date column, told apart by the byte between date and time. */
  private static int stamp(byte[] b, int p, int to) {
    if (to - p < 20) {
      return -1;
    }
    return b[p + 10] == 'T' ? dockerStamp(b, p, to) : viewerStamp(b, p, to);
  }

  private static int dockerStamp(byte[] b, int p, int to) {
    int e = dateTime(b, p, to, 'T');
    if (e < 0) {
      return -1;
    }
    if (is(b, e, to, '.')) {
      e++;
      while (dig(b, e, to)) {
        e++;
      }
    }
    if (is(b, e, to, 'Z')) {
      e++;
    } else if ((is(b, e, to, '+') || is(b, e, to, '-')) && digs(b, e + 1, to, 2) && is(b, e + 3, to, ':')
        && digs(b, e + 4, to, 2)) {
      e += 6;
    } else {
      return -1;
    }
    return is(b, e, to, ' ') ? e + 1 : -1;
  }

  private static int viewerStamp(byte[] b, int p, int to) {
    int e = dateTime(b, p, to, ' ');
    if (e < 0) {
      return -1;
    }
    if ((is(b, e, to, '.') || is(b, e, to, ',')) && dig(b, e + 1, to)) {
      e++;
      while (dig(b, e, to)) {
        e++;
      }
    }
    if (!is(b, e, to, ' ')) {
      return -1;
    }
    e++;
    if (is(b, e, to, '|')) {
      e++;
      if (is(b, e, to, ' ')) {
        e++;
      }
    }
    return e;
  }

  private static boolean word(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  }

  private static int compose(byte[] b, int p, int to) {
    if (p >= to || !((b[p] >= 'a' && b[p] <= 'z') || (b[p] >= 'A' && b[p] <= 'Z') || (b[p] >= '0' && b[p] <= '9'))) {
      return -1;
    }
    int i = p + 1;
    while (i < to && word(b[i])) {
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
    return is(b, i, to, ' ') ? i + 1 : i;
  }

  /** An info-level glog header at p: where its message starts, else -1. */
  private static int glog(byte[] b, int p, int to) {
    if (to - p < 20 || !GLOG_INFO.at(b, p, to)) {
      return -1;
    }
    int i = p + 15;
    while (dig(b, i, to)) {
      i++;
    }
    if (!is(b, i, to, ' ')) {
      return -1;
    }
    while (is(b, i, to, ' ')) {
      i++;
    }
    if (!dig(b, i, to)) {
      return -1;
    }
    while (dig(b, i, to)) {
      i++;
    }
    if (!is(b, i, to, ' ')) {
      return -1;
    }
    i++;
    int fileFrom = i;
    while (i < to && b[i] != ':' && b[i] != ' ' && b[i] != ']') {
      i++;
    }
    if (i == fileFrom || !is(b, i, to, ':') || !dig(b, i + 1, to)) {
      return -1;
    }
    i++;
    while (dig(b, i, to)) {
      i++;
    }
    if (!is(b, i, to, ']')) {
      return -1;
    }
    i++;
    return is(b, i, to, ' ') ? i + 1 : i;
  }

  private static int process(byte[] b, int p, int to) {
    if (!is(b, p, to, '(')) {
      return p;
    }
    int close = -1;
    for (int i = p; i < Math.min(to - 1, p + 81); i++) {
      if (b[i] == ')' && b[i + 1] == ' ') {
        close = i;
        break;
      }
    }
    if (close < 0) {
      return p;
    }
    int pid = -1;
    for (int i = p; i + 5 <= close; i++) {
      if (b[i] == ' ' && b[i + 1] == 'p' && b[i + 2] == 'i' && b[i + 3] == 'd' && b[i + 4] == '=') {
        pid = i;
        break;
      }
    }
    if (pid < 0 || !digs(b, pid + 5, to, close - pid - 5)) {
      return p;
    }
    return close + 2;
  }

  private static final byte[] INFO = "INFO".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DEBUG = "DEBUG".getBytes(StandardCharsets.US_ASCII);

  /** An INFO or DEBUG vLLM header at p: where its message starts, else -1. */
  private static int vllm(byte[] b, int p, int to) {
    int e;
    if (startsWith(b, p, to, INFO)) {
      e = p + 4;
    } else if (startsWith(b, p, to, DEBUG)) {
      e = p + 5;
    } else {
      return -1;
    }
    if (!VLLM_TIME.at(b, e, to)) {
      return -1;
    }
    int i = e + 15;
    if (is(b, i, to, '.')) {
      i++;
      while (dig(b, i, to)) {
        i++;
      }
    }
    if (!is(b, i, to, ' ')) {
      return -1;
    }
    i++;
    int j = is(b, i, to, '[') ? i + 1 : i;
    int k = j;
    while (k < to && b[k] != ':' && b[k] != ' ' && b[k] != ']') {
      k++;
    }
    if (k > j && is(b, k, to, ':') && dig(b, k + 1, to)) {
      int m = k + 1;
      while (dig(b, m, to)) {
        m++;
      }
      if (is(b, m, to, ']')) {
        i = m + 1;
        if (is(b, i, to, ' ')) {
          i++;
        }
      }
    }
    return i;
  }
}
