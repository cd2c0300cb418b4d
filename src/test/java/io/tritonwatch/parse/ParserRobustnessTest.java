package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.stage.ModelState;
import io.tritonwatch.stage.StartupSummary;
import io.tritonwatch.stage.StartupTracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests: whatever bytes arrive, reading never throws and never loses the valid line
 * that follows the garbage. Seeds are fixed so a failure reproduces; each property runs a few
 * hundred cases.
 */
class ParserRobustnessTest {

  private static final String SENTINEL =
      "I0720 11:04:26.667375 1 model_lifecycle.cc:473] \"loading: sentinel_model:7\"";

  @Test
  void randomBytesThenAValidLine() throws IOException {
    Random rnd = new Random(42);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[rnd.nextInt(4096)];
      rnd.nextBytes(junk);
      assertSentinelSurvives(junk, "random bytes case " + i);
    }
  }

  @Test
  void nulBytesInvalidUtf8AndAnsiStorms() throws IOException {
    Random rnd = new Random(7);
    for (int i = 0; i < 200; i++) {
      ByteArrayOutputStream junk = new ByteArrayOutputStream();
      for (int k = 0; k < 50; k++) {
        switch (rnd.nextInt(5)) {
          case 0 -> junk.write(0);
          case 1 -> junk.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xF0, (byte) 0x9F});
          case 2 -> junk.writeBytes("\u001b[1;36m\u001b[0;0m\u001b[".getBytes(StandardCharsets.UTF_8));
          case 3 -> junk.writeBytes("\r\r|+-| glm | 1 |\"".getBytes(StandardCharsets.UTF_8));
          default -> junk.writeBytes("I0720 11:04:2".getBytes(StandardCharsets.UTF_8));
        }
      }
      assertSentinelSurvives(junk.toByteArray(), "control bytes case " + i);
    }
  }

  @Test
  void aOneMebibyteLineDoesNotSwallowTheNext() throws IOException {
    byte[] big = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
    assertSentinelSurvives(big, "1 MiB line");
    byte[] bigger = ("E0101 00:00:00.000000 1 model_lifecycle.cc:1] failed to load 'm' version 1: "
        + "y".repeat(3 << 20)).getBytes(StandardCharsets.US_ASCII);
    assertSentinelSurvives(bigger, "3 MiB error line");
  }

  @Test
  void randomMixesOfRealLinesNeverThrow() throws IOException {
    List<String> lines = RealLines.in("src/test/resources/logs");
    Random rnd = new Random(3);
    for (int run = 0; run < 200; run++) {
      StartupTracker t = new StartupTracker(2024);
      int n = 1 + rnd.nextInt(400);
      for (int i = 0; i < n; i++) {
        String line = lines.get(rnd.nextInt(lines.size()));
        if (rnd.nextInt(10) == 0 && line.length() > 2) {
          line = line.substring(0, rnd.nextInt(line.length()));
        }
        io.tritonwatch.Track.line(t, new io.tritonwatch.parse.LogLine(i + 1, line, null));
      }
      io.tritonwatch.Track.line(t, new io.tritonwatch.parse.LogLine(n + 1, SENTINEL, null));
      StartupSummary s = t.summary();
      assertTrue(s.models().stream().anyMatch(m -> m.name().equals("sentinel_model")),
          "sentinel lost in mix " + run);
    }
  }

  @Test
  void everyPrefixOfEveryRealLineParses() throws IOException {
    List<String> lines = new ArrayList<>();
    TextLines.read(Files.newInputStream(Path.of("src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log")),
        TextLines.DEFAULT_MAX_CHARS, lines::add);
    for (String line : lines) {
      for (int cut = 0; cut <= line.length(); cut++) {
        ParsedLine p = LineParser.parse(1, line.substring(0, cut));
        assertTrue(p.events() != null);
      }
    }
  }

  private static void assertSentinelSurvives(byte[] junk, String what) throws IOException {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(junk);
    in.write('\n');
    in.writeBytes(SENTINEL.getBytes(StandardCharsets.UTF_8));
    in.write('\n');
    StartupTracker t = new StartupTracker(2024);
    long[] n = {0};
    TextLines.read(new ByteArrayInputStream(in.toByteArray()), TextLines.DEFAULT_MAX_CHARS,
        line -> io.tritonwatch.Track.line(t, new io.tritonwatch.parse.LogLine(++n[0], line, null)));
    StartupSummary s = t.summary();
    assertTrue(s.models().stream().anyMatch(m -> m.name().equals("sentinel_model")
        && "7".equals(m.version()) && m.currentState() == ModelState.LOADING), what + ": " + s.models());
    assertEquals(n[0], s.linesRead());
  }
}
