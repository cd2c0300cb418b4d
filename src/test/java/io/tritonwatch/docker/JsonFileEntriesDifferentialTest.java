package io.tritonwatch.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written json-file reader against jackson-core: for random entries (any text,
 * escapes, surrogate pairs, control bytes, fields in any order, attributes, spaces) and for the
 * lines of every real log of the corpus written as the engine writes them, what the reader
 * hands on (stream, stamp, text) is what Jackson reads from the same bytes.
 */
class JsonFileEntriesDifferentialTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Read(int stream, long stamp, String text) {}

  /** What the reader makes of these entries (one line each): stream, stamp, the text after the stamp. */
  private static List<Read> reader(byte[] file, int chunk) {
    List<Read> out = new ArrayList<>();
    JsonFileEntries e = new JsonFileEntries(1 << 20, (stream, stamp, line, n, control) ->
        out.add(new Read(stream, stamp, new String(line, 0, n, StandardCharsets.UTF_8))));
    for (int i = 0; i < file.length; i += chunk) {
      e.feed(file, i, Math.min(chunk, file.length - i));
    }
    e.finish();
    assertEquals(0, e.malformed(), "entries the reader did not understand");
    return out;
  }

  /** What Jackson reads from the same entries. */
  private static List<Read> jackson(byte[] file) throws Exception {
    List<Read> out = new ArrayList<>();
    for (String entry : new String(file, StandardCharsets.UTF_8).split("\n")) {
      JsonNode n = JSON.readTree(entry);
      String log = n.get("log").asText();
      String text = log.endsWith("\n") ? log.substring(0, log.length() - 1) : log;
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1); // the reader drops a CR before the newline, as docker logs does
      }
      Instant t = Instant.parse(n.get("time").asText());
      out.add(new Read("stderr".equals(n.path("stream").asText()) ? RawLogStream.STDERR : RawLogStream.STDOUT,
          t.getEpochSecond() * 1_000_000_000L + t.getNano(), text));
    }
    return out;
  }

  /** Go's encoding/json, as the engine writes an entry: <, > and & as \\u escapes, other text raw. */
  private static String goString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '<', '>', '&' -> b.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String engineEntry(String log, boolean stderr, String time) {
    return "{\"log\":" + goString(log) + ",\"stream\":\"" + (stderr ? "stderr" : "stdout") + "\",\"time\":\"" + time + "\"}";
  }

  private static String randomText(Random r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(120);
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(12);
      switch (kind) {
        case 0 -> b.append('"');
        case 1 -> b.append('\\');
        case 2 -> b.append((char) (1 + r.nextInt(0x1f))); // control bytes, tab and CR among them
        case 3 -> b.appendCodePoint(0x1F600 + r.nextInt(80)); // a surrogate pair in UTF-16
        case 4 -> b.append((char) (0x80 + r.nextInt(0x700))); // two-byte UTF-8
        case 5 -> b.append((char) (0x800 + r.nextInt(0x7000))); // three-byte UTF-8
        case 6 -> b.append("<&>/");
        default -> b.append((char) (0x20 + r.nextInt(0x5f)));
      }
    }
    return b.toString();
  }

  private static String randomTime(Random r) {
    long sec = 1_700_000_000L + r.nextInt(100_000_000);
    String frac = Long.toString(r.nextInt(1_000_000_000));
    frac = "0".repeat(9 - frac.length()) + frac;
    frac = frac.substring(0, 1 + r.nextInt(9)); // the engine trims trailing digits: any length
    return Instant.ofEpochSecond(sec).toString().replace("Z", "") + "." + frac + "Z";
  }

  /** One entry in another shape: fields reordered, attributes, spaces, Jackson's own escaping. */
  private static String otherShape(String log, boolean stderr, String time, Random r) throws Exception {
    ObjectNode n = JSON.createObjectNode();
    List<Runnable> fields = new ArrayList<>(List.of(
        () -> n.put("log", log),
        () -> n.put("stream", stderr ? "stderr" : "stdout"),
        () -> n.put("time", time),
        () -> n.putObject("attrs").put("tag", "triton").put("n", "{\"}"),
        () -> n.put("partial", r.nextBoolean())));
    java.util.Collections.shuffle(fields, r);
    fields.forEach(Runnable::run);
    String s = JSON.writeValueAsString(n);
    return r.nextBoolean() ? s.replace(",\"", ", \"").replace("\":", "\" : ") : s;
  }

  @Test
  void randomEntriesReadAsJacksonReadsThem() throws Exception {
    Random r = new Random(20261205);
    for (int round = 0; round < 20; round++) {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      for (int i = 0; i < 500; i++) {
        String log = randomText(r).replace("\n", "") + "\n";
        boolean stderr = r.nextBoolean();
        String time = randomTime(r);
        String entry = r.nextInt(4) == 0 ? otherShape(log, stderr, time, r) : engineEntry(log, stderr, time);
        file.writeBytes((entry + "\n").getBytes(StandardCharsets.UTF_8));
      }
      byte[] bytes = file.toByteArray();
      List<Read> expected = jackson(bytes);
      for (int chunk : new int[] {bytes.length, 4096, 7, 1}) {
        assertEquals(expected, reader(bytes, chunk), "round " + round + ", read " + chunk + " bytes at a time");
      }
    }
  }

  @Test
  void everyLineOfTheRealLogsReadsAsJacksonReadsIt() throws Exception {
    Random r = new Random(7);
    int lines = 0;
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(Path.of("src/test/resources/logs"), "*.log")) {
      for (Path log : logs) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (String line : new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n")) {
          String entry = engineEntry(line.replace("\r", "") + "\n", r.nextBoolean(), randomTime(r));
          file.writeBytes((entry + "\n").getBytes(StandardCharsets.UTF_8));
          lines++;
        }
        byte[] bytes = file.toByteArray();
        assertEquals(jackson(bytes), reader(bytes, 65536), log.getFileName().toString());
      }
    }
    assertEquals(true, lines > 4_000, "the corpus read: " + lines + " lines");
  }
}
