package io.tritonwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The README's example queries are the ones promtool tests (example_queries_test.yml), word for word. */
class ExampleQueriesTest {

  private static String flat(String q) {
    return q.strip().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")");
  }

  @SuppressWarnings("unchecked")
  @Test
  void everyReadmeQueryIsTestedByPromtool() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int at = readme.indexOf("### Example queries");
    String block = readme.substring(readme.indexOf("```promql\n", at) + 10, readme.indexOf("```", readme.indexOf("```promql\n", at) + 10));
    List<String> queries = new ArrayList<>();
    StringBuilder q = new StringBuilder();
    for (String line : (block + "\n#").split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        if (q.length() > 0) {
          queries.add(flat(q.toString()));
          q.setLength(0);
        }
      } else {
        q.append(line).append('\n');
      }
    }
    assertTrue(queries.size() >= 5, "the README shows a handful of queries: " + queries);
    Map<String, Object> tests = new Yaml().load(Files.readString(Path.of("config/prometheus/tests/example_queries_test.yml")));
    List<String> tested = new ArrayList<>();
    for (Map<String, Object> t : (List<Map<String, Object>>) tests.get("tests")) {
      for (Map<String, Object> e : (List<Map<String, Object>>) t.get("promql_expr_test")) {
        tested.add(flat(String.valueOf(e.get("expr"))));
      }
    }
    List<String> untested = new ArrayList<>(queries);
    untested.removeAll(tested);
    assertEquals(List.of(), untested, "README queries no promtool case tests");
  }
}
