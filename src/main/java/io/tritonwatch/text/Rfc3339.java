package io.tritonwatch.text;

import java.time.Instant;

/**
 * The one reader of RFC 3339 stamps ("2024-03-01T10:00:00.123456789Z", as Docker and
 * containerd write them before every line), by hand: java.time's parser costs more than the
 * rest of the line.
 */
public final class Rfc3339 {

  /** No stamp: a time no stamp can have. */
  public static final long NONE = Long.MIN_VALUE;

  private Rfc3339() {}

  /** @return nanoseconds since the epoch, or {@link #NONE} when the bytes are not a stamp */
  public static long parse(byte[] b, int off, int len) {
    if (len < 20 || len > 40) {
      return NONE;
    }
    int p = off;
    if (b[p + 4] != '-' || b[p + 7] != '-' || b[p + 10] != 'T' || b[p + 13] != ':' || b[p + 16] != ':') {
      return NONE;
    }
    int y = num(b, p, 4);
    int mo = num(b, p + 5, 2);
    int d = num(b, p + 8, 2);
    int h = num(b, p + 11, 2);
    int mi = num(b, p + 14, 2);
    int s = num(b, p + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) {
      return NONE;
    }
    int i = p + 19;
    int end = off + len;
    long nanos = 0;
    if (i < end && b[i] == '.') {
      i++;
      int digits = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        if (digits < 9) {
          nanos = nanos * 10 + (b[i] - '0');
          digits++;
        }
        i++;
      }
      for (; digits < 9; digits++) {
        nanos *= 10;
      }
    }
    long offsetSeconds;
    if (i < end && b[i] == 'Z') {
      offsetSeconds = 0;
      i++;
    } else if (i + 6 <= end && (b[i] == '+' || b[i] == '-') && b[i + 3] == ':') {
      int oh = num(b, i + 1, 2);
      int om = num(b, i + 4, 2);
      if (oh < 0 || om < 0) {
        return NONE;
      }
      offsetSeconds = (b[i] == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
      i += 6;
    } else {
      return NONE;
    }
    if (i != end) {
      return NONE;
    }
    long epochSeconds = epochDay(y, mo, d) * 86400L + h * 3600L + mi * 60L + s - offsetSeconds;
    return epochSeconds * 1_000_000_000L + nanos;
  }

  public static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }

  private static int num(byte[] b, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      int c = b[i] - '0';
      if (c < 0 || c > 9) {
        return -1;
      }
      v = v * 10 + c;
    }
    return v;
  }

  /**
   * Days since 1970-01-01 of a proleptic Gregorian date, whose fields the caller has checked
   * (H. Hinnant's algorithm).
   */
  public static long epochDay(long y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  private static final ByteLayout DATE_TIME = new ByteLayout("DDDD-DD-DDTDD:DD:DD");

  /**
   * Where an RFC 3339 stamp that begins at {@code p} ends, looking only at its shape (a header
   * grammar finds stamps this way; {@link #parse} also checks the fields' ranges).
   *
   * @param marks null, or filled with where the fraction begins and ends (-1 without one) and
   *     where the zone begins
   * @return the index after the stamp's zone, or -1
   */
  public static int end(byte[] b, int p, int to, int[] marks) {
    if (!DATE_TIME.at(b, p, to)) {
      return -1;
    }
    int e = p + 19;
    int fracFrom = -1;
    int fracTo = -1;
    if (e < to && b[e] == '.') {
      fracFrom = e + 1;
      fracTo = fracFrom;
      while (fracTo < to && b[fracTo] >= '0' && b[fracTo] <= '9') {
        fracTo++;
      }
      e = fracTo;
    }
    int zone = e;
    if (e < to && b[e] == 'Z') {
      e++;
    } else if (e + 6 <= to && (b[e] == '+' || b[e] == '-') && digit(b[e + 1]) && digit(b[e + 2]) && b[e + 3] == ':'
        && digit(b[e + 4]) && digit(b[e + 5])) {
      e += 6;
    } else {
      return -1;
    }
    if (marks != null) {
      marks[0] = fracFrom;
      marks[1] = fracTo;
      marks[2] = zone;
    }
    return e;
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** A stamp written as text (an API's JSON field), or null when it is none. */
  public static Instant instant(String s) {
    if (s == null) {
      return null;
    }
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    long nanos = parse(b, 0, b.length);
    return nanos == NONE ? null : toInstant(nanos);
  }

  /** Epoch nanoseconds of an instant, or {@link #NONE} for null. */
  public static long nanos(Instant t) {
    return t == null ? NONE : t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
