package io.tritonwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart under deploy/, linted and rendered by Helm's own library (offline: no API
 * server checks the objects' schemas), and the rendered objects read back: what a platform team
 * reviews before installing it.
 */
class ChartTest {

  static final Path CHART = Path.of("deploy/helm/tritonwatch");
  static final Path MANIFESTS = Path.of("deploy/manifests/tritonwatch.yaml");

  static String render(Map<String, Object> set) {
    var t = new Helm(CHART).template().withName("tritonwatch").withNamespace("monitoring");
    set.forEach(t::set);
    return t.call();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(String yaml) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : new Yaml().loadAll(yaml)) {
      if (o != null) {
        out.add((Map<String, Object>) o);
      }
    }
    return out;
  }

  static Map<String, Object> kind(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).findFirst().orElse(null);
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object o, Object... path) {
    Object x = o;
    for (Object p : path) {
      x = p instanceof Integer i ? ((List<Object>) x).get(i) : ((Map<String, Object>) x).get(p);
    }
    return (T) x;
  }

  @Test
  void theChartLintsClean() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  @Test
  void theDaemonSetReadsThePodLogsReadOnlyWithLeastPrivilege() {
    List<Map<String, Object>> objects = objects(render(Map.of()));
    Map<String, Object> ds = kind(objects, "DaemonSet");
    assertNotNull(ds, "a DaemonSet");
    Map<String, Object> pod = at(ds, "spec", "template", "spec");
    Map<String, Object> c = at(pod, "containers", 0);
    List<Map<String, Object>> mounts = at(c, "volumeMounts");
    Map<String, Object> logs = mounts.stream().filter(m -> "/var/log/pods".equals(m.get("mountPath"))).findFirst()
        .orElseThrow();
    assertEquals(true, logs.get("readOnly"), "the pod logs are mounted read-only");
    List<Map<String, Object>> volumes = at(pod, "volumes");
    Map<String, Object> hostPath = volumes.stream().filter(v -> logs.get("name").equals(v.get("name"))).findFirst()
        .map(v -> (Map<String, Object>) at(v, "hostPath")).orElseThrow();
    assertEquals("/var/log/pods", hostPath.get("path"));
    Map<String, Object> sc = at(c, "securityContext");
    assertEquals(false, sc.get("privileged"));
    assertEquals(false, sc.get("allowPrivilegeEscalation"));
    assertEquals(true, sc.get("readOnlyRootFilesystem"));
    assertEquals(List.of("ALL"), (Object) at(sc, "capabilities", "drop"));
    assertEquals(null, (Object) at(sc, "capabilities", "add"), "no capability added back");
    assertEquals(null, pod.get("hostNetwork"), "no host network");
    List<Map<String, Object>> env = at(c, "env");
    Map<String, Object> node = env.stream().filter(e -> "NODE_NAME".equals(e.get("name"))).findFirst().orElseThrow();
    assertEquals("spec.nodeName", (Object) at(node, "valueFrom", "fieldRef", "fieldPath"), "the node from the downward API");
    assertTrue(env.stream().anyMatch(e -> "TRITONWATCH_SOURCE".equals(e.get("name")) && "kubernetes".equals(e.get("value"))));
    List<Map<String, Object>> tolerations = at(pod, "tolerations");
    assertTrue(tolerations.stream().anyMatch(t -> "nvidia.com/gpu".equals(t.get("key"))), "GPU nodes tolerated");
    assertEquals("metrics", (Object) at(c, "ports", 0, "name"));
  }

  @Test
  void theNodeSelectorValueReachesThePods() {
    Map<String, Object> ds = kind(objects(render(Map.of("nodeSelector.nvidia\\.com/gpu\\.present", "true"))),
        "DaemonSet");
    assertEquals(Map.of("nvidia.com/gpu.present", "true"), (Object) at(ds, "spec", "template", "spec", "nodeSelector"));
  }

  @Test
  void rbacIsReadingPodsAndNothingElse() {
    List<Map<String, Object>> objects = objects(render(Map.of()));
    Map<String, Object> role = kind(objects, "ClusterRole");
    List<Map<String, Object>> rules = at(role, "rules");
    assertEquals(1, rules.size());
    assertEquals(List.of(""), rules.get(0).get("apiGroups"));
    assertEquals(List.of("pods"), rules.get(0).get("resources"));
    assertEquals(List.of("get", "list", "watch"), rules.get(0).get("verbs"));
    Map<String, Object> binding = kind(objects, "ClusterRoleBinding");
    assertEquals((Object) at(kind(objects, "ServiceAccount"), "metadata", "name"), (Object) at(binding, "subjects", 0, "name"));
    assertEquals("monitoring", (Object) at(binding, "subjects", 0, "namespace"));
  }

  @Test
  void thePodMonitorScrapesTheMetricsPortAndKeepsTheWorkloadsLabels() {
    List<Map<String, Object>> objects = objects(render(Map.of()));
    Map<String, Object> pm = kind(objects, "PodMonitor");
    assertEquals("metrics", (Object) at(pm, "spec", "podMetricsEndpoints", 0, "port"));
    assertEquals(true, (Object) at(pm, "spec", "podMetricsEndpoints", 0, "honorLabels"));
    assertEquals((Object) at(kind(objects, "DaemonSet"), "spec", "selector", "matchLabels"), (Object) at(pm, "spec", "selector", "matchLabels"));
  }

  @Test
  void thePrometheusRuleHoldsTheShippedAlertRules() throws Exception {
    Map<String, Object> rule = kind(objects(render(Map.of())), "PrometheusRule");
    Map<String, Object> shipped = new Yaml().load(Files.readString(Path.of("config/prometheus/tritonwatch-alerts.yml")));
    assertEquals(shipped.get("groups"), (Object) at(rule, "spec", "groups"));
    assertEquals(Files.readString(Path.of("config/prometheus/tritonwatch-alerts.yml")),
        Files.readString(CHART.resolve("files/tritonwatch-alerts.yml")), "the chart's copy of the rules is the shipped file");
  }

  @Test
  void thePlainManifestsAreTheChartRenderedWithItsDefaults() throws Exception {
    String rendered = render(Map.of());
    if (Boolean.getBoolean("tritonwatch.writeManifests")) {
      Files.writeString(MANIFESTS, rendered, StandardCharsets.UTF_8);
    }
    assertEquals(rendered, Files.readString(MANIFESTS),
        "deploy/manifests/tritonwatch.yaml is stale: mvn test -Dtest=ChartTest -Dtritonwatch.writeManifests=true");
  }
}
