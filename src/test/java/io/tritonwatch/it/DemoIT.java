package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
