package io.tritonwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tritonwatch.parse.Figure;
import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.watch.ContainerRegistry;
import io.tritonwatch.watch.WatchedContainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/json.md is the contract of {@code analyze --format json} and {@code /status}: every
 * field an output has is in it, every field it lists is in some output, and its figure table
 * is the figure catalogue with each figure's unit.
 */
class JsonContractTest {

  private static final Path DOC = Path.of("docs/json.md");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The documented paths of one section (the summary, or /status), from the first cell of its table rows. */
  private static Set<String> documented(String section) throws Exception {
    String doc = Files.readString(DOC);
    int from = doc.indexOf(section);
    int to = doc.indexOf("\n## ", from + section.length());
    int figures = doc.indexOf("\n### Figures", from);
    if (figures > 0 && (to < 0 || figures < to)) {
      to = figures; // the figure table is read on its own
    }
    String part = doc.substring(from, to < 0 ? doc.length() : to);
    Set<String> out = new TreeSet<>();
    for (String line : part.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String cell = line.substring(2, line.indexOf(" |", 2));
      String parent = null;
      for (String item : cell.split(",\\s*")) {
        String p = item.replace("`", "").strip();
        if (p.startsWith(".") && parent != null) {
          out.add(parent + p);
        } else {
          out.add(p);
          int dot = p.lastIndexOf('.');
          parent = dot < 0 ? "" : p.substring(0, dot);
        }
      }
    }
    return out;
  }

  /** Every key path of a JSON value: lists as {@code name[]}, figure names and map keys cut off. */
  private static void paths(JsonNode v, String at, Set<String> out) {
    if (v.isArray()) {
      for (JsonNode x : v) {
        paths(x, at, out);
      }
      return;
    }
    if (!v.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = (at.isEmpty() ? "" : at + ".") + e.getKey() + (e.getValue().isArray() ? "[]" : "");
      out.add(p);
      if (e.getKey().equals("figures") || e.getKey().startsWith("logGap")
          || e.getKey().equals("stages") && e.getValue().isObject()) {
        continue; // figure names (checked against the figure table) and reasons are values, not fields
      }
      paths(e.getValue(), p, out);
    }
  }

  /** A path as the document names it: a diagnosis' fields are diagnoses[]'s, a run's and a container's summary's are the top level's. */
  private static String asDocumented(String p, Set<String> doc) {
    if (doc.contains(p)) {
      return p;
    }
    Matcher d = Pattern.compile("^.*\\.diagnosis\\.(\\w+)$").matcher(p);
    if (d.matches()) {
      return "diagnoses[]." + d.group(1);
    }
    if (p.startsWith("runs[].") && doc.contains(p.substring(0, p.indexOf('.', 7) < 0 ? p.length() : p.indexOf('.', 7)))) {
      return p.substring("runs[].".length());
    }
    return p;
  }

