package io.tritonwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.parse.ByteScreen;
import io.tritonwatch.parse.LineParser;
import io.tritonwatch.report.SummaryJson;
import io.tritonwatch.stage.StartupTracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A container counts screened noise without telling its tracker line by line; whenever it is
 * read, it must read exactly as a tracker given every line in turn.
 */
class HeldNoiseTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final String NOISE =
      "I1126 10:00:00.000000 1 infer_request.cc:131] \"[request id: <id_unknown>] Setting state from PENDING to EXECUTING\"";

  static Stream<String> logs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("src/test/resources/logs"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).sorted().toList().stream();
    }
  }

  /** The log as the follower hands it on: Docker's stamp first, with noise of our own between its lines. */
  private static List<String> stamped(String log) throws IOException {
    Random random = new Random(log.hashCode());
    List<String> out = new ArrayList<>();
    Instant t = T0;
    if (random.nextBoolean()) {
      out.add(t + " " + NOISE); // noise can begin a start-up too
    }
    int i = 0;
    for (String line : Files.readAllLines(Path.of("src/test/resources/logs", log), StandardCharsets.ISO_8859_1)) {
      t = t.plusMillis(3);
      out.add(t + " " + line);
      for (int k = i++ % 4 == 0 ? 1 + random.nextInt(5) : 0; k > 0; k--) {
        t = t.plusMillis(1);
        out.add(t + " " + NOISE);
      }
    }
    return out;
  }

  private static void feed(WatchedContainer c, String text) {
    Stamped.line(c, text);
  }

  @ParameterizedTest
  @MethodSource("logs")
  void readsAsEveryLineGivenInTurn(String log) throws IOException {
    List<String> lines = stamped(log);
    StartupTracker reference = new StartupTracker(Year.now().getValue(), 64, StartupTracker.LIVE_MAX_RUNS);
    WatchedContainer settledAtEnd = new WatchedContainer(
        new ContainerInfo("a", "a", "img", Map.of(), false, true, T0, null, 0, null), 64);
    WatchedContainer readOften = new WatchedContainer(
        new ContainerInfo("b", "b", "img", Map.of(), false, true, T0, null, 0, null), 64);
    int screened = 0;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      reference.accept(LineParser.parse(i + 1, text), null);
      feed(settledAtEnd, text);
      feed(readOften, text);
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      screened += ByteScreen.noise(b, 0, b.length) ? 1 : 0;
      if (i % 37 == 36) {
        assertEquals(json(reference), SummaryJson.write(SummaryJson.tree(readOften.summary())), log + " at line " + (i + 1));
        assertEquals(i + 1, readOften.linesRead());
      }
    }
    String expected = json(reference);
    assertEquals(expected, SummaryJson.write(SummaryJson.tree(settledAtEnd.summary())), log);
    assertEquals(expected, SummaryJson.write(SummaryJson.tree(readOften.summary())), log);
    assertTrue(screened > 0, "some lines of " + log + " went the noise way");
  }

  private static String json(StartupTracker t) {
    return SummaryJson.write(SummaryJson.tree(t.summary()));
  }
}
