package io.tritonwatch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Grafana-managed alert rules are in Grafana's file provisioning format. The schema here is
 * written from that format's documentation and Grafana's own provisioning types (AlertRuleGroupV1,
 * AlertRuleV1, QueryV1 of pkg/services/provisioning/alerting): a key it does not know is refused,
 * as are missing required fields, unknown states, bad durations and references that point nowhere.
 */
class GrafanaRulesFileTest {

  private static final Path RULES = Path.of("config/grafana/provisioning/alerting/tritonwatch-rules.yml");
  private static final Set<String> FILE_KEYS = Set.of("apiVersion", "groups", "deleteRules", "contactPoints",
      "deleteContactPoints", "policies", "resetPolicies", "templates", "deleteTemplates", "muteTimes", "deleteMuteTimes");
  private static final Set<String> GROUP_KEYS = Set.of("orgId", "name", "folder", "interval", "rules");
  private static final Set<String> RULE_KEYS = Set.of("uid", "title", "condition", "data", "dasboardUid", "dashboardUid",
      "panelId", "noDataState", "execErrState", "for", "keepFiringFor", "missing_series_evals_to_resolve",
      "annotations", "labels", "isPaused", "notification_settings", "record");
  private static final Set<String> QUERY_KEYS = Set.of("refId", "queryType", "relativeTimeRange", "datasourceUid", "model");
  private static final Set<String> NO_DATA = Set.of("NoData", "Alerting", "OK", "KeepLast");
  private static final Set<String> EXEC_ERR = Set.of("Error", "Alerting", "OK", "KeepLast");
  private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d|w|y))+|0");
  private static final Pattern UID = Pattern.compile("[a-zA-Z0-9_-]{1,40}");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(Path p) throws Exception {
    LoaderOptions o = new LoaderOptions();
    o.setAllowDuplicateKeys(false);
    return (Map<String, Object>) new Yaml(new SafeConstructor(o)).load(Files.readString(p));
  }

  private static void keys(List<String> problems, String where, Map<?, ?> m, Set<String> allowed) {
    for (Object k : m.keySet()) {
      if (!allowed.contains(String.valueOf(k))) {
        problems.add(where + ": unknown key '" + k + "'");
      }
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> problems(Map<String, Object> file) throws Exception {
    List<String> problems = new ArrayList<>();
    keys(problems, "file", file, FILE_KEYS);
    if (!Integer.valueOf(1).equals(file.get("apiVersion"))) {
      problems.add("file: apiVersion must be 1");
    }
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("config/grafana/dashboards/tritonwatch.json")));
    Set<Integer> panels = new HashSet<>();
    dashboard.path("panels").forEach(p -> panels.add(p.path("id").asInt()));
    String datasource = String.valueOf(((List<Map<String, Object>>) load(
        Path.of("config/grafana/provisioning/datasources/prometheus.yml")).get("datasources")).get(0).get("uid"));
    Set<String> uids = new HashSet<>();
    for (Map<String, Object> g : (List<Map<String, Object>>) file.get("groups")) {
      String gw = "group " + g.get("name");
      keys(problems, gw, g, GROUP_KEYS);
      for (String required : List.of("name", "folder", "interval", "rules")) {
        if (g.get(required) == null || String.valueOf(g.get(required)).isBlank()) {
          problems.add(gw + ": no " + required);
        }
      }
      if (!DURATION.matcher(String.valueOf(g.get("interval"))).matches()) {
        problems.add(gw + ": interval is no duration: " + g.get("interval"));
      }
      for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
        String rw = "rule " + r.get("uid");
        keys(problems, rw, r, RULE_KEYS);
        if (r.get("uid") == null || !UID.matcher(String.valueOf(r.get("uid"))).matches() || !uids.add((String) r.get("uid"))) {
          problems.add(rw + ": uid missing, malformed or repeated");
        }
        for (String required : List.of("title", "condition", "data")) {
          if (r.get(required) == null) {
            problems.add(rw + ": no " + required);
          }
        }
        if (r.get("noDataState") != null && !NO_DATA.contains(r.get("noDataState"))) {
          problems.add(rw + ": noDataState " + r.get("noDataState"));
        }
        if (r.get("execErrState") != null && !EXEC_ERR.contains(r.get("execErrState"))) {
          problems.add(rw + ": execErrState " + r.get("execErrState"));
        }
        for (String d : List.of("for", "keepFiringFor")) {
          if (r.get(d) != null && !DURATION.matcher(String.valueOf(r.get(d))).matches()) {
            problems.add(rw + ": " + d + " is no duration: " + r.get(d));
          }
        }
        if (!dashboard.path("uid").asText().equals(r.get("dashboardUid")) || !panels.contains(r.get("panelId"))) {
          problems.add(rw + ": links to no panel of the shipped dashboard");
        }
        Set<String> refs = new HashSet<>();
        for (Map<String, Object> q : (List<Map<String, Object>>) r.get("data")) {
          keys(problems, rw + " query " + q.get("refId"), q, QUERY_KEYS);
          refs.add(String.valueOf(q.get("refId")));
          Map<String, Object> model = (Map<String, Object>) q.get("model");
          String ds = String.valueOf(q.get("datasourceUid"));
          if (ds.equals("__expr__")) {
            Object input = model.get("expression");
            if (!refs.contains(String.valueOf(input))) {
              problems.add(rw + " query " + q.get("refId") + ": its expression reads " + input + ", no earlier query");
            }
          } else if (!ds.equals(datasource)) {
            problems.add(rw + " query " + q.get("refId") + ": data source " + ds + " is not the provisioned " + datasource);
          } else if (model.get("expr") == null) {
            problems.add(rw + " query " + q.get("refId") + ": no expr");
          }
        }
        if (!refs.contains(String.valueOf(r.get("condition")))) {
          problems.add(rw + ": condition " + r.get("condition") + " is no query of the rule");
        }
      }
    }
    return problems;
  }

  @Test
  void theShippedRulesAreInGrafanasFormat() throws Exception {
    Map<String, Object> file = load(RULES);
    assertEquals(List.of(), problems(file));
    assertEquals(8, ((List<?>) ((Map<?, ?>) ((List<?>) file.get("groups")).get(0)).get("rules")).size());
  }

  /** The checks can fail: a key Grafana does not know, a bad state and a dangling condition are refused. */
  @Test
  @SuppressWarnings("unchecked")
  void aFileOutOfFormatIsRefused() throws Exception {
    Map<String, Object> file = load(RULES);
    Map<String, Object> rule = ((List<Map<String, Object>>) ((List<Map<String, Object>>) file.get("groups")).get(0)
        .get("rules")).get(0);
    rule.put("keep_firing_for", "5m");
    rule.put("noDataState", "Ok");
    rule.put("condition", "D");
    List<String> p = problems(file);
    assertTrue(p.contains("rule tw-model-load-failed: unknown key 'keep_firing_for'"), p.toString());
    assertTrue(p.contains("rule tw-model-load-failed: noDataState Ok"), p.toString());
    assertTrue(p.contains("rule tw-model-load-failed: condition D is no query of the rule"), p.toString());
  }

  /** Each Grafana rule asks what the Prometheus rule of the same meaning asks. */
  @Test
  @SuppressWarnings("unchecked")
  void theQueriesAreThePrometheusRules() throws Exception {
    String prometheus = Files.readString(Path.of("config/prometheus/tritonwatch-alerts.yml"));
    for (Map<String, Object> r : (List<Map<String, Object>>) ((List<Map<String, Object>>) load(RULES).get("groups"))
        .get(0).get("rules")) {
      String expr = String.valueOf(((Map<String, Object>) ((List<Map<String, Object>>) r.get("data")).get(0)
          .get("model")).get("expr"));
      String core = expr.replaceAll("\\s+", " ").strip();
      assertTrue(prometheus.replaceAll("\\s+", " ").contains(core), r.get("uid") + ": " + core);
    }
  }
}