  private static Set<String> summaryPathsOfGoldens(Set<String> figures) throws Exception {
    Set<String> out = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("src/test/resources/expected"), "*.json")) {
      for (Path f : ds) {
        JsonNode root = JSON.readTree(f.toFile());
        paths(root, "", out);
        figureNames(root, figures);
      }
    }
    return out;
  }

  private static void figureNames(JsonNode v, Set<String> names) {
    if (v.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("figures")) {
          e.getValue().fieldNames().forEachRemaining(names::add);
        } else {
          figureNames(e.getValue(), names);
        }
      }
    } else if (v.isArray()) {
      v.forEach(x -> figureNames(x, names));
    }
  }

  @Test
  void theSummaryHasExactlyTheFieldsTheDocumentLists() throws Exception {
    Set<String> doc = documented("## The summary");
    Set<String> figures = new TreeSet<>();
    Set<String> seen = summaryPathsOfGoldens(figures);
    Set<String> undocumented = new TreeSet<>();
    Set<String> covered = new TreeSet<>();
    for (String p : seen) {
      String d = asDocumented(p, doc);
      if (doc.contains(d)) {
        covered.add(d);
        covered.add(p);
      } else {
        undocumented.add(p);
      }
    }
    assertEquals(Set.of(), undocumented, "fields of analyze --format json that docs/json.md lacks");
    Set<String> unseen = new TreeSet<>(doc);
    unseen.removeAll(covered);
    assertEquals(Set.of(), unseen, "fields docs/json.md lists that no golden output has");
    Set<String> catalogue = new TreeSet<>();
    for (Figure f : Figure.values()) {
      catalogue.add(f.json);
    }
    figures.removeAll(catalogue);
    assertEquals(Set.of(), figures, "figures in outputs that are not in the catalogue");
  }

  @Test
  void theFigureTableIsTheCatalogueWithItsUnits() throws Exception {
    String doc = Files.readString(DOC);
    Map<String, String> table = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\\n\\| `(\\w+)` \\| ([^|]+) \\| ([^|]+) \\|").matcher(doc.substring(doc.indexOf("### Figures"), doc.indexOf("\n## ", doc.indexOf("### Figures"))));
    while (m.find()) {
      table.put(m.group(1), m.group(2).strip() + " | " + m.group(3).strip());
    }
    List<String> wrong = new ArrayList<>();
    for (Figure f : Figure.values()) {
      String row = table.remove(f.json);
      String unit = switch (f.unit) {
        case GIB -> "GiB";
        case MIB -> "MiB";
        case RATIO -> "ratio";
        case FACTOR -> "factor";
        default -> f.unit.name().toLowerCase(java.util.Locale.ROOT);
      };
      if (row == null || !row.startsWith(unit)) {
        wrong.add(f.json + " (" + unit + "): " + row);
      } else if (f.metric == null != row.contains("(summary only)")) {
        wrong.add(f.json + ": exported as " + f.metric + ", the table says " + row);
      }
    }
    assertEquals(List.of(), wrong, "figures missing from the table or with another unit");
    assertEquals(Map.of(), table, "figures in the table that the catalogue lacks");
  }

  @Test
  void statusHasExactlyTheFieldsTheDocumentLists() throws Exception {
    ContainerRegistry registry = new ContainerRegistry();
    registry.connected();
    Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
    int n = 0;
    for (String log : List.of("000-seed-triton-vllm-2.59-ready.log", "001-trt-tensorrt-plan-fail-then-restarts.log")) {
      WatchedContainer c = registry.add(new WatchedContainer(new ContainerInfo("id" + n, "c" + n, "nvcr.io/nvidia/tritonserver",
          Map.of(), false, true, t0, null, 0, null), 200));
      for (String line : Files.readAllLines(Path.of("src/test/resources/logs", log), StandardCharsets.UTF_8)) {
        c.accept(line, t0);
      }
      if (n == 0) {
        c.expectation(MetricsReferenceTest.usualExpectation());
      }
      if (n++ == 1) {
        c.died(1L, t0.plusSeconds(600));
        c.logGap("rotation");
      }
    }
    JsonNode status = JSON.readTree(new StatusJson(registry).renderText());
    Set<String> seen = new TreeSet<>();
    paths(status, "", seen);
    Set<String> doc = documented("## `/status`");
    Set<String> summary = documented("## The summary");
    Set<String> undocumented = new TreeSet<>();
    Set<String> covered = new TreeSet<>();
    for (String p : seen) {
      String prefix = "containers[].summary.";
      if (p.startsWith(prefix)) {
        String s = asDocumented(p.substring(prefix.length()), summary);
        if (!summary.contains(s)) {
          undocumented.add(p);
        }
      } else if (doc.contains(p)) {
        covered.add(p);
      } else {
        undocumented.add(p);
      }
    }
    assertEquals(Set.of(), undocumented, "fields of /status that docs/json.md lacks");
    Set<String> unseen = new TreeSet<>(doc);
    unseen.removeAll(covered);
    assertEquals(Set.of(), unseen, "fields docs/json.md lists for /status that it does not have");
    assertTrue(status.get("containers").get(1).get("logGaps").has("rotation"));
  }
}
