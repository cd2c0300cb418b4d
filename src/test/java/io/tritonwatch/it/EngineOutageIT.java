package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine unreachable for seconds (issue 17, D4 and D5): the daemon reaches it through the
 * shipped nginx socket proxy, which the test stops and starts again while containers run,
 * restart and exit.
 */
class EngineOutageIT extends DockerScenario {

  private Process nginx;
  private Path dir;

  @AfterEach
  void stopProxy() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Path startProxy() throws Exception {
    if (dir == null) {
      dir = Files.createTempDirectory("tw-outage");
      Files.writeString(dir.resolve("nginx.conf"),
          Files.readString(Path.of("config/socket-proxy/nginx.conf")).replace("/run/tritonwatch", dir.toString()));
    }
    Path sock = dir.resolve("docker.sock");
    Files.deleteIfExists(sock);
    nginx = new ProcessBuilder("nginx", "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off; user root;")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile()))
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.exists(sock)) {
      assertTrue(System.nanoTime() < deadline && nginx.isAlive(), "nginx did not start: "
          + Files.readString(dir.resolve("nginx.out")));
      Thread.sleep(50);
    }
    return sock;
  }

  private void stopProxyNow() throws Exception {
    nginx.destroyForcibly();
    assertTrue(nginx.waitFor(10, TimeUnit.SECONDS));
  }

  /** D5: a container that starts, fails and exits while the engine is away is found from the replayed events. */
  @Test
  void aContainerThatCameAndWentDuringTheOutageIsFound() throws Exception {
    Path sock = startProxy();
    String name = "tw-out-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--docker-host", "unix://" + sock, "--select-images", "", "--select-labels", label,
        "--docker-reconnect-max-seconds", "1")) {
      stopProxyNow();
      d.await("the outage seen", Duration.ofSeconds(30), () -> d.get("/healthz").statusCode(), code -> code == 503);
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label), "sh", "-c",
          "echo \"E0228 05:45:29.000000 1 model_lifecycle.cc:630] failed to load 'm' version 1: Internal: boom\";"
              + " echo 'error: creating server: Internal - failed to load all models'; exit 3"));
      String exited = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!exited.equals("exited")) {
        assertTrue(System.nanoTime() < deadline, "the container did not exit");
        Thread.sleep(100);
        exited = Docker.must("docker", "inspect", "-f", "{{.State.Status}}", name);
      }
      Thread.sleep(2000); // several failed reconnects: the replay point must not move with them
      startProxy();
      JsonNode s = d.await("found after the outage", Duration.ofSeconds(60), d::status, x -> {
        for (JsonNode c : x.get("containers")) {
          if (c.get("name").asText().equals(name) && c.get("summary").get("linesRead").asInt() == 2
              && !c.get("exitCode").isNull()) {
            return true;
          }
        }
        return false;
      });
      JsonNode c = s.get("containers").get(0);
      assertEquals(3, c.get("exitCode").asInt());
      assertEquals("failed", c.get("summary").get("outcome").asText());
      assertEquals("Internal: boom", c.get("summary").get("models").get(0).get("reason").asText());
    }
  }

  private static final Pattern FAILURE = Pattern.compile(
      "tritonwatch_model_load_failures_total\\{container=\"[^\"]+\",model=\"(r\\d-k\\d+)\",version=\"1\"} ([0-9.]+)");

  /**
   * D4: the first run fails while the engine is away and the container restarts (on-failure:1)
   * before it is back. The first run's last lines are read, and the second run's once.
   */
  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void aRestartDuringAnOutageLosesNothingAndDoublesNothing(String reader) throws Exception {
    Path sock = startProxy();
    Path scripts = Files.createTempDirectory("tw-r2");
    Files.writeString(scripts.resolve("r2.sh"), String.join("\n",
        "r=1; [ -f /tmp/n ] && r=2; touch /tmp/n; i=0",
        "while [ $i -lt 100 ]; do i=$((i+1)); if [ $((i%10)) = 0 ]; then",
        "  echo \"E0228 05:45:29.000000 1 model_lifecycle.cc:630] failed to load 'r$r-k$i' version 1: Internal: x\"",
        "  else echo \"run$r line $i\"; fi; usleep 50000; done",
        "[ $r = 1 ] && exit 1; sleep 3600", ""));
    String name = "tw-r2-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start(withReader(reader, "--docker-host", "unix://" + sock, "--select-images", "",
        "--select-labels", label, "--docker-reconnect-max-seconds", "1"))) {
      containers.add(Docker.runContainer(List.of("--name", name, "--restart", "on-failure:1", "--label", label,
          "-v", scripts + ":/s:ro"), "sh", "/s/r2.sh"));
      String c = "container=\"" + name + "\"";
      d.await("the first run under way", Duration.ofSeconds(60), d::metrics,
          x -> Daemon.value(x, "tritonwatch_container_log_lines_total{" + c + "}") != null);
      Thread.sleep(1500);
      stopProxyNow();
      // The first run ends about 5 s after it began; the second begins at once. Back at about 10 s.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Docker.must("docker", "inspect", "-f", "{{.RestartCount}}", name).equals("1")) {
        assertTrue(System.nanoTime() < deadline, "the container did not restart");
        Thread.sleep(200);
      }
      Thread.sleep(2000);
      startProxy();
      String m = d.await("both runs read", Duration.ofSeconds(90), d::metrics,
          x -> Double.valueOf(200).equals(Daemon.value(x, "tritonwatch_container_log_lines_total{" + c + "}")));
      Thread.sleep(2000);
      m = d.metrics();
      assertEquals(200.0, Daemon.value(m, "tritonwatch_container_log_lines_total{" + c + "}"), "each line once");
      TreeMap<String, Double> failures = new TreeMap<>();
      Matcher f = FAILURE.matcher(m);
      while (f.find()) {
        if (f.group(0).contains(c)) {
          failures.put(f.group(1), Double.parseDouble(f.group(2)));
        }
      }
      assertEquals(20, failures.size(), "every model of both runs: " + failures);
      assertTrue(failures.values().stream().allMatch(v -> v == 1.0), "each failure once: " + failures);
      assertEquals(1.0, Daemon.value(m, "tritonwatch_container_restarts_total{" + c + "}"));
      assertEquals(2.0, Daemon.value(m, "tritonwatch_startups_total{" + c + "}"));
    }
  }
}
