package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A crash loop end to end with the real programs: tritonwatch scrapes a container that Docker
 * restarts after each failed start-up, Prometheus evaluates the shipped rules, Alertmanager
 * notifies a webhook here. "Failed to load" must page once with the model, reason, class and
 * diagnosis, stay firing through the restarts, and resolve once the model serves again.
 */
class AlertmanagerIT extends DockerScenario {

  private static final Path RULES = Path.of("config/prometheus/tritonwatch-alerts.yml").toAbsolutePath();
  private static final Path LOG = Path.of("src/test/resources/logs/001-trt-tensorrt-plan-fail-then-restarts.log");
  private final List<Process> processes = new ArrayList<>();
  private HttpServer hook;

  @AfterEach
  void cleanUp() throws Exception {
    for (String c : containers) {
      Docker.remove(c);
    }
    for (Process p : processes) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (hook != null) {
      hook.stop(0);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aCrashLoopPagesOnceStaysFiringAndResolvesWhenTheModelServes() throws Exception {
    long t0 = System.nanoTime();
    List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    ObjectMapper json = new ObjectMapper();
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/", x -> {
      notifications.add(json.readTree(x.getRequestBody().readAllBytes()));
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    hook.start();

    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label)) {
      Path dir = Files.createTempDirectory("tw-am");
      int tw = d.get("/healthz").uri().getPort();
      int am = freePort();
      int prom = freePort();
      Files.writeString(dir.resolve("alertmanager.yml"), "route:\n  receiver: hook\n"
          + "  group_by: [alertname, container, model, version]\n"
          + "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\n"
          + "receivers:\n  - name: hook\n    webhook_configs:\n"
          + "      - url: http://127.0.0.1:" + hook.getAddress().getPort() + "/\n        send_resolved: true\n");
      processes.add(new ProcessBuilder("prometheus-alertmanager", "--config.file=" + dir.resolve("alertmanager.yml"),
          "--storage.path=" + dir.resolve("am"), "--web.listen-address=127.0.0.1:" + am, "--cluster.listen-address=")
          .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start());
      Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
          + "rule_files:\n  - " + RULES + "\n"
          + "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:" + am + "']\n"
          + "scrape_configs:\n  - job_name: tritonwatch\n    static_configs:\n      - targets: ['127.0.0.1:" + tw + "']\n");
      processes.add(new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prom)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start());

      // Prometheus first scrapes tritonwatch, then the loop starts: a failure it never saw pages no one.
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      d.await("Prometheus scraping tritonwatch", Duration.ofSeconds(60), () -> {
        try {
          return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + prom
              + "/api/v1/query?query=up")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
          return "";
        }
      }, b -> b.contains("\"value\":[") && b.contains(",\"1\"]"));
      // Three start-ups fail on classnet v1 (001's first, at its own pace: about 4 s each), the
      // fourth serves v2 (001's second).
      Path state = Replay.failThreeTimesThenServe(dir, LOG);
      String name = "tw-am-" + UUID.randomUUID().toString().substring(0, 8);
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "--restart", "on-failure:5",
          "-v", dir + ":/replay:ro", "-v", state + ":/state"), "/bin/sh", "/replay/loop.sh"));

      d.await("a firing TritonModelLoadFailed notification", Duration.ofSeconds(120), () -> notifications,
          n -> n.stream().anyMatch(x -> alerts(x, "firing").size() > 0));
      d.await("the model serving again", Duration.ofSeconds(180), d::metrics,
          m -> Double.valueOf(1.0).equals(Daemon.value(m, "tritonwatch_server_ready{container=\"" + name + "\"}")));
      d.await("a resolved notification", Duration.ofSeconds(120), () -> notifications,
          n -> n.stream().anyMatch(x -> alerts(x, "resolved").size() > 0));

      List<JsonNode> firing = new ArrayList<>();
      List<JsonNode> resolved = new ArrayList<>();
      for (JsonNode x : notifications) {
        firing.addAll(alerts(x, "firing"));
        resolved.addAll(alerts(x, "resolved"));
      }
      assertEquals(1, firing.size(), "paged once through three failing start-ups: " + notifications);
      assertEquals(1, resolved.size(), "resolved once, after the model served: " + notifications);
      JsonNode l = firing.get(0).path("labels");
      assertEquals(name, l.path("container").asText());
      assertEquals("classnet", l.path("model").asText());
      assertEquals("1", l.path("version").asText());
      assertEquals("model_load_failed", l.path("class").asText());
      assertEquals("tensorrt_plan_unreadable", l.path("diagnosis").asText());
      assertEquals("Internal: unable to load plan file to auto complete config: /models/classnet/1/model.plan",
          l.path("reason").asText());
      String restarts = Docker.must("docker", "inspect", "-f", "{{.RestartCount}}", name).strip();
      assertEquals("3", restarts, "Docker restarted it three times");
      System.out.printf("scenario alertmanager crash loop: %.1f s, %d notifications%n",
          (System.nanoTime() - t0) / 1e9, notifications.size());
    }
  }

  /** The TritonModelLoadFailed alerts of one webhook message in a state. */
  private static List<JsonNode> alerts(JsonNode message, String status) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : message.path("alerts")) {
      if (a.path("labels").path("alertname").asText().equals("TritonModelLoadFailed")
          && a.path("status").asText().equals(status)) {
        out.add(a);
      }
    }
    return out;
  }
}
