package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tritonwatch.history.SqliteStore;
import io.tritonwatch.history.StartupRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 22 against the real engine: a store with a known history judges a replayed normal
 * start-up as normal and a slow one as slow before any fixed threshold would; the store
 * survives a SIGKILL of the daemon while it writes; a store path that cannot be used is said
 * once and the daemon goes on.
 */
class HistoryIT extends DockerScenario {

  private static final Path SEED = Path.of("src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log");

  /**
   * Replays the seed once in a container (the replay shortens its long pauses) and reads its
   * stage lengths as the daemon will, from {@code docker logs -t}: five past start-ups exactly
   * like it make the store, so the same replay again is as usual as can be.
   */
  private Path storeOfFiveReplays(Path dir, String tag) throws Exception {
    String first = "tw-hist-first-" + tag;
    containers.add(Docker.runContainer(List.of("--name", first, "-v", dir + ":/replay:ro"), "/bin/sh", "/replay/seed.sh"));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Docker.run("docker", "logs", first).out().contains("Started Metrics Service")) {
      assertTrue(System.nanoTime() < deadline, "the first replay did not finish");
      Thread.sleep(500);
    }
    Path log = dir.resolve("first.log");
    Files.writeString(log, Docker.must("docker", "logs", "-t", first) + "\n");
    Process p = new ProcessBuilder("java", "-jar", Daemon.jar(), "analyze", "--format", "json", log.toString()).start();
    JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.getInputStream());
    p.waitFor();
    Map<String, Double> stages = new LinkedHashMap<>();
    for (JsonNode st : summary.get("stages")) {
      if (!st.get("seconds").isNull() && !st.get("stage").asText().equals("ready")) {
        stages.put(st.get("stage").asText(), st.get("seconds").asDouble());
      }
    }
    Path file = dir.resolve("history.db");
    try (SqliteStore s = SqliteStore.open(file, false)) {
      for (int i = 0; i < 5; i++) {
        s.append(new StartupRecord(Docker.IMAGE, List.of("llama3_2_1b_local"), "earlier-host", "triton", "ready",
            Instant.parse("2026-11-01T10:00:00Z").plusSeconds(86_400L * i), summary.get("startupSeconds").asDouble(),
            stages, Map.of()), 20);
      }
    }
    System.out.println("history of five replays: " + stages);
    return file;
  }

  private static JsonNode container(JsonNode status, String name) {
    for (JsonNode c : status.get("containers")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    return null;
  }

  @Test
  void aKnownHistoryJudgesANormalStartUpNormalAndASlowOneSlow() throws Exception {
    Path dir = Files.createTempDirectory("tw-history");
    String tag = UUID.randomUUID().toString().substring(0, 6);
    Replay.script(dir, "seed", Replay.lines(SEED, 0, 1000), 1, "sleep 3600");
    Path store = storeOfFiveReplays(dir, tag);
    String normal = "tw-hist-normal-" + tag;
    String slow = "tw-hist-slow-" + tag;
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label, "--history-file", store.toString(),
        "--history-min-stage-seconds", "1")) {
      // The same replay again: read as usual.
      containers.add(Docker.runContainer(List.of("--name", normal, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/seed.sh"));
      // The same server stalling in model loading, with stamps of now: usual there is a few seconds.
      containers.add(Docker.runContainer(List.of("--name", slow, "--label", label), "sh", "-c",
          "printf 'I%s.000000 1 model_lifecycle.cc:473] loading: llama3_2_1b_local:1\\n' \"$(date -u '+%m%d %H:%M:%S')\";"
              + " sleep 3600"));
      String s = "{container=\"" + slow + "\"}";
      String m = d.await("the stalled start-up judged slow, then stuck", Duration.ofSeconds(90), d::metrics,
          x -> Double.valueOf(1).equals(Daemon.value(x, "tritonwatch_stage_stuck" + s)));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_stage_slow" + s));
      // The five in the store, and the replayed one once it is ready (the replay shortens its pauses).
      assertTrue(Daemon.value(m, "tritonwatch_history_startups" + s) >= 5, "learnt from the store");
      double elapsed = Daemon.value(m, "tritonwatch_stage_elapsed_seconds" + s);
      double usualP90 = Daemon.value(m, "tritonwatch_stage_expected_seconds{container=\"" + slow
          + "\",quantile=\"0.9\",stage=\"model_loading\"}");
      assertTrue(elapsed > 3 * usualP90 && elapsed < 1800, "stuck by the history (3 x " + usualP90 + " s), long before the "
          + "configured 1800 s: " + elapsed);
      assertNotNull(Daemon.value(m, "tritonwatch_startup_expected_remaining_seconds" + s));

      String n = "{container=\"" + normal + "\"}";
      JsonNode st = d.await("the normal start-up ready", Duration.ofSeconds(150), d::status,
          x -> container(x, normal) != null && container(x, normal).get("summary").get("outcome").asText().equals("ready"));
      m = d.metrics();
      assertEquals(0.0, Daemon.value(m, "tritonwatch_stage_slow" + n));
      assertEquals(0.0, Daemon.value(m, "tritonwatch_stage_stuck" + n));
      double ratio = Daemon.value(m, "tritonwatch_stage_duration_ratio{container=\"" + normal
          + "\",stage=\"weight_loading\"}");
      assertTrue(ratio > 0.8 && ratio < 1.3, "weights took their usual time: " + ratio);
      JsonNode usual = container(st, normal).get("usual");
      assertTrue(usual.get("startups").asInt() >= 5, usual.toString());
      for (JsonNode stage : usual.get("latest")) {
        assertTrue(!stage.get("slowerThanUsual").asBoolean(), "nothing slower than usual: " + usual);
      }
      // The ready start-up joins the history: six in the store (the stalled one has not finished).
      d.await("the ready start-up stored", Duration.ofSeconds(30), () -> stored(store), k -> k == 6);
    }
  }

  private static int stored(Path store) throws Exception {
    try (SqliteStore s = SqliteStore.open(store, true)) {
      return s.load().size();
    }
  }

  /**
   * A crash loop of eight runs, each stored as it ends; the daemon is SIGKILLed part-way. The
   * file is whole; the next daemon opens it, reads the still-looping container's log from its
   * start and completes the history: each start-up stored exactly once, none lost.
   */
  @Test
  void theStoreSurvivesASigkillWhileItIsWritten() throws Exception {
    Path dir = Files.createTempDirectory("tw-history-kill");
    Path store = dir.resolve("history.db");
    String name = "tw-hist-loop-" + UUID.randomUUID().toString().substring(0, 6);
    // Each run prints Triton's banner, as a real one does: a log read again later is split into its runs there.
    String script = "echo '== Triton Inference Server ==';"
        + " printf 'I%s.000000 1 model_lifecycle.cc:462] loading: m:1\\n' \"$(date -u '+%m%d %H:%M:%S')\";"
        + " printf 'E%s.000000 1 model_lifecycle.cc:630] failed to load '\\''m'\\'' version 1: Internal: boom\\n'"
        + " \"$(date -u '+%m%d %H:%M:%S')\"; echo 'error: creating server: Internal - failed to load all models';"
        + " sleep 1; exit 1";
    int before;
    Daemon first = Daemon.start("--select-images", "", "--select-labels", label, "--history-file", store.toString());
    try {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "--restart", "on-failure:7"),
          "sh", "-c", script));
      first.await("some start-ups stored", Duration.ofSeconds(120), () -> stored(store), k -> k >= 3);
      first.process.destroyForcibly(); // SIGKILL, while the loop goes on
      first.process.waitFor();
      before = stored(store);
    } finally {
      first.close();
    }
    try (SqliteStore s = SqliteStore.open(store, true)) {
      assertEquals("ok", s.integrity(), "the file is whole after the kill");
    }
    try (Daemon second = Daemon.start("--select-images", "", "--select-labels", label, "--history-file",
        store.toString())) {
      assertTrue(second.log.stream().noneMatch(l -> l.contains("cannot use")), String.join("\n", second.log));
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (!Docker.must("docker", "inspect", "-f", "{{.State.Status}}", name).equals("exited")) {
        assertTrue(System.nanoTime() < deadline, "the loop did not end");
        Thread.sleep(500);
      }
      int runs = Integer.parseInt(Docker.must("docker", "inspect", "-f", "{{.RestartCount}}", name)) + 1;
      assertEquals(8, runs);
      second.await("every start-up stored once", Duration.ofSeconds(60), () -> stored(store), k -> k == runs);
      System.out.printf("scenario history kill: %d start-ups stored when the daemon was killed, %d of %d after the "
          + "next daemon read the log, file whole%n", before, stored(store), runs);
    }
  }

  @Test
  void aStorePathThatCannotBeUsedIsSaidOnceAndTheDaemonGoesOn() throws Exception {
    Path dir = Files.createTempDirectory("tw-history-bad");
    Path file = dir.resolve("not-a-directory");
    Files.writeString(file, "x");
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label, "--history-file",
        file.resolve("history.db").toString())) {
      d.await("serving", Duration.ofSeconds(30), () -> d.get("/healthz"), r -> r.statusCode() == 200);
      assertTrue(d.metrics().contains("tritonwatch_docker_connected"));
      Thread.sleep(1000);
      assertEquals(1, d.log.stream().filter(l -> l.contains("start-up history") && l.contains("cannot use")).count(),
          String.join("\n", d.log));
    }
  }
}
