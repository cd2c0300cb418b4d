package io.tritonwatch.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.text.ByteSearch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonFileEntriesTest {

  private static final Path FIXTURE = Path.of("src/test/resources/docker/json-file");

  /** Lines per stream (index 1 stdout, 2 stderr), as text. */
  private static final class Collected {
    final List<List<String>> byStream = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    final List<Long> stamps = new ArrayList<>();

    void line(int stream, long stampNanos, byte[] line, int len, boolean control) {
      // The flag spares the screen a pass over the line; it must be exactly right.
      assertEquals(ByteSearch.control(line, 0, len) < len, control, () -> new String(line, 0, len, StandardCharsets.UTF_8));
      byStream.get(stream).add(Printed.line(stampNanos, line, len));
      stamps.add(stampNanos);
    }
  }

  private static Collected read(byte[] file, int chunk, int maxLine) {
    Collected c = new Collected();
    JsonFileEntries e = new JsonFileEntries(maxLine, c::line);
    for (int i = 0; i < file.length; i += chunk) {
      byte[] piece = java.util.Arrays.copyOfRange(file, i, Math.min(file.length, i + chunk));
      e.feed(piece, 0, piece.length);
    }
    e.finish();
    assertEquals(0, e.malformed());
    return c;
  }

  /** What `docker logs -t` printed, with the stamps of continuation pieces taken out and CRs before newlines dropped. */
  private static List<String> printed(String file) throws IOException {
    String all = Files.readString(FIXTURE.resolve(file), StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (String line : all.split("\n", -1)) {
      if (line.isEmpty()) {
        continue; // the split's tail after the last newline
      }
      String head = line.substring(0, 31);
      String rest = line.substring(31).replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z ", "");
      out.add((head + rest).replaceAll("\r$", ""));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 97, 4096, 1 << 20})
  void readsAsDockerLogsPrintsTheSameContainer(int chunk) throws IOException {
    byte[] file = Files.readAllBytes(FIXTURE.resolve("container-json.log"));
    Collected c = read(file, chunk, 1 << 20);
    assertEquals(printed("stdout.txt"), c.byStream.get(RawLogStream.STDOUT));
    assertEquals(printed("stderr.txt"), c.byStream.get(RawLogStream.STDERR));
    assertTrue(c.byStream.get(RawLogStream.STDOUT).stream().anyMatch(l -> l.endsWith("END-OF-LONG") && l.length() > 40_000));
  }

  @Test
  void theStampIsTheFirstPiecesWithNineDigits() {
    String json = "{\"log\":\"first \",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:00Z\"}\n"
        + "{\"log\":\"second\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:01.5Z\"}\n";
    Collected c = read(json.getBytes(StandardCharsets.UTF_8), 1 << 20, 1 << 20);
    assertEquals(List.of("2026-11-26T10:00:00.000000000Z first second"), c.byStream.get(RawLogStream.STDOUT));
    java.time.Instant t = java.time.Instant.parse("2026-11-26T10:00:00Z");
    assertEquals(List.of(t.getEpochSecond() * 1_000_000_000L), c.stamps);
  }

  @Test
  void attributesEscapesAndSurrogatesAreRead() {
    String json = "{\"log\":\"rocket \\ud83d\\ude80 half \\ud83d end \\u00e9\\/\\n\",\"stream\":\"stderr\","
        + "\"attrs\":{\"tag\":\"a,b}\\\"c\",\"n\":\"{x}\"},\"time\":\"2026-11-26T10:00:00.123456789Z\"}\n";
    Collected c = read(json.getBytes(StandardCharsets.UTF_8), 5, 1 << 20);
    assertEquals(List.of("2026-11-26T10:00:00.123456789Z rocket \uD83D\uDE80 half \uFFFD end \u00e9/"),
        c.byStream.get(RawLogStream.STDERR));
  }

  @Test
  void entriesThatAreNotTheEnginesAreCountedAndSkipped() {
    String good = "{\"log\":\"kept %d\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:0%dZ\"}\n";
    String json = String.format(good, 1, 1) + "not json at all\n" + "{\"log\":\"no time\\n\",\"stream\":\"stdout\"}\n"
        + "{\"log\":\"cut short\n" + "\n" + String.format(good, 2, 2) + "{\"log\":\"bad escape \\x\",\"time\":\"2026-11-26T10:00:03Z\"}\n"
        + String.format(good, 3, 4)
        // Entries cut by a crash right before the next one: in the text, and inside an escape.
        + "{\"log\":\"cut sho\n" + String.format(good, 5, 5) + "{\"log\":\"ab\\\n" + String.format(good, 6, 6);
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    for (int chunk : new int[] {1, 5, 64, b.length}) {
      Collected c = new Collected();
      JsonFileEntries e = new JsonFileEntries(1 << 20, c::line);
      for (int i = 0; i < b.length; i += chunk) {
        e.feed(b, i, Math.min(chunk, b.length - i));
      }
      e.finish();
      assertEquals(List.of("2026-11-26T10:00:01.000000000Z kept 1", "2026-11-26T10:00:02.000000000Z kept 2",
          "2026-11-26T10:00:04.000000000Z kept 3", "2026-11-26T10:00:05.000000000Z kept 5",
          "2026-11-26T10:00:06.000000000Z kept 6"), c.byStream.get(RawLogStream.STDOUT), "in pieces of " + chunk);
      assertEquals(7, e.malformed(), "in pieces of " + chunk);
    }
  }

  @Test
  void aWholeEntryOverTheLimitIsCutToIt() {
    String json = "{\"log\":\"" + "z".repeat(5000) + "\\r\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:00Z\"}\n"
        + "{\"log\":\"short\\r\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:01Z\"}\n";
    Collected c = read(json.getBytes(StandardCharsets.UTF_8), 1 << 20, 4096);
    List<String> out = c.byStream.get(RawLogStream.STDOUT);
    assertEquals(4096, out.get(0).length() - Printed.STAMP_AND_SPACE);
    assertEquals("2026-11-26T10:00:01.000000000Z short", out.get(1), "the carriage return dropped");
  }

  @Test
  void aLineOverTheLimitIsCutAndTheNextIsWhole() {
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      json.append("{\"log\":\"").append("y".repeat(1000)).append("\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:00Z\"}\n");
    }
    json.append("{\"log\":\"end\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:00Z\"}\n");
    json.append("{\"log\":\"next\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:01Z\"}\n");
    Collected c = read(json.toString().getBytes(StandardCharsets.UTF_8), 333, 4096);
    List<String> out = c.byStream.get(RawLogStream.STDOUT);
    assertEquals(2, out.size());
    assertEquals(4096, out.get(0).length() - Printed.STAMP_AND_SPACE);
    assertEquals("2026-11-26T10:00:01.000000000Z next", out.get(1));
  }
}
