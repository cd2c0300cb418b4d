package io.tritonwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped Grafana dashboard says what each panel means and filters what it can. */
class DashboardTest {

  private static JsonNode dashboard() throws Exception {
    return new ObjectMapper().readTree(Files.readString(Path.of("config/grafana/dashboards/tritonwatch.json")));
  }

  @Test
  void everyPanelHasADescriptionAndAUnit() throws Exception {
    List<String> lacking = new ArrayList<>();
    for (JsonNode p : dashboard().path("panels")) {
      if (p.path("type").asText().equals("row")) {
        continue;
      }
      if (p.path("description").asText().isBlank()
          || p.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
        lacking.add(p.path("title").asText());
      }
    }
    assertEquals(List.of(), lacking, "panels without a description or a unit");
  }

  @Test
  void theStuckThresholdIsTheCurrentStagesAndModelsFollowTheModelVariable() throws Exception {
    JsonNode d = dashboard();
    boolean model = false;
    for (JsonNode v : d.path("templating").path("list")) {
      model |= v.path("name").asText().equals("model");
    }
    assertTrue(model, "a model variable");
    int thresholds = 0;
    int byModel = 0;
    for (String expr : d.findValuesAsText("expr")) {
      if (expr.contains("tritonwatch_stage_stuck_threshold_seconds")) {
        thresholds++;
        assertFalse(expr.contains("stage=\""), "no one stage's threshold for every stage: " + expr);
        assertTrue(expr.contains("tritonwatch_startup_stage"), "joined to the current stage: " + expr);
        String all = expr.replace("$instance", ".*").replace("$container", ".*");
        assertTrue(Files.readString(Path.of("config/prometheus/tests/alerts_test.yml")).contains(all),
            "promtool's case tests this very query");
      }
      if (expr.matches(".*tritonwatch_model_(ready|last_failure_info|load_failures_total)\\{.*")) {
        assertTrue(expr.contains("model=~\"$model\""), expr);
        byModel++;
      }
    }
    assertEquals(1, thresholds);
    assertEquals(3, byModel, "model table, failures table, failures by model");
  }
}
