package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana-managed alert rules, evaluated as Grafana evaluates them (query A, the last value
 * of each series, the threshold of C) at every second of a real Prometheus' history of a crash
 * loop: a model fails in three start-ups and then serves, beside a container that comes up at
 * once. Grafana itself cannot be installed here; its part, reduce and threshold, is done by
 * the test on Prometheus' answers.
 */
class GrafanaRulesIT extends DockerScenario {

  private static final Path LOG = Path.of("src/test/resources/logs/001-trt-tensorrt-plan-fail-then-restarts.log");

  /** One rule: its query and its condition. */
  private record Rule(String uid, String expr, String op, double threshold) {
    boolean fires(double v) {
      return op.equals("gt") ? v > threshold : v < threshold;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Rule> rules() throws Exception {
    Map<String, Object> file = new Yaml().load(Files.readString(Path.of("config/grafana/provisioning/alerting/tritonwatch-rules.yml")));
    Map<String, Rule> out = new LinkedHashMap<>();
    for (Map<String, Object> r : (List<Map<String, Object>>) ((List<Map<String, Object>>) file.get("groups")).get(0).get("rules")) {
      List<Map<String, Object>> data = (List<Map<String, Object>>) r.get("data");
      String expr = (String) ((Map<String, Object>) data.get(0).get("model")).get("expr");
      Map<String, Object> cond = ((List<Map<String, Object>>) ((Map<String, Object>) data.get(2).get("model")).get("conditions")).get(0);
      Map<String, Object> ev = (Map<String, Object>) cond.get("evaluator");
      out.put((String) r.get("uid"), new Rule((String) r.get("uid"), expr, (String) ev.get("type"),
          ((Number) ((List<?>) ev.get("params")).get(0)).doubleValue()));
    }
    return out;
  }

  /** Per container, the seconds at which the rule fires (an alert instance of that container exists). */
  private static Map<String, List<Long>> firing(PrometheusServer prom, Rule rule, Instant from, Instant to) throws Exception {
    JsonNode r = prom.queryRange(rule.expr(), from, to);
    assertEquals("success", r.path("status").asText(), rule.uid() + ": " + r);
    Map<String, List<Long>> out = new TreeMap<>();
    for (JsonNode series : r.path("data").path("result")) {
      String c = series.path("metric").path("container").asText("(none)");
      for (JsonNode v : series.path("values")) {
        if (rule.fires(Double.parseDouble(v.get(1).asText()))) {
          out.computeIfAbsent(c, k -> new ArrayList<>()).add(v.get(0).asLong());
        }
      }
    }
    return out;
  }

  @Test
  void theRulesFireThroughACrashLoopResolveWhenTheModelServesAndStaySilentForAHealthyContainer() throws Exception {
    Map<String, Rule> rules = rules();
    assertEquals(8, rules.size());
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label);
         PrometheusServer prom = PrometheusServer.scraping(d.get("/healthz").uri().getPort(), null)) {
      d.await("Prometheus scraping tritonwatch", Duration.ofSeconds(60), () -> prom.query("up"),
          r -> r.path("data").path("result").size() == 1
              && r.path("data").path("result").get(0).path("value").get(1).asText().equals("1"));
      Instant from = Instant.now();
      Path dir = Files.createTempDirectory("tw-grafana");
      Path state = Replay.failThreeTimesThenServe(dir, LOG);
      String loop = "tw-gr-loop-" + UUID.randomUUID().toString().substring(0, 8);
      String healthy = "tw-gr-ok-" + UUID.randomUUID().toString().substring(0, 8);
      containers.add(Docker.runContainer(List.of("--name", healthy, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/ready.sh"));
      containers.add(Docker.runContainer(List.of("--name", loop, "--label", label, "--restart", "on-failure:5",
          "-v", dir + ":/replay:ro", "-v", state + ":/state"), "/bin/sh", "/replay/loop.sh"));
      d.await("the looping model serving at last", Duration.ofSeconds(180), d::metrics,
          m -> Double.valueOf(1.0).equals(Daemon.value(m, "tritonwatch_server_ready{container=\"" + loop + "\"}")));
      // Some seconds of history after it came up, scraped.
      Thread.sleep(10_000);
      Instant to = Instant.now();

      JsonNode ready = prom.queryRange("tritonwatch_server_ready{container=\"" + loop + "\"} == 1", from, to);
      long readyAt = ready.path("data").path("result").get(0).path("values").get(0).get(0).asLong();

      Map<String, List<Long>> failed = firing(prom, rules.get("tw-model-load-failed"), from, to);
      List<Long> loopFiring = failed.getOrDefault(loop, List.of());
      assertFalse(loopFiring.isEmpty(), "the model's failure fires: " + failed);
      long first = loopFiring.get(0);
      long last = loopFiring.get(loopFiring.size() - 1);
      assertEquals(last - first + 1, loopFiring.size(), "firing at every second from the first failure, through "
          + "the restarts, without a gap: " + loopFiring);
      assertTrue(last < readyAt + 3 && last >= readyAt - 5, "resolved when the model served (ready at " + readyAt
          + ", last firing at " + last + ")");
      assertFalse(failed.containsKey(healthy), "silent for the healthy container");
      JsonNode labels = prom.query(rules.get("tw-model-load-failed").expr()).path("data").path("result");
      assertEquals(0, labels.size(), "no alert instance once READY");

      Map<String, List<Long>> startup = firing(prom, rules.get("tw-startup-failed"), from, to);
      assertTrue(startup.containsKey(loop) && !startup.containsKey(healthy), "start-up failed: " + startup.keySet());
      Map<String, List<Long>> restarting = firing(prom, rules.get("tw-container-restarting"), from, to);
      assertTrue(restarting.containsKey(loop) && !restarting.containsKey(healthy), "crash loop: " + restarting.keySet());
      for (String quiet : List.of("tw-server-not-ready", "tw-stage-stuck", "tw-stage-slow", "tw-slower-than-usual",
          "tw-tritonwatch-down")) {
        assertEquals(Map.of(), firing(prom, rules.get(quiet), from, to), quiet + " fires for no one here");
      }
      System.out.printf("scenario grafana rules: model-load-failed fired %d s (%d..%d), ready at %d; start-up failed %d s;"
              + " restarting %d s%n", loopFiring.size(), first, last, readyAt, startup.get(loop).size(),
          restarting.get(loop).size());
    }
  }
}
