package io.tritonwatch.parse;

import java.time.ZoneOffset;

/**
 * The parser's way into {@link LineHeader}: the same matchers, on the bytes that stand one for
 * one for a String's characters, turned into times, severities and source names.
 */
final class Prefixes {

  private Prefixes() {}

  /** Result of a prefix match: where it ends and the time it carries. */
  record Stamp(int end, LineTime time) {}

  /** A parsed log header: severity, time, source file, and where the message starts. */
  record Header(char severity, LineTime time, String source, int msgStart) {}

  private static int num(byte[] b, int from, int n) {
    return LineHeader.num(b, from, n);
  }

  /** Docker's RFC3339Nano stamp and a space: "2024-03-01T10:00:00.123456789Z ". */
  static Stamp docker(byte[] b, int p) {
    int[] m = new int[3];
    int end = LineHeader.dockerStamp(b, p, b.length, m);
    if (end < 0) {
      return null;
    }
    int z = m[2];
    ZoneOffset off = ZoneOffset.UTC;
    if (b[z] != 'Z') {
      int sign = b[z] == '-' ? -1 : 1;
      off = ZoneOffset.ofHoursMinutes(sign * num(b, z + 1, 2), sign * num(b, z + 4, 2));
    }
    return new Stamp(end, new LineTime(num(b, p, 4), num(b, p + 5, 2), num(b, p + 8, 2), num(b, p + 11, 2),
        num(b, p + 14, 2), num(b, p + 17, 2), m[0] < 0 ? 0 : LineHeader.nanos(b, m[0], m[1]), off));
  }

  /** A log viewer's date column or Docker Desktop's host time (see {@link LineHeader#viewerStamp}). */
  static Stamp viewer(byte[] b, int p) {
    int[] m = new int[2];
    int end = LineHeader.viewerStamp(b, p, b.length, m);
    if (end < 0) {
      return null;
    }
    return new Stamp(end, new LineTime(num(b, p, 4), num(b, p + 5, 2), num(b, p + 8, 2), num(b, p + 11, 2),
        num(b, p + 14, 2), num(b, p + 17, 2), m[0] < 0 ? 0 : LineHeader.nanos(b, m[0], m[1]), null));
  }

  static int compose(byte[] b, int p) {
    return LineHeader.compose(b, p, b.length);
  }

  static int relay(byte[] b, int p) {
    return LineHeader.relay(b, p, b.length);
  }

  static int process(byte[] b, int p) {
    return LineHeader.process(b, p, b.length);
  }

  static int uvicorn(byte[] b, int p) {
    return LineHeader.uvicorn(b, p, b.length);
  }

  /** glog's header at p, any severity; {@code s} is the line {@code b} stands for. */
  static Header glog(String s, byte[] b, int p) {
    int[] m = new int[3];
    int msg = LineHeader.glog(b, p, b.length, m);
    if (msg < 0) {
      return null;
    }
    LineTime t = new LineTime(0, num(b, p + 1, 2), num(b, p + 3, 2), num(b, p + 6, 2), num(b, p + 9, 2),
        num(b, p + 12, 2), LineHeader.nanos(b, p + 15, m[0]), null);
    return new Header((char) b[p], t, s.substring(m[1], m[2]), msg);
  }

  /** vLLM's header at p, any level. */
  static Header vllm(byte[] b, int p) {
    int[] m = new int[1];
    int msg = LineHeader.vllm(b, p, b.length, m);
    if (msg < 0) {
      return null;
    }
    int e = m[0];
    LineTime t = new LineTime(0, num(b, e + 1, 2), num(b, e + 4, 2), num(b, e + 7, 2), num(b, e + 10, 2),
        num(b, e + 13, 2), 0, null);
    return new Header((char) b[p], t, null, msg);
  }
}
