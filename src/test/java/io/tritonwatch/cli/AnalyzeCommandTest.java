package io.tritonwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyze command end to end through {@link Main#run}: output, exit codes, usage errors. */
class AnalyzeCommandTest {

  private static final Path LOGS = Path.of("src/test/resources/logs");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(InputStream in, String... args) {
    return Main.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private int run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  /** analyze --history compares the log's start-up with the same models' ready start-ups in a daemon's store. */
  @Test
  void aStartUpIsComparedWithTheHistoryOfItsServer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path db = dir.resolve("history.db");
    try (io.tritonwatch.history.SqliteStore s = io.tritonwatch.history.SqliteStore.open(db, false)) {
      for (int i = 0; i < 4; i++) {
        s.append(new io.tritonwatch.history.StartupRecord("nvcr.io/nvidia/tritonserver:25.06-vllm-python-py3",
            java.util.List.of("llama3_2_1b_local"), "gpu-1", "triton", "ready",
            java.time.Instant.parse("2026-11-01T00:00:00Z").plusSeconds(3600L * i), 30.0,
            java.util.Map.of("weight_loading", 5.0 + i, "graph_capture", 9.0), java.util.Map.of()), 20);
      }
      s.append(new io.tritonwatch.history.StartupRecord("other", java.util.List.of("other_model"), "gpu-1", "x",
          "ready", java.time.Instant.parse("2026-11-01T00:00:00Z"), 1.0, java.util.Map.of("weight_loading", 1.0),
          java.util.Map.of()), 20);
    }
    String seed = LOGS.resolve("000-seed-triton-vllm-2.59-ready.log").toString();
    assertEquals(0, run("analyze", "--history", db.toString(), seed));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Compared with 4 ready start-ups of nvcr.io/nvidia/tritonserver:25.06-vllm-python-py3"
        + "|llama3_2_1b_local in " + db), text);
    assertTrue(text.matches("(?s).*weight_loading +19\\.4 s +usual +6\\.0 s \\(90%: 8\\.0 s\\) +3\\.23x.*"), text);
    assertTrue(text.matches("(?s).*graph_capture +9\\.4 s +usual +9\\.0 s.*1\\.04x.*"), text);
    out.reset();
    assertEquals(0, run("analyze", "--format", "json", "--history", db.toString(), seed));
    JsonNode usual = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("usual");
    assertEquals(4, usual.get("startups").asInt());
    assertEquals(6.0, usual.get("stages").get("weight_loading").get("median").asDouble());
    assertEquals("weight_loading", usual.get("latest").get(0).get("stage").asText(), usual.toString());
    assertEquals(3.23, usual.get("latest").get(0).get("ratio").asDouble());
    out.reset();
    assertEquals(0, run("analyze", "--format", "html", "--history", db.toString(), seed));
    String html = out.toString(StandardCharsets.UTF_8);
    assertTrue(html.contains("Usually ready after <b>30.0 s</b> (90%: 30.0 s), from 4 ready start-ups of this server."),
        html);
    assertTrue(html.contains("<td>weight_loading</td><td>19.4 s</td><td>6.0 s</td><td>8.0 s</td><td>3.23x</td>"), html);
    assertEquals(66, run("analyze", "--history", dir.resolve("none.db").toString(), seed));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--history"), err.toString(StandardCharsets.UTF_8));
  }

  /** A restarted server's log: its latest start-up is compared with its own earlier ready ones. */
  @Test
  void theLatestStartUpOfARestartedLogIsComparedWithTheEarlierOnes() throws Exception {
    run("analyze", LOGS.resolve("001-trt-tensorrt-plan-fail-then-restarts.log").toString());
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Compared with 3 earlier ready start-ups in this log (usually ready after 3.3 s):"), text);
    assertTrue(text.matches("(?s).*weight_loading +0\\.3 s +usual +0\\.4 s.*0\\.83x.*"), text);
    out.reset();
    run("analyze", LOGS.resolve("000-seed-triton-vllm-2.59-ready.log").toString());
    assertTrue(!out.toString(StandardCharsets.UTF_8).contains("Compared with"), "one start-up: nothing to compare");
  }

  @Test
  void seedReportAsJson() throws Exception {
    assertEquals(0, run("analyze", "--format", "json", LOGS.resolve("000-seed-triton-vllm-2.59-ready.log").toString()));
    JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertEquals("ready", j.get("outcome").asText());
    assertEquals("2.59.0", j.get("tritonVersion").asText());
    JsonNode f = j.get("figures");
    assertEquals(18.04, f.get("weightsLoadSeconds").asDouble());
    assertEquals(2.3185, f.get("weightsGiB").asDouble());
    assertEquals(10.86, f.get("kvCacheGiB").asDouble());
    assertEquals(9, f.get("graphCaptureSeconds").asDouble());
    assertEquals(0.16, f.get("graphCaptureGiB").asDouble());
    assertEquals(11.03, f.get("engineInitSeconds").asDouble());
    assertEquals(22251, f.get("gpuBlocks").asLong());
    assertEquals(8192, f.get("cpuBlocks").asLong());
    assertEquals(2.72, f.get("maxConcurrency").asDouble());
    assertEquals(131072, f.get("maxConcurrencyTokens").asLong());
    assertEquals(3, j.get("services").size());
    assertEquals(53.6, j.get("startupSeconds").asDouble(), 0.1);
    assertEquals("READY", j.get("models").get(0).get("state").asText());
    assertEquals("vllm", j.get("models").get(0).get("backend").asText());
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aCrashLoopReportTellsTheWholeStoryVerdictFirst() {
    // 007: glm_ocr fails three start-ups in a row; the fourth is loading it when the log ends.
    assertEquals(2, run("analyze", LOGS.resolve("007-python-stub-init-fail-compose-utf16.log").toString()));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertTrue(lines[1].startsWith("  INCOMPLETE: start-up 4 in progress, model_loading (4 start-ups, 3 failed); "
        + "glm_ocr:1 failed in start-up 3 (Internal: RuntimeError: Failed to initialize real GLM model"), lines[1]);
    assertTrue(lines[2].contains("The model's own Python code raised RuntimeError"), lines[2]);
    String text = String.join("\n", lines);
    assertTrue(text.contains("[python_model_raised]"), text);
    int startUps = text.indexOf("\nStart-ups\n");
    assertTrue(startUps > 0, text);
    for (int n = 1; n <= 3; n++) {
      assertTrue(text.indexOf("\n  " + n + " ", startUps) > 0, "start-up " + n + " listed: " + text);
    }
    assertEquals(3, text.split("FAILED     after", -1).length - 1, "three failed start-ups, each with its time");
    assertTrue(text.contains("\n  4   line 270"), text);
    assertEquals(3, text.split("> backend_init \\d+\\.\\d s > model_status 0\\.1 s > failed\n", -1).length - 1,
        "each failed start-up's own stages, ending in failed: " + text);
    assertTrue(text.contains("      stages: server_init 0.0 s > memory_pools 0.2 s > model_loading (current)\n"),
        "the fourth start-up's stages begin at its own first line, not the third's last: " + text);
    assertTrue(text.contains("cudaPoolBytes            device 0: 67108864 bytes (64 MiB)"), text);
  }

  @Test
  void aLongLogListsItsFirstAndLatestStartUpsAndCountsTheRest() throws Exception {
    byte[] one = Files.readAllBytes(LOGS.resolve("000-seed-triton-vllm-2.59-ready.log"));
    ByteArrayOutputStream thirty = new ByteArrayOutputStream();
    for (int i = 0; i < 30; i++) {
      thirty.write(one);
    }
    assertEquals(0, run(new ByteArrayInputStream(thirty.toByteArray()), "analyze", "-"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("(30 start-ups, 0 failed)"), text);
    assertTrue(text.contains("\n  5   line "), text);
    assertTrue(text.contains("\n  ... 5 start-ups not listed (--format json has them all)\n  11  line "), text);
    assertEquals(-1, text.indexOf("\n  10  line "), text);
    assertTrue(text.contains("\n  30  line "), text);
  }

  @Test
  void aCrashLoopPageListsEveryStartUpWithItsOutcome() {
    assertEquals(2, run("analyze", "--format", "html", LOGS.resolve("007-python-stub-init-fail-compose-utf16.log").toString()));
    String page = out.toString(StandardCharsets.UTF_8);
    assertEquals(4, page.split("<tr data-outcome=", -1).length - 1, "four start-ups");
    assertEquals(3, page.split("<tr data-outcome=\"failed\"", -1).length - 1, "three of them failed");
    assertTrue(page.contains("data-diagnosis=\"python_model_raised\""), "the diagnosis");
    assertEquals(4, page.split("<span class=\"mini\"", -1).length - 1, "a stage bar for every start-up");
    assertEquals(3, page.split("<span class=\"piece failed\" data-stage=\"model_status\"", -1).length - 1,
        "the stage each failed start-up ended in is red");
  }

  @Test
  void aRestartedLogDatesEachStartUpFromItsOwnFirstLine() throws Exception {
    // 001: the server failed, and was started again 41 minutes later. The second start-up's
    // banner has no time: its server_init must not begin at the first start-up's last line.
    assertEquals(0, run("analyze", "--format", "json", LOGS.resolve("001-trt-tensorrt-plan-fail-then-restarts.log").toString()));
    JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    JsonNode first = j.get("stages").get(0);
    assertEquals("server_init", first.get("stage").asText());
    assertTrue(first.get("seconds").asDouble() < 10, "server_init " + first);
    assertEquals(j.get("runs").get(j.get("runs").size() - 1).get("stages"), j.get("stages"), "the last start-up's stages are its runs[] entry's");
    JsonNode failedRun = j.get("runs").get(0).get("stages");
    assertEquals("failed", failedRun.get(failedRun.size() - 1).get("stage").asText());
  }

  @Test
  void theHtmlPageDrawsTheFailedStageRedAndTheGpuMemoryBudget() {
    assertEquals(0, run("analyze", "--format", "html", LOGS.resolve("000-seed-triton-vllm-2.59-ready.log").toString()));
    String page = out.toString(StandardCharsets.UTF_8);
    assertTrue(page.contains("aria-label=\"14.40 GiB usable of 16.00 GiB: weights 2.32 GiB + activation peak 1.18 GiB"
        + " + non-torch 0.03 GiB + KV cache 10.86 GiB = 14.39 GiB"), page);
    assertEquals(-1, page.indexOf("stage-bar failed"), "a ready start-up has no red bar");
    out.reset();
    assertEquals(1, run("analyze", "--format", "html", LOGS.resolve("053-trtllm-4rank-port-8001-user-cut-first-line.log").toString()));
    page = out.toString(StandardCharsets.UTF_8);
    assertTrue(page.contains("<span class=\"stage-bar failed\" data-stage=\"failed\""), page);
  }

  @Test
  void textReportReadsLikeTheSeed() {
    assertEquals(0, run("analyze", LOGS.resolve("000-seed-triton-vllm-2.59-ready.log").toString()));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("weight_loading"), text);
    assertTrue(text.contains("llama3_2_1b_local"), text);
    assertTrue(text.contains("kvCacheGiB               10.86 GiB"), text);
    assertTrue(text.contains("Verdict: READY after 53.6 s"), text);
  }

  @Test
  void failureExitsOneIncompleteExitsTwo() {
    assertEquals(1, run("analyze", LOGS.resolve("053-trtllm-4rank-port-8001-user-cut-first-line.log").toString()));
    assertEquals(2, run("analyze", LOGS.resolve("026-multi-gpu-cuda-pools-command-echo.log").toString()));
  }

  @Test
  void readsStandardInputIncludingUtf16() throws Exception {
    byte[] utf16 = Files.readAllBytes(LOGS.resolve("007-python-stub-init-fail-compose-utf16.log"));
    assertEquals(2, run(new ByteArrayInputStream(utf16), "analyze", "--format=json", "-"));
    JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertEquals(4, j.get("runs").size());
    assertEquals("failed", j.get("runs").get(0).get("outcome").asText());
  }

  @Test
  void usageErrorsNameTheFlag() {
    assertEquals(64, run("analyze", "--format", "yaml", "x.log"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--format"));
    err.reset();
    assertEquals(64, run("analyze", "--colour"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--colour"));
    assertEquals(64, run("frobnicate"));
    assertEquals(66, run("analyze", "/nonexistent/triton.log"));
  }

  @Test
  void inputThatCannotBeReadSaysWhy(@TempDir Path dir) throws Exception {
    assertEquals(66, run("analyze", dir.resolve("missing.log").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file: "), err.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(66, run("analyze", dir.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("is a directory"), err.toString(StandardCharsets.UTF_8));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unreadableFileSaysPermissionDenied(@TempDir Path dir) throws Exception {
    Path log = Files.writeString(dir.resolve("triton.log"), "I0101 00:00:00.000000 1 server.cc:1] x\n");
    Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("---------"));
    // root reads any file whatever its mode: there is nothing to deny then
    assumeFalse(Files.isReadable(log), "running as root");
    assertEquals(66, run("analyze", log.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("permission denied: " + log), err.toString(StandardCharsets.UTF_8));
  }

  /** Built in a git checkout, the revision is the checkout's HEAD, resolved from the refs the build copied. */
  @Test
  void theRevisionIsTheCheckoutsHead() throws Exception {
    java.nio.file.Path head = java.nio.file.Path.of(".git", "HEAD");
    if (!Files.isRegularFile(head)) {
      assertEquals("unknown", Version.revision(), "no checkout, no revision");
      return;
    }
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String id = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (git.waitFor() == 0 && id.matches("[0-9a-f]{40}")) {
      assertEquals(id.substring(0, 12), Version.revision());
    }
  }

  @Test
  void helpAndVersion() {
    assertEquals(0, run("analyze", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Exit status"));
    out.reset();
    assertEquals(0, run("--version"));
    String version = out.toString(StandardCharsets.UTF_8).strip();
    assertTrue(version.matches("tritonwatch \\S+ \\(revision ([0-9a-f]{12}|unknown), built \\S+\\)"), version);
    out.reset();
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Commands:"));
    for (String command : new String[] {"watch", "demo", "analyze", "healthcheck"}) {
      out.reset();
      assertEquals(0, run(command, "--version"), command);
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("tritonwatch "), command);
      out.reset();
      assertEquals(0, run(command, "--help"), command);
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage"), command);
    }
  }
}
