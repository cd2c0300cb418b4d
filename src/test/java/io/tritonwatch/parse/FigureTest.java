package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The figure catalogue is complete: every figure a summary shows is one constant, named once. */
class FigureTest {

  @Test
  void everyFigureOfEveryGoldenSummaryIsACatalogueConstant() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Set<String> seen = new HashSet<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("src/test/resources/expected"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertTrue(files.size() > 40, "golden summaries found: " + files.size());
    for (Path f : files) {
      JsonNode root = json.readTree(f.toFile());
      collect(root.get("figures"), seen);
      root.get("models").forEach(m -> collect(m.get("figures"), seen));
      for (JsonNode run : root.get("runs")) {
        collect(run.get("figures"), seen);
        run.get("models").forEach(m -> collect(m.get("figures"), seen));
      }
    }
    for (String name : seen) {
      assertNotNull(Figure.of(name), "figure '" + name + "' is not in the Figure catalogue");
    }
    assertTrue(seen.size() > 30, "figures seen in the corpus: " + seen);
  }

  @Test
  void namesAndMetersAreUniqueAndWellFormed() {
    Set<String> json = new HashSet<>();
    Set<String> meters = new HashSet<>();
    for (Figure f : Figure.values()) {
      assertTrue(json.add(f.json), "JSON name used twice: " + f.json);
      assertEquals(f, Figure.of(f.json));
      if (f.metric != null) {
        assertTrue(f.metric.matches("tritonwatch(\\.[a-z]+)+"), f.metric);
        assertTrue(f.unit != Figure.Unit.TEXT, "a text figure cannot be a meter: " + f);
        // Two figures may share a meter only as two units of one quantity (kvCacheGiB, kvCacheBytes).
        if (!meters.add(f.metric)) {
          assertEquals("bytes", f.unit.baseUnit, "meter shared by different quantities: " + f.metric);
        }
      }
    }
  }

  private static void collect(JsonNode figures, Set<String> into) {
    if (figures == null) {
      return;
    }
    for (Iterator<String> it = figures.fieldNames(); it.hasNext(); ) {
      into.add(it.next());
    }
  }
}
