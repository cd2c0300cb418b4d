package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tritonwatch.text.Rfc3339;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A live reader takes the engine's stamp off a line and hands it on as a value; a saved
 * {@code docker logs -t} file keeps it in the text. Both must read the same: on every corpus
 * line, under the engine's nine-digit stamp and under a shorter one, the parsed line is equal.
 */
class StampValueTest {

  private static final DateTimeFormatter NINE_DIGITS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void aStampAsAValueReadsAsTheStampInTheText() throws IOException {
    Instant t = Instant.parse("2026-11-26T10:00:00.123456789Z");
    int lines = 0;
    try (Stream<Path> logs = Files.list(Path.of("src/test/resources/logs"))) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<String> text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < text.size(); i++) {
          String line = text.get(i);
          t = t.plusMillis(7).plusNanos(i % 3 == 0 ? 0 : 123_000);
          long nanos = Rfc3339.nanos(t);
          for (String stamp : new String[] {NINE_DIGITS.format(t), t.toString()}) {
            ParsedLine inText = LineParser.parse(i + 1, stamp + " " + line);
            assertEquals(inText, LineParser.parse(i + 1, line, nanos), () -> log.getFileName() + ": " + line);
          }
          lines++;
        }
      }
    }
    assertEquals(true, lines > 4000, "the corpus is read: " + lines + " lines");
  }

  @Test
  void noStampIsThePlainReading() {
    String line = "I1126 10:00:01.000000 1 model_lifecycle.cc:473] \"loading: classnet:1\"";
    assertEquals(LineParser.parse(3, line), LineParser.parse(3, line, Rfc3339.NONE));
  }
}
