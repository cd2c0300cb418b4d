package io.tritonwatch.it;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.parse.LineParser;
import io.tritonwatch.parse.LineTime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a real log into a shell script that prints it line by line at its own pace, scaled
 * down, so a test container re-enacts the start-up. The script is mounted read-only.
 */
final class Replay {

  private Replay() {}

  static List<String> lines(Path log, int from, int to) throws IOException {
    List<String> all = new ArrayList<>();
    try (InputStream in = Files.newInputStream(log)) {
      TextLines.read(in, TextLines.DEFAULT_MAX_CHARS, all::add);
    }
    return all.subList(from, Math.min(to, all.size()));
  }

  /**
   * @param scale how many times faster than the original
   * @param tail shell commands after the last line ("exit 1", "sleep 3600")
   */
  static Path script(Path dir, String name, List<String> lines, double scale, String tail) throws IOException {
    StringBuilder sh = new StringBuilder("#!/bin/sh\n");
    Instant previous = null;
    for (String line : lines) {
      LineTime lt = LineParser.parse(0, line).time();
      Instant t = lt == null ? null : lt.toInstant(2024);
      if (t != null && previous != null && t.isAfter(previous)) {
        long micros = Math.min(2_000_000, (long) (Duration.between(previous, t).toNanos() / 1000 / scale));
        if (micros > 1000) {
          sh.append("usleep ").append(micros).append('\n');
        }
      }
      if (t != null) {
        previous = t;
      }
      sh.append("printf '%s\\n' '").append(line.replace("'", "'\\''")).append("'\n");
    }
    sh.append(tail).append('\n');
    Path p = dir.resolve(name + ".sh");
    Files.writeString(p, sh, StandardCharsets.UTF_8);
    return p;
  }
}
