package io.tritonwatch.parse;

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
      } else if ((msg = infoGlog(b, glogTriedAt = p, to)) >= 0) {
        break; // the most common case first; no compose name looks like a glog header
      } else if ((e = LineHeader.compose(b, p, to)) > 0 && !startsWith(b, p, to, LOADING)) {
        p = e;
      } else {
        break;
      }
    }
    if (msg < 0 && glogTriedAt != p) {
      msg = infoGlog(b, p, to); // prefixes used up the guard before a header was tried here
    }
    if (msg >= 0) {
      if (msg < to && b[msg] == '"') {
        msg++;
      }
    } else {
      int q = LineHeader.process(b, p, to);
      if (q >= to || (b[q] != 'I' && b[q] != 'D') || (msg = LineHeader.vllm(b, q, to, null)) < 0) {
        return false; // only INFO and DEBUG lines can be noise
      }
    }
    return !mayMatter(b, msg, to);
  }

  /** The engine's stamp or a viewer's date column, told apart by the byte between date and time. */
  private static int stamp(byte[] b, int p, int to) {
    if (to - p < 20) {
      return -1;
    }
    return b[p + 10] == 'T' ? LineHeader.dockerStamp(b, p, to, null) : LineHeader.viewerStamp(b, p, to, null);
  }

  /** An info-level glog header at p: where its message starts, else -1. */
  private static int infoGlog(byte[] b, int p, int to) {
    return p < to && b[p] == 'I' ? LineHeader.glog(b, p, to, null) : -1;
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
}
