package io.tritonwatch.docker;

import io.tritonwatch.text.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A line as {@code docker logs -t} prints it, from the stamp a reader gives as a value and the text. */
final class Printed {

  /** The stamp and its space, as the engine prints it with nine fraction digits. */
  static final int STAMP_AND_SPACE = "2026-11-26T10:00:00.000000000Z ".length();
  private static final DateTimeFormatter NINE_DIGITS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Printed() {}

  static String line(long nanos, byte[] b, int len) {
    String text = new String(b, 0, len, StandardCharsets.UTF_8);
    return nanos == Rfc3339.NONE ? text : NINE_DIGITS.format(Rfc3339.toInstant(nanos)) + " " + text;
  }
}
