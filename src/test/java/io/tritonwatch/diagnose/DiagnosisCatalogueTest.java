package io.tritonwatch.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.stage.ModelState;
import io.tritonwatch.stage.ModelSummary;
import io.tritonwatch.stage.Outcome;
import io.tritonwatch.stage.RunSummary;
import io.tritonwatch.stage.StartupSummary;
import io.tritonwatch.stage.StartupTracker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every entry of the catalogue matches its real lines and not the nearest wrong ones; the
 * user documentation is the catalogue; every failing corpus log gets a diagnosis or says it has
 * none.
 */
class DiagnosisCatalogueTest {

  private static final Catalogue CATALOGUE = Catalogue.builtIn();
  private static final Diagnoser DIAGNOSER = new Diagnoser(CATALOGUE);
  private static final Path CORPUS = Path.of("src/test/resources/logs");
  private static final Pattern CORPUS_SOURCE = Pattern.compile("^corpus (\\d{3})(?: .*)?$");

  @TestFactory
  List<DynamicTest> everyEntryMatchesItsLinesAndNotTheNearestWrongOnes() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Entry e : CATALOGUE.failures) {
      String cls = e.classes().isEmpty() ? null : e.classes().iterator().next();
      for (Entry.Example ex : e.examples()) {
        tests.add(DynamicTest.dynamicTest(e.id() + " <- " + ex.source(), () -> {
          Diagnosis d = DIAGNOSER.of(ex.text(), cls, null);
          assertNotNull(d, "no diagnosis for " + ex.text());
          assertEquals(e.id(), d.id(), ex.text());
          assertFalse(d.text().contains("{"), "a placeholder left: " + d.text());
          inCorpus(ex);
        }));
      }
      for (Entry.Example ex : e.counterexamples()) {
        tests.add(DynamicTest.dynamicTest(e.id() + " !<- " + ex.source(), () -> {
          Diagnosis d = DIAGNOSER.of(ex.text(), cls, null);
          assertTrue(d == null || !d.id().equals(e.id()), e.id() + " must not match " + ex.text());
          inCorpus(ex);
        }));
      }
    }
    for (Entry e : CATALOGUE.warnings) {
      for (Entry.Example ex : e.examples()) {
        tests.add(DynamicTest.dynamicTest(e.id() + " <- " + ex.source(), () -> {
          StartupTracker t = new StartupTracker(2024);
          io.tritonwatch.Track.line(t, new LogLine(1, ex.text(), null));
          List<Diagnosis> found = DIAGNOSER.warnings(t.summary());
          assertTrue(found.stream().anyMatch(d -> d.id().equals(e.id())), ex.text() + " -> " + found);
          inCorpus(ex);
        }));
      }
    }
    for (Entry e : CATALOGUE.settings) {
      for (Entry.Example ex : e.examples()) {
        tests.add(DynamicTest.dynamicTest(e.id() + " <- " + ex.source(), () -> {
          // A setting speaks only beside a failure: its example's whole corpus log must get it.
          Matcher m = CORPUS_SOURCE.matcher(ex.source());
          assertTrue(m.matches(), "a setting's example comes from a corpus log: " + ex.source());
          Path log;
          try (Stream<Path> files = Files.list(CORPUS)) {
            log = files.filter(p -> p.getFileName().toString().startsWith(m.group(1) + "-")
                && p.toString().endsWith(".log")).findFirst().orElseThrow();
          }
          List<Diagnosis> found = DIAGNOSER.summary(read(log));
          assertTrue(found.stream().anyMatch(d -> d.id().equals(e.id())), log + " -> " + found);
          inCorpus(ex);
        }));
      }
    }
    return tests;
  }

  @Test
  void explicitModelControlIsToldBesideTheCauseAndOnlyOnAFailure() throws Exception {
    List<Diagnosis> failed = DIAGNOSER.summary(read(CORPUS.resolve("221-onnx-2410-explicit-mode-load-request-fails-twice.log")));
    assertEquals(List.of("model_config_invalid", "explicit_model_control"), failed.stream().map(Diagnosis::id).toList());
    assertTrue(failed.get(1).text().contains("densenet_onnx stays unloaded"), failed.get(1).text());
    List<Diagnosis> defaultMode = DIAGNOSER.summary(read(CORPUS.resolve("001-trt-tensorrt-plan-fail-then-restarts.log")));
    assertTrue(defaultMode.stream().noneMatch(d -> d.id().equals("explicit_model_control")), defaultMode.toString());
    // 221 up to its services, before the client's load request: explicit mode and nothing wrong.
    List<String> lines = Files.readAllLines(CORPUS.resolve("221-onnx-2410-explicit-mode-load-request-fails-twice.log"));
    StartupTracker upAndFine = new StartupTracker(2024);
    for (int i = 0; i < 23; i++) {
      io.tritonwatch.Track.line(upAndFine, new LogLine(i + 1, lines.get(i), null));
    }
    assertEquals("MODE_EXPLICIT", upAndFine.summary().figures().get("modelControlMode"));
    assertEquals(List.of(), DIAGNOSER.summary(upAndFine.summary()));
  }

  @Test
  void exitOnErrorNamesTheBadModelAndWhatWentDownWithIt() {
    // Real lines: two models loaded (triton-inference-server/server#7950), one failed (corpus 001).
    String[] lines = {
        "I0117 09:50:04.022585 4096 model_lifecycle.cc:835] successfully loaded 'postprocessing'",
        "I0117 09:50:04.888933 4096 model_lifecycle.cc:835] successfully loaded 'preprocessing'",
        "E1002 10:50:22.940048 1 model_lifecycle.cc:626] failed to load 'classnet' version 1: Internal: unable to load "
            + "plan file to auto complete config: /models/classnet/1/model.plan",
        "I1002 10:50:23.951428 1 model_lifecycle.cc:755] failed to load 'classnet'",
        "error: creating server: Internal - failed to load all models"};
    StartupTracker t = new StartupTracker(2024);
    for (int i = 0; i < lines.length; i++) {
      io.tritonwatch.Track.line(t, new LogLine(i + 1, lines[i], null));
    }
    Diagnosis d = DIAGNOSER.summary(t.summary()).stream().filter(x -> x.id().equals("exit_on_error")).findFirst()
        .orElseThrow();
    assertEquals("Triton stopped because classnet failed to load and took down the 2 models that had loaded: "
        + "--exit-on-error is true by default. The model's own failure says why.", d.text());
    assertTrue(d.fix().startsWith("Fix classnet, or start with --exit-on-error=false"), d.fix());
    Diagnosis alone = DIAGNOSER.of("error: creating server: INTERNAL - failed to load all models", "model_load_failed",
        null);
    assertEquals("Triton stopped because a model failed to load: --exit-on-error is true by default. The model's own "
        + "failure says why.", alone.text());
  }

  @Test
  void chunkedPrefillOnIsNotChunkedPrefillOff() {
    StartupTracker on = new StartupTracker(2024);
    io.tritonwatch.Track.line(on, new LogLine(1, "(APIServer pid=1) INFO 02-05 00:05:36 [scheduler.py:230] Chunked prefill is enabled with "
        + "max_num_batched_tokens=2048.", null));
    io.tritonwatch.Track.line(on, new LogLine(2, "INFO 02-05 00:05:37 [core.py:74] Initializing a V1 LLM engine (v0.10.1) with config: "
        + "model='Qwen/Qwen3-8B', enable_prefix_caching=True, enable_chunked_prefill=True, pooler_config=None", null));
    assertTrue(DIAGNOSER.warnings(on.summary()).stream().noneMatch(d -> d.id().equals("chunked_prefill_off")));
    StartupTracker off = new StartupTracker(2024);
    io.tritonwatch.Track.line(off, new LogLine(1, "INFO 02-05 00:05:37 [core.py:74] Initializing a V1 LLM engine (v0.10.1) with config: "
        + "model='Qwen/Qwen3-8B', enable_prefix_caching=True, enable_chunked_prefill=False, pooler_config=None", null));
    assertTrue(DIAGNOSER.warnings(off.summary()).stream().anyMatch(d -> d.id().equals("chunked_prefill_off")));
  }

  @Test
  void theLogsNumbersFillTheText() {
    Diagnosis d = DIAGNOSER.of("ValueError: Free memory on device (16.01/93.0 GiB) on startup is less than desired GPU "
        + "memory utilization (0.8, 74.4 GiB).", "oom", null);
    assertEquals("Another process holds 76.99 GiB of the GPU: only 16.01 of 93.0 GiB were free at start, and "
        + "gpu_memory_utilization 0.8 asks for 74.4 GiB.", d.text());
    Diagnosis kv = DIAGNOSER.of("ValueError: To serve at least one request with the models's max seq len (196608), "
        + "(11.62 GiB KV cache is needed, which is larger than the available KV cache memory (9.38 GiB). Based on the "
        + "available memory, the estimated maximum model length is 158560.", "oom", null);
    assertTrue(kv.fix().startsWith("Set max_model_len to at most 158560"), kv.fix());
  }

  /** docs/diagnoses.md is the catalogue, written for users: regenerate with -Ddiagnoses.update=true. */
  @Test
  void theUserDocumentIsTheCatalogue() throws Exception {
    Path doc = Path.of("docs/diagnoses.md");
    String want = DiagnosesDoc.render(CATALOGUE);
    if (Boolean.getBoolean("diagnoses.update")) {
      Files.createDirectories(doc.getParent());
      Files.writeString(doc, want, StandardCharsets.UTF_8);
    }
    assertEquals(want, Files.readString(doc, StandardCharsets.UTF_8),
        "docs/diagnoses.md differs from diagnoses.yml: regenerate it with -Ddiagnoses.update=true");
  }

  /**
   * Every failing corpus log, diagnosed: each failed model and each failed start-up's first
   * error get a diagnosis or an honest none. The table (entry: logs) goes to
   * target/diagnoses-corpus.txt.
   */
  @Test
  void everyFailingCorpusLogIsDiagnosedOrSaysItIsNot() throws Exception {
    Map<String, List<String>> byEntry = new TreeMap<>();
    Map<String, String> perLog = new LinkedHashMap<>();
    List<Path> logs;
    try (Stream<Path> s = Files.list(CORPUS)) {
      logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    int failing = 0;
    for (Path log : logs) {
      StartupSummary s = read(log);
      boolean failed = s.outcome() == Outcome.FAILED || !s.rememberedFailures().isEmpty();
      for (RunSummary r : s.runs()) {
        failed |= r.outcome() == Outcome.FAILED;
        for (ModelSummary m : r.models()) {
          failed |= m.state() == ModelState.FAILED || m.currentState() == ModelState.FAILED;
        }
      }
      List<String> warningIds = CATALOGUE.warnings.stream().map(Entry::id).toList();
      List<String> ids = DIAGNOSER.summary(s).stream().map(Diagnosis::id).filter(id -> !warningIds.contains(id))
          .toList();
      if (failed && ids.isEmpty()) {
        // The start-ups that failed were cured since, so the summary names nothing: each failed
        // start-up's own first diagnosable model or error.
        List<String> earlier = new ArrayList<>();
        for (RunSummary r : s.runs()) {
          if (r.outcome() != Outcome.FAILED && r.models().stream().noneMatch(m -> m.state() == ModelState.FAILED)) {
            continue;
          }
          Diagnosis d = null;
          for (ModelSummary m : r.models()) {
            d = d != null || m.state() != ModelState.FAILED ? d : DIAGNOSER.of(m.reason(), m.errorClass(), null);
          }
          for (int i = 0; d == null && i < r.errors().size(); i++) {
            d = DIAGNOSER.of(r.errors().get(i).text(), r.errors().get(i).kind(), null);
          }
          earlier.add(d == null ? Diagnosis.NONE.id() : d.id());
        }
        ids = earlier;
      }
      if (!failed) {
        continue;
      }
      failing++;
      List<String> distinct = ids.stream().distinct().toList();
      String name = log.getFileName().toString();
      perLog.put(name, String.join(", ", distinct));
      distinct.forEach(id -> byEntry.computeIfAbsent(id, k -> new ArrayList<>()).add(name.substring(0, 3)));
    }
    StringBuilder table = new StringBuilder("entry\tlogs\twhich\n");
    byEntry.forEach((id, which) -> table.append(id).append('\t').append(which.size()).append('\t')
        .append(String.join(" ", which)).append('\n'));
    table.append('\n');
    perLog.forEach((log, ids) -> table.append(log).append('\t').append(ids).append('\n'));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/diagnoses-corpus.txt"), table);
    System.out.println(table);
    assertTrue(failing >= 20, "failing corpus logs: " + failing);
    assertEquals(failing, perLog.size());
    for (String id : byEntry.keySet()) {
      assertTrue(id.equals("none") || CATALOGUE.ids().contains(id), id);
    }
    assertNotEquals(List.of("none"), List.copyOf(byEntry.keySet()), "some failures are known");
  }

  private static StartupSummary read(Path log) throws Exception {
    StartupTracker t = new StartupTracker(2024);
    long[] n = {0};
    try (InputStream in = Files.newInputStream(log)) {
      TextLines.read(in, TextLines.DEFAULT_MAX_CHARS, line -> io.tritonwatch.Track.line(t, new LogLine(++n[0], line, null)));
    }
    return t.summary();
  }

  /** An example said to come from the corpus is found in that log. */
  private static void inCorpus(Entry.Example ex) throws Exception {
    Matcher m = CORPUS_SOURCE.matcher(ex.source());
    if (!m.matches()) {
      return;
    }
    Path log;
    try (Stream<Path> s = Files.list(CORPUS)) {
      log = s.filter(p -> p.getFileName().toString().startsWith(m.group(1) + "-") && p.toString().endsWith(".log"))
          .findFirst().orElseThrow();
    }
    StringBuilder all = new StringBuilder();
    try (InputStream in = Files.newInputStream(log)) {
      TextLines.read(in, TextLines.DEFAULT_MAX_CHARS, line -> all.append(line).append('\n'));
    }
    String text = all.toString().replace("\\\"", "\"");
    String probe = ex.text().length() > 60 ? ex.text().substring(0, 60) : ex.text();
    assertTrue(text.contains(probe), "not in corpus " + m.group(1) + ": " + ex.text());
  }
}
