package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shipped alert rules, checked by promtool and evaluated by a real Prometheus server. */
class PrometheusIT extends DockerScenario {

  private static final Path RULES = Path.of("config/prometheus/tritonwatch-alerts.yml").toAbsolutePath();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private Process prometheus;

  @AfterEach
  void cleanUp() throws Exception {
    for (String c : containers) {
      Docker.remove(c);
    }
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void rulesPassPromtool() throws Exception {
    Docker.Result check = Docker.run("promtool", "check", "rules", RULES.toString());
    assertEquals(0, check.code(), check.out() + check.err());
    Docker.Result test = Docker.run("promtool", "test", "rules", "config/prometheus/tests/alerts_test.yml");
    assertEquals(0, test.code(), test.out() + test.err());
    Docker.Result examples = Docker.run("promtool", "test", "rules", "config/prometheus/tests/example_queries_test.yml");
    assertEquals(0, examples.code(), examples.out() + examples.err());
    Docker.Result config = Docker.run("promtool", "check", "config", "config/prometheus/prometheus.yml");
    assertEquals(0, config.code(), config.out() + config.err());
    Docker.Result am = Docker.run("amtool", "check-config", "config/alertmanager/alertmanager.yml");
    assertEquals(0, am.code(), am.out() + am.err());
    JsonNode model = new ObjectMapper().readTree(Path.of("config/models/qwen2_5_0_5b/1/model.json").toFile());
    assertTrue(model.get("model").asText().contains("/"), "the example model names a Hugging Face model");
    assertTrue(Files.readString(Path.of("config/models/qwen2_5_0_5b/config.pbtxt")).contains("backend: \"vllm\""));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private JsonNode api(int port, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  private static String q(String promql) {
    return "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
  }

  @Test
  void modelFailedAlertFiresInARealPrometheusAndAReadyStartUpRaisesNone() throws Exception {
    long t0 = System.nanoTime();
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label)) {
      Path dir = Files.createTempDirectory("tw-prom");
      int tw = d.get("/healthz").uri().getPort();
      int port = freePort();
      Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
          + "rule_files:\n  - " + RULES + "\n"
          + "scrape_configs:\n  - job_name: tritonwatch\n    static_configs:\n      - targets: ['127.0.0.1:" + tw + "']\n");
      prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();

      Path logs = Path.of("src/test/resources/logs");
      String failing = "tw-prom-fail-" + UUID.randomUUID().toString().substring(0, 8);
      Replay.script(dir, "fail", Replay.lines(logs.resolve("001-trt-tensorrt-plan-fail-then-restarts.log"), 0, 95), 20, "exit 1");
      String ready = "tw-prom-ready-" + UUID.randomUUID().toString().substring(0, 8);
      Replay.script(dir, "ready", Replay.lines(logs.resolve("000-seed-triton-vllm-2.59-ready.log"), 0, 100), 20, "sleep 3600");
      containers.add(Docker.runContainer(List.of("--name", failing, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/fail.sh"));
      containers.add(Docker.runContainer(List.of("--name", ready, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/ready.sh"));

      JsonNode alerts = d.await("TritonModelLoadFailed firing in Prometheus", Duration.ofSeconds(90),
          () -> api(port, "/api/v1/alerts"), a -> {
            for (JsonNode al : a.path("data").path("alerts")) {
              if (al.path("labels").path("alertname").asText().equals("TritonModelLoadFailed")
                  && al.path("state").asText().equals("firing")) {
                return true;
              }
            }
            return false;
          });
      boolean sawFailing = false;
      for (JsonNode al : alerts.path("data").path("alerts")) {
        JsonNode l = al.path("labels");
        assertTrue(!l.path("container").asText().equals(ready), "no alert for the ready start-up: " + al);
        if (l.path("alertname").asText().equals("TritonModelLoadFailed")) {
          assertEquals(failing, l.path("container").asText());
          assertEquals("classnet", l.path("model").asText());
          assertEquals("model_load_failed", l.path("class").asText());
          assertEquals("tensorrt_plan_unreadable", l.path("diagnosis").asText(), "the diagnosis reaches the alert");
          assertTrue(al.path("annotations").path("description").asText().contains("tensorrt_plan_unreadable"), al.toString());
          sawFailing = true;
        }
      }
      assertTrue(sawFailing);

      JsonNode readyNow = d.await("ready series queryable", Duration.ofSeconds(60),
          () -> api(port, q("tritonwatch_server_ready{container=\"" + ready + "\"}")),
          r -> r.path("data").path("result").size() == 1
              && r.path("data").path("result").get(0).path("value").get(1).asText().equals("1"));
      assertEquals(1, readyNow.path("data").path("result").size());
      JsonNode stages = api(port, q("tritonwatch_stage_duration_seconds{container=\"" + ready + "\",stage=\"weight_loading\"}"));
      assertTrue(stages.path("data").path("result").get(0).path("value").get(1).asDouble() > 0, stages.toString());

      // Every query of the shipped dashboard, its variables at "All", is one Prometheus evaluates
      // (a join that matches many-to-many is an evaluation error, not a parse error).
      JsonNode dash = new ObjectMapper().readTree(Files.readString(Path.of("config/grafana/dashboards/tritonwatch.json")));
      int evaluated = 0;
      for (String expr : dash.findValuesAsText("expr")) {
        String promql = expr.replace("$instance", ".*").replace("$container", ".*").replace("$model", ".*");
        JsonNode r = api(port, q(promql));
        assertEquals("success", r.path("status").asText(), promql + " -> " + r);
        evaluated++;
      }
      assertTrue(evaluated >= 20, "dashboard queries evaluated: " + evaluated);
    }
    System.out.printf("scenario prometheus end to end: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
