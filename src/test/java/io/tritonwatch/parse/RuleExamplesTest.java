package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.input.TextLines;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule's example lines, real lines with their source, go through the whole parser with
 * both noise screens and come out as that rule's events; an example taken from the corpus is
 * found there word for word.
 */
class RuleExamplesTest {

  private static final Path CORPUS = Path.of("src/test/resources/logs");
  private static final Pattern CORPUS_SOURCE = Pattern.compile("^corpus (\\d{3}) .* line (\\d+)$");

  @TestFactory
  List<DynamicTest> everyExampleIsReadByItsRule() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Rule rule : RuleTable.ALL) {
      for (Rule.Example ex : rule.examples()) {
        tests.add(DynamicTest.dynamicTest(rule.id() + " <- " + ex.source(), () -> check(rule, ex)));
      }
    }
    return tests;
  }

  private static void check(Rule rule, Rule.Example ex) throws Exception {
    ParsedLine screened = LineParser.parse(1, ex.line());
    ParsedLine unscreened = LineParser.parse(1, ex.line(), false);
    assertFalse(screened.events().isEmpty(), "no event from " + ex.line());
    assertEquals(unscreened.events(), screened.events(), "the String screen hides the line");
    byte[] b = ex.line().getBytes(StandardCharsets.UTF_8);
    assertFalse(ByteScreen.noise(b, 0, b.length), "the byte screen hides the line");
    assertSame(rule, RuleTable.matching(screened.message(), screened.severity()),
        "another rule reads the line first: " + ex.line());
    Matcher m = CORPUS_SOURCE.matcher(ex.source());
    if (m.matches()) {
      List<String> lines = corpusLines(m.group(1));
      int n = Integer.parseInt(m.group(2));
      assertEquals(ex.line(), lines.get(n - 1), "the example is line " + n + " of corpus " + m.group(1));
    }
  }

  @Test
  void aRuleTheScreenWouldHideIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Rule.rule("hidden", "vllm").contains("anything").example("x", "y").emits((out, m, msg, src) -> { }));
    assertTrue(e.getMessage().contains("noise screen would hide"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Rule.rule("unproven", "vllm").startsWith("x").emits((out, m, msg, src) -> { }));
    // Limited to warnings and errors it needs no prefix: the screen passes those whole.
    assertNotNull(Rule.rule("errors-only", "vllm").notAtInfo().contains("x").example("x", "y")
        .emits((out, m, msg, src) -> { }));
  }

  @Test
  void theScreensKnowEveryInfoLevelPrefix() {
    for (Rule r : RuleTable.ALL) {
      if (r.atInfo()) {
        for (String p : r.prefixes()) {
          assertTrue(NoiseScreen.mayMatter(p, 0), "the screen hides prefix '" + p + "' of rule " + r.id());
        }
      }
    }
  }

  /**
   * Information, not a verdict: which rules no corpus line reaches (written to
   * target/rule-coverage.txt). Such a rule must then be proven by an example from outside the
   * corpus, with its source.
   */
  @Test
  void rulesNoCorpusLineReachesAreProvenByOutsideExamples() throws Exception {
    Map<String, Integer> hits = new HashMap<>();
    List<Path> logs;
    try (Stream<Path> s = Files.list(CORPUS)) {
      logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    for (Path log : logs) {
      for (String line : read(log)) {
        ParsedLine p = LineParser.parse(1, line);
        Rule r = RuleTable.matching(p.message(), p.severity());
        if (r != null) {
          hits.merge(r.id(), 1, Integer::sum);
        }
      }
    }
    Set<String> unreached = new LinkedHashSet<>();
    StringBuilder report = new StringBuilder("rule\tcorpus lines\n");
    for (Rule r : RuleTable.ALL) {
      int n = hits.getOrDefault(r.id(), 0);
      report.append(r.id()).append('\t').append(n).append('\n');
      if (n == 0) {
        unreached.add(r.id());
        assertTrue(r.examples().stream().noneMatch(e -> e.source().startsWith("corpus ")),
            r.id() + " cites a corpus line, yet no corpus line reaches it");
      }
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/rule-coverage.txt"), report);
    System.out.println("rules no corpus line reaches (" + unreached.size() + " of " + RuleTable.ALL.size() + "): "
        + unreached);
  }

  private static final Map<String, List<String>> CACHE = new HashMap<>();

  private static List<String> corpusLines(String number) throws Exception {
    if (!CACHE.containsKey(number)) {
      Path log;
      try (Stream<Path> s = Files.list(CORPUS)) {
        log = s.filter(p -> p.getFileName().toString().startsWith(number + "-") && p.toString().endsWith(".log"))
            .findFirst().orElseThrow();
      }
      CACHE.put(number, read(log));
    }
    return CACHE.get(number);
  }

  private static List<String> read(Path log) throws Exception {
    List<String> lines = new ArrayList<>();
    try (InputStream in = Files.newInputStream(log)) {
      TextLines.read(in, TextLines.DEFAULT_MAX_CHARS, lines::add);
    }
    return lines;
  }
}
