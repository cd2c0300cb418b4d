package io.tritonwatch.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.report.SummaryJson;
import io.tritonwatch.stage.StartupTracker;
import java.util.List;

/** Compares a live /status summary with the analyze reading of the same lines, clocks aside. */
final class Summaries {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Summaries() {}

  static JsonNode analyze(List<String> lines) throws Exception {
    StartupTracker t = new StartupTracker(2024);
    long n = 0;
    for (String l : lines) {
      io.tritonwatch.Track.line(t, new LogLine(++n, l, null));
    }
    return MAPPER.readTree(SummaryJson.write(SummaryJson.tree(t.summary())));
  }

  /** Drops what depends on the clock: the live copy is stamped by Docker at a faster pace. */
  static JsonNode withoutTime(JsonNode summary) {
    ObjectNode s = summary.deepCopy();
    s.remove(List.of("start", "stageSince", "startupSeconds"));
    s.set("stages", stageNames(s.withArray("stages")));
    stripModels(s.withArray("models"));
    for (JsonNode f : s.withArray("rememberedFailures")) {
      ((ObjectNode) f).remove("at"); // the end of a start-up: Docker's stamp live, the log's own in analyze
    }
    for (JsonNode r : s.withArray("runs")) {
      ((ObjectNode) r).remove(List.of("start", "startupSeconds"));
      ((ObjectNode) r).set("stages", stageNames((ArrayNode) r.get("stages")));
      stripModels((ArrayNode) r.get("models"));
    }
    return s;
  }

  /** The stages in order, without their times: Docker's stamps live, the log's own in analyze. */
  private static ArrayNode stageNames(ArrayNode spans) {
    ArrayNode stages = MAPPER.createArrayNode();
    for (JsonNode st : spans) {
      stages.add(st.get("stage").asText());
    }
    return stages;
  }

  private static void stripModels(ArrayNode models) {
    for (JsonNode m : models) {
      JsonNode f = m.get("figures");
      if (f instanceof ObjectNode o) {
        o.remove("loadSeconds");
      }
    }
  }
}
