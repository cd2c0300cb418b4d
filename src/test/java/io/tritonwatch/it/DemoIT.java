package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tritonwatch demo} from the jar: no Docker, the same endpoints fill up. */
class DemoIT {

  @Test
  void demoServesAReadyAndAFailingStartUp() throws Exception {
    try (Daemon d = Daemon.startCommand(List.of("demo", "--listen", "127.0.0.1:0", "--speed", "20"))) {
      JsonNode s = d.await("both start-ups read", Duration.ofSeconds(60), d::status, x -> {
        boolean ready = false;
        boolean failed = false;
        for (JsonNode c : x.get("containers")) {
          for (JsonNode r : c.get("summary").get("runs")) {
            ready |= r.get("outcome").asText().equals("ready");
            failed |= r.get("outcome").asText().equals("failed");
          }
        }
        return ready && failed;
      });
      assertEquals(3, s.get("containers").size());
      assertEquals(200, d.get("/healthz").statusCode());
      String m = d.metrics();
      assertTrue(m.contains("tritonwatch_model_load_failures_total{container=\"demo-triton-python\",model=\"glm_ocr\",version=\"1\"}"), m);
      assertTrue(m.contains("tritonwatch_kv_cache_bytes{container=\"demo-triton-vllm\"}"), m);
      // The demo's thresholds are the documented defaults of config/tritonwatch.yml.
      assertEquals(1200.0, Daemon.value(m, "tritonwatch_stage_stuck_threshold_seconds{stage=\"weight_loading\"}"));
      assertEquals(600.0, Daemon.value(m, "tritonwatch_stage_stuck_threshold_seconds{stage=\"graph_capture\"}"));
      assertEquals(1800.0, Daemon.value(m, "tritonwatch_stage_stuck_threshold_seconds{stage=\"server_init\"}"));
      // By the time the crash loop has started again, a healthy replay would have too, were it counted.
      m = d.await("the crash loop restarted", Duration.ofSeconds(60), d::metrics, x -> {
        Double r = Daemon.value(x, "tritonwatch_container_restarts_total{container=\"demo-triton-python\"}");
        return r != null && r >= 1;
      });
      assertEquals(0.0, Daemon.value(m, "tritonwatch_container_restarts_total{container=\"demo-triton-vllm\"}"),
          "a healthy replay is no restart");
      assertEquals(0.0, Daemon.value(m, "tritonwatch_container_restarts_total{container=\"demo-vllm-serve\"}"));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_container_last_exit_code{container=\"demo-triton-python\"}"));
    }
  }

  /**
   * The dashboard as Grafana would draw it: a real Prometheus scrapes the demo, and at the end
   * of the demo every panel's queries, over the time it ran and with the variables at All,
   * return data (a panel with several queries needs one of them to), none is a NaN, and the
   * stage bars come back in the order a start-up passes its stages.
   */
  @Test
  void everyDashboardPanelHasDataInAPrometheusThatScrapedTheDemo() throws Exception {
    Instant from = Instant.now().minusSeconds(5);
    try (Daemon d = Daemon.startCommand(List.of("demo", "--listen", "127.0.0.1:0", "--speed", "20"));
         PrometheusServer prom = PrometheusServer.scraping(d.get("/healthz").uri().getPort(), null)) {
      // The end of the demo: everything has been read and the crash loop has started again.
      d.await("the crash loop restarted", Duration.ofSeconds(120), d::metrics, x -> {
        Double r = Daemon.value(x, "tritonwatch_container_restarts_total{container=\"demo-triton-python\"}");
        return r != null && r >= 1 && x.contains("tritonwatch_kv_cache_capacity_tokens{container=\"demo-vllm-serve\"}");
      });
      // Prometheus takes some seconds to start scraping: wait for the restart and ten scrapes.
      d.await("Prometheus scraped the restart", Duration.ofSeconds(90),
          () -> prom.query("tritonwatch_container_restarts_total{container=\"demo-triton-python\"}"
              + " and on () count_over_time(up[5m]) >= 10"),
          r -> r.path("data").path("result").size() == 1
              && r.path("data").path("result").get(0).path("value").get(1).asDouble() >= 1);
      JsonNode dash = new ObjectMapper().readTree(Files.readString(Path.of("config/grafana/dashboards/tritonwatch.json")));
      int panels = 0;
      List<String> empty = new ArrayList<>();
      for (JsonNode panel : dash.path("panels")) {
        if (!panel.has("targets")) {
          continue;
        }
        panels++;
        boolean data = false;
        for (JsonNode t : panel.path("targets")) {
          String promql = t.path("expr").asText().replace("$instance", ".*").replace("$container", ".*")
              .replace("$model", ".*");
          JsonNode r = prom.queryRange(promql, from, Instant.now().plusSeconds(1));
          assertEquals("success", r.path("status").asText(), promql + " -> " + r);
          for (JsonNode series : r.path("data").path("result")) {
            for (JsonNode v : series.path("values")) {
              assertTrue(!v.get(1).asText().equals("NaN"), panel.path("title").asText() + ": NaN in " + series);
              data = true;
            }
          }
        }
        if (!data) {
          empty.add(panel.path("title").asText());
        }
      }
      assertEquals(19, panels, "panels with queries");
      assertEquals(List.of(), empty, "panels without data");
      JsonNode bars = prom.query("tritonwatch_stage_duration_seconds{container=\"demo-triton-vllm\"}"
          + " * on (job, instance, stage) group_left (order) (0 * tritonwatch_stage_order + 1)");
      List<String> orders = new ArrayList<>();
      for (JsonNode series : bars.path("data").path("result")) {
        orders.add(series.path("metric").path("order").asText() + " " + series.path("metric").path("stage").asText());
      }
      List<String> sorted = new ArrayList<>(orders);
      java.util.Collections.sort(sorted);
      assertTrue(sorted.size() >= 8 && sorted.get(0).equals("01 server_init") && sorted.contains("06 weight_loading"),
          "the stage bars carry their place: " + sorted);
    }
  }

  private static final Pattern NAME = Pattern.compile("\\btritonwatch_[a-z0-9_]+");

  /** Every metric name the shipped Grafana dashboard queries is one tritonwatch really exposes. */
  @Test
  void dashboardQueriesOnlyExposedNames() throws Exception {
    JsonNode dash = new ObjectMapper().readTree(Files.readString(Path.of("config/grafana/dashboards/tritonwatch.json")));
    Set<String> wanted = new TreeSet<>();
    List<String> queries = new ArrayList<>();
    dash.findValues("expr").forEach(n -> queries.add(n.asText()));
    dash.findValues("definition").forEach(n -> queries.add(n.asText()));
    for (String q : queries) {
      Matcher m = NAME.matcher(q);
      while (m.find()) {
        wanted.add(m.group());
      }
    }
    assertTrue(wanted.size() >= 20, "the dashboard queries " + wanted);
    Set<String> exposed = new TreeSet<>();
    try (Daemon d = Daemon.startCommand(List.of("demo", "--listen", "127.0.0.1:0", "--speed", "50"))) {
      // Figures appear as their start-up prints them: gather names over the replay.
      d.await("every dashboard name exposed", Duration.ofSeconds(90), () -> {
        for (String line : d.metrics().split("\n")) {
          Matcher m = NAME.matcher(line);
          if (!line.startsWith("#") && m.lookingAt()) {
            exposed.add(m.group());
          }
        }
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(exposed);
        return missing;
      }, Set::isEmpty);
    }
  }
}
