package io.tritonwatch.docker;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Docker's RFC3339Nano log timestamp ("2024-03-01T10:00:00.123456789Z"). */
final class DockerTimestamp {
  private DockerTimestamp() {}

  /** @return the instant, or null when the text is not one */
  static Instant parse(CharSequence s) {
    if (s.length() < 20 || s.length() > 40 || s.charAt(4) != '-' || s.charAt(10) != 'T') {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
