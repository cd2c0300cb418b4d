package io.tritonwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.stage.Stage;
import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.watch.ContainerRegistry;
import io.tritonwatch.watch.WatchedContainer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposition of one container fed with real logs: exact values, then removal. */
class MetricsTest {

  private static final double GIB = 1024.0 * 1024 * 1024;

  private static Double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return null;
  }

  private static WatchedContainer fed(ContainerRegistry r, String id, String name, String log) throws Exception {
    WatchedContainer c = r.add(new WatchedContainer(new ContainerInfo(id, name, "nvcr.io/nvidia/tritonserver:25.06",
        Map.of(), false, true, Instant.parse("2025-07-20T14:04:26Z"), null, 0, null), 200));
    try (InputStream in = Files.newInputStream(Path.of("src/test/resources/logs", log))) {
      TextLines.read(in, 1 << 20, line -> c.accept(line, null));
    }
    return c;
  }

  private static Map<Stage, Duration> stuck(long seconds) {
    Map<Stage, Duration> m = new EnumMap<>(Stage.class);
    for (Stage s : Stage.values()) {
      if (!s.terminal()) {
        m.put(s, Duration.ofSeconds(seconds));
      }
    }
    return m;
  }

  @Test
  void seedContainerSeries() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    Metrics metrics = new Metrics(r, stuck(600), Clock.fixed(Instant.parse("2025-07-20T14:10:00Z"), ZoneOffset.UTC));
    fed(r, "a1", "triton", "000-seed-triton-vllm-2.59-ready.log");
    String m = metrics.scrape();
    String c = "{container=\"triton\"}";
    assertEquals(1.0, value(m, "tritonwatch_server_ready" + c));
    assertEquals(1.0, value(m, "tritonwatch_startup_stage{container=\"triton\",stage=\"ready\"}"));
    assertEquals(0.0, value(m, "tritonwatch_startup_stage{container=\"triton\",stage=\"weight_loading\"}"));
    assertEquals(1.0, value(m, "tritonwatch_model_ready{container=\"triton\",model=\"llama3_2_1b_local\",version=\"1\"}"));
    assertEquals(1.0, value(m, "tritonwatch_model_state{container=\"triton\",model=\"llama3_2_1b_local\",state=\"READY\",version=\"1\"}"));
    assertEquals(53.643, value(m, "tritonwatch_startup_duration_seconds" + c));
    assertEquals(9.402, value(m, "tritonwatch_stage_duration_seconds{container=\"triton\",stage=\"graph_capture\"}"));
    assertEquals(10.86 * GIB, value(m, "tritonwatch_kv_cache_bytes" + c), 1);
    assertEquals(1.18 * GIB, value(m, "tritonwatch_activation_peak_bytes" + c), 1);
    assertEquals(0.03 * GIB, value(m, "tritonwatch_non_torch_memory_bytes" + c), 1);
    assertEquals(16 * GIB, value(m, "tritonwatch_gpu_memory_total_bytes" + c), 1);
    assertEquals(18.286789, value(m, "tritonwatch_model_loading_seconds" + c));
    assertEquals(131072.0, value(m, "tritonwatch_max_concurrency_request_tokens" + c));
    assertEquals(1.0, value(m, "tritonwatch_service_up{container=\"triton\",kind=\"metrics\",port=\"8002\"}"));
    assertEquals(1.0, value(m, "tritonwatch_warnings_total{class=\"cuda_compat\",container=\"triton\"}"));
    assertEquals(0.0, value(m, "tritonwatch_stage_elapsed_seconds" + c));
    assertEquals(600.0, value(m, "tritonwatch_stage_stuck_threshold_seconds{stage=\"weight_loading\"}"));
    assertTrue(m.contains("tritonwatch_server_info{container=\"triton\",program=\"triton\",version=\"2.59.0\"} 1"), m);
    assertEquals(31.0, value(m, "tritonwatch_log_lines_total"));

    r.remove("a1");
    String after = metrics.scrape();
    assertFalse(after.contains("container=\"triton\""), "a removed container leaves no series");
    assertEquals(31.0, value(after, "tritonwatch_log_lines_total"), "counters do not go back");
  }

  @Test
  void noSampleIsNaNAValueNotKnownIsAnAbsentSeries() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    Metrics metrics = new Metrics(r, stuck(600), Clock.systemUTC());
    // 007 ends loading its fourth start-up: no duration yet, stages after model_loading not reached.
    fed(r, "c7", "glm", "007-python-stub-init-fail-compose-utf16.log");
    fed(r, "a1", "triton", "000-seed-triton-vllm-2.59-ready.log");
    String m = metrics.scrape();
    for (String line : m.split("\n")) {
      assertFalse(!line.startsWith("#") && line.endsWith(" NaN"), "a NaN sample: " + line);
    }
    assertEquals(null, value(m, "tritonwatch_startup_duration_seconds{container=\"glm\"}"), "running: absent");
    assertEquals(null, value(m, "tritonwatch_stage_duration_seconds{container=\"glm\",stage=\"weight_loading\"}"));
    assertTrue(value(m, "tritonwatch_stage_duration_seconds{container=\"glm\",stage=\"memory_pools\"}") > 0);
    assertEquals(null, value(m, "tritonwatch_container_exit_code{container=\"glm\"}"), "not exited: absent");
    assertEquals(53.643, value(m, "tritonwatch_startup_duration_seconds{container=\"triton\"}"));
    assertTrue(value(m, "tritonwatch_startup_start_timestamp_seconds{container=\"glm\"}") > 1.7e9);
  }

  private static WatchedContainer lines(ContainerRegistry r, String id, String name, Instant started, String... lines) {
    WatchedContainer c = r.add(new WatchedContainer(new ContainerInfo(id, name, "busybox", Map.of(), false, true,
        started, null, 0, null), 200));
    for (String l : lines) {
      c.accept(l, started);
    }
    return c;
  }

  /**
   * What a scrape serves is the reading that decided which series exist: a start-up that
   * restarts between the two must not turn its duration or exit code into a NaN sample.
   */
  @Test
  void aRestartBetweenSyncAndExportLeavesNoNaN() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
    WatchedContainer c = lines(r, "n1", "loop", t0,
        "I1126 10:00:00.000000 1 model_lifecycle.cc:462] loading: m:1",
        "E1126 10:00:01.000000 1 model_lifecycle.cc:630] failed to load 'm' version 1: Internal: boom",
        "error: creating server: Internal - failed to load all models");
    c.died(1L, t0.plusSeconds(2));
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry = new io.micrometer.prometheusmetrics
        .PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    ContainerMeters meters = new ContainerMeters(registry, c, stuck(600), Clock.systemUTC());
    meters.sync();
    // The container starts again and its new run begins, after the series were decided.
    c.restarted(new ContainerInfo("n1", "loop", "busybox", Map.of(), false, true, t0.plusSeconds(3), null, 1, null));
    c.accept("I1126 10:00:04.000000 1 model_lifecycle.cc:462] loading: m:1", t0.plusSeconds(4));
    assertEquals(null, c.exitCode(), "running again");
    String m = registry.scrape();
    assertFalse(m.contains("NaN"), m);
    assertEquals(1.0, value(m, "tritonwatch_container_exit_code{container=\"loop\"}"), "as the sync saw it");
    meters.sync();
    m = registry.scrape();
    assertEquals(null, value(m, "tritonwatch_container_exit_code{container=\"loop\"}"), "gone at the next scrape");
    meters.close();
  }

  @Test
  void buildInfoSaysWhichBuildServes() throws Exception {
    Metrics metrics = new Metrics(new ContainerRegistry(), stuck(600), Clock.systemUTC());
    metrics.buildInfo("0.1.0", "ca59261772c0", "17.0.15");
    assertTrue(metrics.scrape().contains(
        "tritonwatch_build_info{java_version=\"17.0.15\",revision=\"ca59261772c0\",version=\"0.1.0\"} 1"));
  }

  /** D1: compose renames the old container, makes a new one under the name, then removes the old. */
  @Test
  void aContainerRecreatedUnderItsNameGetsEverySeries() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    Metrics metrics = new Metrics(r, stuck(600), Clock.systemUTC());
    Instant t0 = Instant.parse("2026-12-05T03:00:00Z");
    lines(r, "old1", "wt-r1", t0, "I0228 05:45:30.000000 1 model_lifecycle.cc:693] successfully loaded 'a' version 1");
    assertEquals(1.0, value(metrics.scrape(), "tritonwatch_startup_outcome{container=\"wt-r1\",outcome=\"incomplete\"}"));
    // The new container comes before the old one's rename is known, under the same name.
    lines(r, "new2", "wt-r1", t0.plusSeconds(2), "error: creating server: Internal - failed to load all models");
    String m = metrics.scrape();
    assertEquals(1.0, value(m, "tritonwatch_startup_outcome{container=\"wt-r1\",outcome=\"failed\"}"), m);
    assertTrue(m.contains("tritonwatch_container_info{container=\"wt-r1\",id=\"new2\""), "the newer owns the name");
    assertFalse(m.contains("id=\"old1\""), m);
    r.get("old1").renamed("wt-r1-old");
    m = metrics.scrape();
    assertEquals(1.0, value(m, "tritonwatch_startup_outcome{container=\"wt-r1\",outcome=\"failed\"}"));
    assertEquals(1.0, value(m, "tritonwatch_startup_outcome{container=\"wt-r1-old\",outcome=\"incomplete\"}"),
        "the renamed one under its new name: " + m);
    r.remove("old1");
    m = metrics.scrape();
    assertEquals(1.0, value(m, "tritonwatch_startup_outcome{container=\"wt-r1\",outcome=\"failed\"}"),
        "removing the old one takes none of the new one's series: " + m);
    assertEquals(0.0, value(m, "tritonwatch_server_ready{container=\"wt-r1\"}"));
    assertFalse(m.contains("wt-r1-old"));
  }

  /** D12: two models whose names share their first 128 characters stay two series. */
  @Test
  void longModelNamesThatShareTheirStartStayApart() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    Metrics metrics = new Metrics(r, stuck(600), Clock.systemUTC());
    String p = "p".repeat(140);
    lines(r, "l1", "long", Instant.parse("2026-12-05T03:00:00Z"),
        "I0228 05:45:28.000000 1 model_lifecycle.cc:462] loading: " + p + "A:1",
        "I0228 05:45:28.000000 1 model_lifecycle.cc:462] loading: " + p + "B:1",
        "I0228 05:45:30.000000 1 model_lifecycle.cc:693] successfully loaded '" + p + "A' version 1",
        "E0228 05:45:31.000000 1 model_lifecycle.cc:630] failed to load '" + p + "B' version 1: Internal: boom");
    String m = metrics.scrape();
    long ready = m.lines().filter(l -> l.startsWith("tritonwatch_model_ready{")).count();
    assertEquals(2, ready, m);
    assertTrue(m.lines().anyMatch(l -> l.startsWith("tritonwatch_model_ready{") && l.endsWith(" 0.0")), "B is not ready");
    assertTrue(m.lines().filter(l -> l.startsWith("tritonwatch_model_ready{"))
        .allMatch(l -> l.indexOf("model=\"") >= 0 && l.contains("~")), "cut names say so");
  }

  @Test
  void failureSeriesAndStuckStage() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    WatchedContainer c = fed(r, "b2", "trtllm", "019-trtllm-backend-library-not-found.log");
    // An hour after the stage began: the incomplete start-up is stuck in it.
    Instant later = c.summary().stageSince().plus(Duration.ofHours(1));
    Metrics metrics = new Metrics(r, stuck(600), Clock.fixed(later, ZoneOffset.UTC));
    String m = metrics.scrape();
    assertEquals(1.0, value(m, "tritonwatch_model_load_failures_total{container=\"trtllm\",model=\"tensorrt_llm\",version=\"1\"}"));
    assertTrue(m.contains("tritonwatch_model_failure_info{class=\"config\",container=\"trtllm\","
        + "diagnosis=\"backend_not_found\",model=\"tensorrt_llm\","
        + "reason=\"Invalid argument: unable to find backend library for backend 'tensorrtllm', try specifying runtime "
        + "on the model configuration.\",version=\"1\"} 1"), m);
    assertEquals(0.0, value(m, "tritonwatch_server_ready{container=\"trtllm\"}"));
    // The error counted is the failed load; the class of its cause is on the model failure series.
    assertEquals(1.0, value(m, "tritonwatch_errors_total{class=\"model_load_failed\",container=\"trtllm\"}"));
    assertEquals(c.summary().stage().id().equals("backend_init") ? 1.0 : -1,
        value(m, "tritonwatch_startup_stage{container=\"trtllm\",stage=\"backend_init\"}"));
    assertEquals(3600.0, value(m, "tritonwatch_stage_elapsed_seconds{container=\"trtllm\"}"));
    assertEquals(1.0, value(m, "tritonwatch_stage_stuck{container=\"trtllm\"}"));
  }

  @Test
  void aFailureIsRememberedThroughACrashLoop() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    // Three start-ups fail on glm_ocr; the fourth is loading it again when the log ends.
    fed(r, "c7", "glm", "007-python-stub-init-fail-compose-utf16.log");
    String m = new Metrics(r, stuck(600), Clock.systemUTC()).scrape();
    assertTrue(m.contains("tritonwatch_model_last_failure_info{class=\"model_load_failed\",container=\"glm\","
        + "diagnosis=\"python_model_raised\","
        + "model=\"glm_ocr\",reason=\"Internal: RuntimeError: Failed to initialize real GLM model in strict mode: "
        + "'list' object has no attribute 'keys'\",version=\"1\"} 1"), m);
    Double at = value(m, "tritonwatch_model_last_failure_timestamp_seconds{container=\"glm\",model=\"glm_ocr\",version=\"1\"}");
    assertTrue(at != null && at > 1.7e9, "the failing start-up's end: " + at);
    assertEquals(3.0, value(m, "tritonwatch_model_load_failures_total{container=\"glm\",model=\"glm_ocr\",version=\"1\"}"));
    assertFalse(m.contains("tritonwatch_model_failure_info{"), "the latest start-up has not failed (yet)");
  }

  @Test
  void aFailureNoDiagnosisExplainsIsCountedAndLabelledNone() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    // 209: the engine dies on a TypeError no catalogue entry knows.
    fed(r, "c9", "tw", "209-vllm-standalone-0.27.1-typeerror-after-kv-cache-failed.log");
    Metrics metrics = new Metrics(r, stuck(600), Clock.systemUTC());
    String m = metrics.scrape();
    assertTrue(m.contains("tritonwatch_model_failure_info{class=\"other\",container=\"tw\",diagnosis=\"none\","), m);
    assertEquals(1.0, value(m, "tritonwatch_failures_without_diagnosis_total{container=\"tw\"}"));
    assertEquals(1.0, value(metrics.scrape(), "tritonwatch_failures_without_diagnosis_total{container=\"tw\"}"),
        "the same failure is counted once, scrape after scrape");
  }

  @Test
  void aFailureThatNamesNoModelPagesNoModel() throws Exception {
    ContainerRegistry r = new ContainerRegistry();
    // 032: TensorRT-LLM's instance fails on its KV cache; no line names the model.
    fed(r, "c3", "trt", "032-trtllm-kv-cache-too-small-for-one-seq.log");
    String m = new Metrics(r, stuck(600), Clock.systemUTC()).scrape();
    assertFalse(m.contains("tritonwatch_model_last_failure_info{"), "what the alert fires on has no model 'unknown': " + m);
    assertEquals(1.0, value(m, "tritonwatch_startup_outcome{container=\"trt\",outcome=\"failed\"}"),
        "the start-up failure is still there for TritonStartupFailed");
  }
}
