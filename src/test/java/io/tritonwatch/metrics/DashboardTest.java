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
      JsonNode steps = p.path("fieldConfig").path("defaults").path("thresholds").path("steps");
      // Without its own thresholds a panel takes Grafana's default, red from 80: a 90 s stage bar
      // or 100 log lines a second would be drawn as an alarm.
      if (p.path("description").asText().isBlank()
          || p.path("fieldConfig").path("defaults").path("unit").asText().isBlank()
          || steps.size() == 0) {
        lacking.add(p.path("title").asText());
      }
    }
    assertEquals(List.of(), lacking, "panels without a description, a unit or thresholds");
  }

  @Test
  void stagesAreDrawnInTheOrderAStartUpPassesThem() throws Exception {
    JsonNode d = dashboard();
    int stageQueries = 0;
    for (JsonNode p : d.path("panels")) {
      for (JsonNode t : p.path("targets")) {
        String expr = t.path("expr").asText();
        if (expr.contains("tritonwatch_stage_duration_seconds") || p.path("type").asText().equals("state-timeline")) {
          stageQueries++;
          assertTrue(expr.contains("tritonwatch_stage_order"), "joined to the stage order: " + expr);
          String all = expr.replace("$instance", ".*").replace("$container", ".*");
          assertTrue(Files.readString(Path.of("config/prometheus/tests/alerts_test.yml")).contains(all),
              "promtool's case tests this very query: " + all);
        }
      }
      if (p.path("type").asText().equals("state-timeline")) {
        String mapped = p.path("fieldConfig").path("defaults").path("mappings").toString();
        for (io.tritonwatch.stage.Stage st : io.tritonwatch.stage.Stage.values()) {
          assertTrue(mapped.contains("\"" + (st.ordinal() + 1) + "\":{\"text\":\"" + st.id() + "\""),
              "the timeline names stage " + (st.ordinal() + 1) + " " + st.id());
        }
      }
    }
    assertEquals(2, stageQueries, "the timeline and the stage bars");
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
