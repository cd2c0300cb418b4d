package io.tritonwatch.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tritonwatch.report.SummaryJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every real log's JSON summary against its checked-in expectation. Regenerate after an
 * intended change with {@code mvn test -Dtest=CorpusGoldenTest -Dgolden.update=true} and read
 * the diff before committing it.
 */
class CorpusGoldenTest {

  static final Path EXPECTED = Path.of("src/test/resources/expected");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TestFactory
  List<DynamicTest> everyLogMatchesItsExpectedSummary() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    List<Path> logs = CorpusLogs.all();
    assertTrue(logs.size() >= 35, "the corpus is in src/test/resources/logs");
    boolean update = Boolean.getBoolean("golden.update");
    for (Path log : logs) {
      String name = CorpusLogs.name(log);
      tests.add(DynamicTest.dynamicTest(name, () -> {
        String actual = SummaryJson.write(SummaryJson.tree(CorpusLogs.read(log))) + "\n";
        Path expected = EXPECTED.resolve(name + ".json");
        if (update) {
          Files.createDirectories(EXPECTED);
          Files.writeString(expected, actual, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(expected), "no expected file " + expected);
        JsonNode want = MAPPER.readTree(Files.readString(expected, StandardCharsets.UTF_8));
        JsonNode got = MAPPER.readTree(actual);
        assertEquals(want.toPrettyString(), got.toPrettyString(), name);
      }));
    }
    return tests;
  }
}
