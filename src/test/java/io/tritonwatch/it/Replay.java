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

  /**
   * A container script (loop.sh in {@code dir}, with state in {@code dir/state}) that fails
   * three start-ups on classnet v1 (001's first, at its own pace) and serves v2 from the fourth
   * (001's second): run it under {@code --restart on-failure:5} with {@code dir} at /replay and
   * the returned state directory at /state.
   */
  static Path failThreeTimesThenServe(Path dir, Path log) throws IOException {
    script(dir, "fail", lines(log, 0, 95), 1, "exit 1");
    script(dir, "ready", lines(log, 95, 181), 20, "sleep 3600");
    Path state = java.nio.file.Files.createDirectories(dir.resolve("state"));
    state.toFile().setWritable(true, false);
    java.nio.file.Files.writeString(dir.resolve("loop.sh"), "n=$(cat /state/n 2>/dev/null || echo 0)\nn=$((n+1))\n"
        + "echo $n > /state/n\nif [ $n -le 3 ]; then sh /replay/fail.sh; exit 1; fi\nexec sh /replay/ready.sh\n");
    return state;
  }
}
