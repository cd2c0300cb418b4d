package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed start-up replayed in a real container, read live through the Docker API. */
class SeedStartupIT extends DockerScenario {

  private static final Path SEED = Path.of("src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log");
  private static final double GIB = 1024.0 * 1024 * 1024;

  private String container;

  @AfterEach
  void cleanUp() throws Exception {
    if (container != null) {
      Docker.remove(container);
    }
  }

  private String startSeedContainer(String name) throws Exception {
    Path dir = Files.createTempDirectory("tw-replay");
    dir.toFile().setReadable(true, false);
    List<String> lines = Replay.lines(SEED, 0, Integer.MAX_VALUE);
    Replay.script(dir, "seed", lines, 20, "sleep 3600");
    container = Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay:ro"),
        "/bin/sh", "/replay/seed.sh");
    return name;
  }

  private Daemon daemon() throws Exception {
    return Daemon.start("--select-images", "", "--select-labels", label);
  }

  @Test
  void seedStartUpIsReadyWithEveryFigureAndMatchesAnalyze() throws Exception {
    long t0 = System.nanoTime();
    try (Daemon d = daemon()) {
      String name = startSeedContainer("tw-seed-" + UUID.randomUUID().toString().substring(0, 8));
      String c = "{container=\"" + name + "\"}";
      // Ready holds from the first service line; the metrics service is the last line of the log.
      String m = d.await("server ready, all services up", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_server_ready" + c))
              && Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_service_up{container=\"" + name
                  + "\",kind=\"metrics\",port=\"8002\"}")));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_model_ready{container=\"" + name
          + "\",model=\"llama3_2_1b_local\",version=\"1\"}"));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_startup_stage{container=\"" + name + "\",stage=\"ready\"}"));
      assertEquals(10.86 * GIB, Daemon.value(m, "tritonwatch_kv_cache_bytes" + c), 1);
      assertEquals(2.3185 * GIB, Daemon.value(m, "tritonwatch_model_weights_bytes" + c), 1);
      assertEquals(18.04, Daemon.value(m, "tritonwatch_weights_load_seconds" + c));
      assertEquals(9.0, Daemon.value(m, "tritonwatch_graph_capture_seconds" + c));
      assertEquals(0.16 * GIB, Daemon.value(m, "tritonwatch_graph_capture_memory_bytes" + c), 1);
      assertEquals(11.03, Daemon.value(m, "tritonwatch_engine_init_seconds" + c));
      assertEquals(22251.0, Daemon.value(m, "tritonwatch_kv_cache_gpu_blocks" + c));
      assertEquals(8192.0, Daemon.value(m, "tritonwatch_kv_cache_cpu_blocks" + c));
      assertEquals(2.72, Daemon.value(m, "tritonwatch_max_concurrency_ratio" + c));
      assertEquals(0.9, Daemon.value(m, "tritonwatch_gpu_memory_utilization_ratio" + c));
      assertEquals(268435456.0, Daemon.value(m, "tritonwatch_pinned_memory_pool_bytes" + c));
      assertEquals(67108864.0, Daemon.value(m, "tritonwatch_cuda_memory_pool_bytes{container=\"" + name + "\",device=\"0\"}"));
      for (String kind : List.of("grpc\",port=\"8001", "http\",port=\"8000", "metrics\",port=\"8002")) {
        assertEquals(1.0, Daemon.value(m, "tritonwatch_service_up{container=\"" + name + "\",kind=\"" + kind + "\"}"));
      }
      Double weights = Daemon.value(m, "tritonwatch_stage_duration_seconds{container=\"" + name + "\",stage=\"weight_loading\"}");
      assertNotNull(weights);
      assertTrue(weights > 0, "weight loading took time: " + weights);
      Double startup = Daemon.value(m, "tritonwatch_startup_duration_seconds" + c);
      assertTrue(startup > 0 && startup < 53.7, "start-up seconds, scaled by the replay: " + startup);

      JsonNode status = d.status();
      JsonNode live = status.get("containers").get(0);
      assertEquals(name, live.get("name").asText());
      assertEquals(0, live.get("restarts").asInt());
      JsonNode expected = Summaries.analyze(Replay.lines(SEED, 0, Integer.MAX_VALUE));
      assertEquals(Summaries.withoutTime(expected).toPrettyString(),
          Summaries.withoutTime(live.get("summary")).toPrettyString());
    }
    System.out.printf("scenario seed replay: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void daemonStartedLateReachesTheSameStateAndRemovalDropsTheSeries() throws Exception {
    long t0 = System.nanoTime();
    String name = startSeedContainer("tw-late-" + UUID.randomUUID().toString().substring(0, 8));
    // Let the whole start-up happen before tritonwatch exists.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Docker.must("docker", "logs", container).contains("Started Metrics Service")) {
      assertTrue(System.nanoTime() < deadline, "replay did not finish");
      Thread.sleep(200);
    }
    try (Daemon d = daemon()) {
      String c = "{container=\"" + name + "\"}";
      d.await("whole log read", Duration.ofSeconds(30), d::metrics,
          x -> Double.valueOf(31).equals(Daemon.value(x, "tritonwatch_container_log_lines_total" + c)));
      JsonNode live = d.status().get("containers").get(0).get("summary");
      JsonNode expected = Summaries.analyze(Replay.lines(SEED, 0, Integer.MAX_VALUE));
      assertEquals(Summaries.withoutTime(expected).toPrettyString(), Summaries.withoutTime(live).toPrettyString());

      Docker.remove(container);
      container = null;
      d.await("series gone", Duration.ofSeconds(30), d::metrics, x -> !x.contains("container=\"" + name + "\""));
      assertEquals(0, d.status().get("containers").size());
    }
    System.out.printf("scenario late daemon + removal: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
