package io.tritonwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health file as the image's check and {@code tritonwatch healthcheck --file} read it. */
class HealthCheckTest {

  @TempDir
  Path dir;

  private int check(Path file, StringBuilder said) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = HealthCheck.run(new String[] {"--file", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    said.append(out.toString(StandardCharsets.UTF_8));
    return code;
  }

  @Test
  void freshOkIsHealthyAReasonOrAStaleFileIsNot() throws Exception {
    Path f = dir.resolve("health");
    StringBuilder said = new StringBuilder();
    Files.writeString(f, "ok\n");
    assertEquals(0, check(f, said));
    Files.writeString(f, "not connected: Docker is away\n");
    assertEquals(1, check(f, said));
    assertTrue(said.toString().contains("not connected: Docker is away"), said.toString());
    Files.writeString(f, "ok\n");
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(HealthCheck.FRESH_SECONDS + 5)));
    assertEquals(1, check(f, said));
    assertTrue(said.toString().contains("the daemon is not keeping it"), said.toString());
    assertEquals(1, check(dir.resolve("missing"), said));
  }
}
