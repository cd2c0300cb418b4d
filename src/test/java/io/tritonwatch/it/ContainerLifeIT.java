package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Failing start-ups, exits and restarts of real containers. */
class ContainerLifeIT extends DockerScenario {

  private static final Path RESTARTS = Path.of("src/test/resources/logs/001-trt-tensorrt-plan-fail-then-restarts.log");
  private static final Path VLLM_ENGINE_FAILS = Path.of(
      "src/test/resources/logs/201-vllm-standalone-0.10.2-free-memory-below-utilization-failed.log");

  private static String shortName(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void failedLoadThenExitOneIsFailedWithReasonAndExitCode(String reader) throws Exception {
    long t0 = System.nanoTime();
    Path dir = Files.createTempDirectory("tw-replay");
    // The first start-up of 001: classnet v1 fails to load, Triton says "error: creating server" and exits 1.
    List<String> lines = Replay.lines(RESTARTS, 0, 95);
    Replay.script(dir, "fail", lines, 20, "exit 1");
    String name = shortName("tw-fail-");
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label))) {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/fail.sh"));
      String c = "container=\"" + name + "\"";
      // The exit event may come before the last lines are read; wait for both. A scrape
      // registers series from the summary of its start and reads counters live, so the
      // failure's series may come one scrape after the last line's count: wait for it too.
      String m = d.await("exit recorded and log read", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_container_exit_code{" + c + "}"))
              && Double.valueOf(95).equals(Daemon.value(x, "tritonwatch_container_log_lines_total{" + c + "}"))
              && x.contains("tritonwatch_model_failure_info{"));
      assertEquals(0.0, Daemon.value(m, "tritonwatch_server_ready{" + c + "}"));
      assertEquals(0.0, Daemon.value(m, "tritonwatch_container_running{" + c + "}"));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_startup_outcome{" + c + ",outcome=\"failed\"}"));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_model_load_failures_total{" + c + ",model=\"classnet\",version=\"1\"}"));
      assertTrue(m.contains("tritonwatch_model_failure_info{class=\"model_load_failed\"," + c
          + ",diagnosis=\"tensorrt_plan_unreadable\",model=\"classnet\",reason=\"Internal: unable to load plan file to auto complete config: "
          + "/models/classnet/1/model.plan\",version=\"1\"} 1"), m);
      assertFalse(m.lines().anyMatch(l -> l.startsWith("tritonwatch_model_failure_info{") && l.contains(c)
          && l.contains("version=\"2\"")), "version 2 was unloaded, not failed");
      assertReadBy(reader, d.status());
      JsonNode status = d.status().get("containers").get(0);
      assertEquals(1, status.get("exitCode").asInt());
      assertEquals("failed", status.get("summary").get("outcome").asText());
      assertEquals(1, status.get("summary").get("runs").size(), "the exit is no start-up of its own");
      JsonNode model = status.get("summary").get("models").get(0);
      assertEquals("FAILED", model.get("state").asText());
      assertEquals("Internal: unable to load plan file to auto complete config: /models/classnet/1/model.plan",
          model.get("reason").asText());
    }
    System.out.printf("scenario failing start-up: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void restartedTwiceCountsTwoAndShowsTheLatestStartUp(String reader) throws Exception {
    long t0 = System.nanoTime();
    Path dir = Files.createTempDirectory("tw-replay");
    // Each start prints one complete start-up of 001 (its second, READY) and stays up.
    Replay.script(dir, "ready", Replay.lines(RESTARTS, 95, 181), 50, "sleep 3600");
    String name = shortName("tw-restart-");
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label))) {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/ready.sh"));
      String c = "{container=\"" + name + "\"}";
      d.await("first start-up ready", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_server_ready" + c)));
      for (int i = 1; i <= 2; i++) {
        Docker.must("docker", "restart", "-t", "1", name);
        int restarts = i;
        d.await("restart " + i + " counted and ready", Duration.ofSeconds(60), d::metrics,
            x -> Double.valueOf(restarts).equals(Daemon.value(x, "tritonwatch_container_restarts_total" + c))
                && Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_server_ready" + c)));
      }
      assertReadBy(reader, d.status());
      JsonNode status = d.status().get("containers").get(0);
      assertEquals(2, status.get("restarts").asInt());
      JsonNode summary = status.get("summary");
      assertEquals("ready", summary.get("outcome").asText());
      assertEquals(3, summary.get("runs").size(), "three start-ups seen: " + summary.get("runs"));
      assertEquals("READY", summary.get("models").get(0).get("state").asText());
      // The latest start-up begins after the second restart, not with the first run's lines.
      assertTrue(summary.get("linesRead").asLong() >= 3 * 80, "all three start-ups read");
    }
    System.out.printf("scenario restarted twice: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void vllmEngineFailureNamesTheModelAndItsRootCause(String reader) throws Exception {
    long t0 = System.nanoTime();
    Path dir = Files.createTempDirectory("tw-replay");
    // A vLLM V1 server whose engine dies at start: "EngineCore failed to start", a 25-line
    // ERROR traceback, the raw reprint and the API server's generic RuntimeError; then exit 1.
    // The file's last line (NUL bytes from a truncation hours later) is not part of the run.
    List<String> lines = Replay.lines(VLLM_ENGINE_FAILS, 0, 137);
    Replay.script(dir, "vllm", lines, 20, "exit 1");
    String name = shortName("tw-vllm-fail-");
    String reason = "ValueError: Free memory on device (16.01/93.0 GiB) on startup is less than desired GPU memory "
        + "utilization (0.8, 74.4 GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.";
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label))) {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/vllm.sh"));
      String c = "container=\"" + name + "\"";
      String m = d.await("exit recorded and log read", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_container_exit_code{" + c + "}"))
              && Double.valueOf(137).equals(Daemon.value(x, "tritonwatch_container_log_lines_total{" + c + "}"))
              && x.contains("tritonwatch_model_failure_info{"));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_startup_outcome{" + c + ",outcome=\"failed\"}"));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_model_load_failures_total{" + c + ",model=\"Qwen/Qwen3-14B\",version=\"\"}"),
          m);
      assertTrue(m.contains("tritonwatch_model_failure_info{class=\"oom\"," + c
          + ",diagnosis=\"gpu_memory_held_by_another_process\",model=\"Qwen/Qwen3-14B\",reason=\""
          + reason + "\",version=\"\"} 1"), m);
      assertEquals(1.0, Daemon.value(m, "tritonwatch_errors_total{class=\"oom\"," + c + "}"),
          "one error for the whole traceback");
      assertFalse(m.contains("tritonwatch_errors_total{class=\"other\"," + c + "}"),
          "no traceback line counted as an error of its own: " + m);
      assertReadBy(reader, d.status());
      JsonNode summary = d.status().get("containers").get(0).get("summary");
      assertEquals("failed", summary.get("outcome").asText());
      assertEquals(1, summary.get("errors").size(), summary.get("errors").toString());
      JsonNode model = summary.get("models").get(0);
      assertEquals("Qwen/Qwen3-14B", model.get("name").asText());
      assertEquals("FAILED", model.get("state").asText());
      assertEquals("oom", model.get("errorClass").asText());
      assertEquals(reason, model.get("reason").asText());
      JsonNode expected = Summaries.analyze(lines);
      assertEquals(Summaries.withoutTime(expected).toPrettyString(), Summaries.withoutTime(summary).toPrettyString(),
          "the live reading equals analyze");
    }
    System.out.printf("scenario vLLM engine failure: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static boolean at(Double value, double least) {
    return value != null && value >= least;
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void aCrashLoopKeepsTheFailureAcrossRestarts(String reader) throws Exception {
    long t0 = System.nanoTime();
    Path dir = Files.createTempDirectory("tw-replay");
    // 001's first start-up: classnet v1 fails to load and Triton exits 1; Docker restarts it twice.
    // Each run keeps 001's own pace (about 2 s): a run over before its follower attaches can be
    // lost on a busy machine (the short-lived-runs defect), and this scenario is about memory.
    Replay.script(dir, "fail", Replay.lines(RESTARTS, 0, 95), 1, "exit 1");
    String name = shortName("tw-loop-");
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label))) {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "--restart", "on-failure:2",
          "-v", dir + ":/replay:ro"), "/bin/sh", "/replay/fail.sh"));
      String c = "container=\"" + name + "\"";
      // Docker gives up after the second restart; at least two of the three runs must be read.
      String m = d.await("restarted, failing each time, and given up", Duration.ofSeconds(90), d::metrics,
          x -> at(Daemon.value(x, "tritonwatch_model_load_failures_total{" + c + ",model=\"classnet\",version=\"1\"}"), 2)
              && at(Daemon.value(x, "tritonwatch_container_restarts_total{" + c + "}"), 2)
              && Double.valueOf(0.0).equals(Daemon.value(x, "tritonwatch_container_running{" + c + "}"))
              && Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_startup_outcome{" + c + ",outcome=\"failed\"}")));
      assertTrue(m.contains("tritonwatch_model_last_failure_info{class=\"model_load_failed\"," + c
          + ",diagnosis=\"tensorrt_plan_unreadable\",model=\"classnet\",reason=\"Internal: unable to load plan file to auto complete config: "
          + "/models/classnet/1/model.plan\",version=\"1\"} 1"), m);
      assertEquals(1.0, Daemon.value(m, "tritonwatch_container_last_exit_code{" + c + "}"));
      JsonNode status = d.status().get("containers").get(0);
      assertEquals(1, status.get("lastExitCode").asInt());
      JsonNode summary = status.get("summary");
      int runs = summary.get("runs").size();
      assertTrue(runs >= 2, summary.get("runs").toString());
      JsonNode remembered = summary.get("rememberedFailures");
      assertEquals(1, remembered.size(), remembered.toString());
      assertEquals("classnet", remembered.get(0).get("model").asText());
      assertEquals(runs, remembered.get(0).get("startup").asInt(), "the latest failing start-up");
      int failed = 0;
      for (JsonNode run : summary.get("runs")) {
        if (run.get("outcome").asText().equals("failed")) {
          failed++;
          assertTrue(run.get("errors").size() >= 1, "each start-up keeps its errors: " + run);
        }
      }
      assertTrue(failed >= 2, "at least two start-ups failed: " + summary.get("runs"));
    }
    System.out.printf("scenario crash loop: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
