package io.tritonwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The summary's JSON is written by hand; it must read the same, byte for byte, as Jackson's. */
class JsonWriterTest {

  private static final ObjectMapper JACKSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static Map<String, Object> sample() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("weightsGiB", 2.3185);
    inner.put("gpuBlocks", 22251L);
    inner.put("port", 8001);
    inner.put("tiny", 1.0E-7);
    inner.put("huge", 1.5E20);
    inner.put("whole", 16.0);
    inner.put("negative", -0.25);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", "quote \" backslash \\ newline \n tab \t cr \r bell \u0007 nul \u0000 esc \u001b");
    m.put("unicode", "ключ ✓ 😀 and / slash");
    m.put("nothing", null);
    m.put("yes", true);
    m.put("no", false);
    m.put("emptyMap", Map.of());
    m.put("emptyList", List.of());
    m.put("figures", inner);
    m.put("list", Arrays.asList(1, "two", null, List.of(3, 4), inner, List.of()));
    m.put("models", List.of(inner, Map.of("name", "m")));
    return m;
  }

  @Test
  void sameTextAsJackson() throws Exception {
    Map<String, Object> tree = sample();
    assertEquals(JACKSON.writeValueAsString(tree), SummaryJson.write(tree));
  }

  @Test
  void streamedLargeTreeSameAsJackson() throws Exception {
    // Larger than the chunk the writer hands on at a time, with random text in every field.
    Random r = new Random(7);
    List<Object> runs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Map<String, Object> run = new LinkedHashMap<>(sample());
      StringBuilder s = new StringBuilder();
      for (int k = 0; k < 20; k++) {
        s.append((char) r.nextInt(0x3000));
      }
      run.put("random", s.toString().replaceAll("[\\uD800-\\uDFFF]", "?"));
      run.put("n", r.nextDouble() * 1000);
      runs.add(run);
    }
    Map<String, Object> tree = Map.of("runs", runs);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SummaryJson.write(tree, out);
    String got = out.toString(StandardCharsets.UTF_8);
    assertEquals(JACKSON.writeValueAsString(tree), got);
  }

  @Test
  void notANumberBecomesAString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", Double.NaN);
    m.put("b", Double.POSITIVE_INFINITY);
    assertEquals("{\n  \"a\" : \"NaN\",\n  \"b\" : \"Infinity\"\n}", SummaryJson.write(m));
  }
}
