package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the daemon says when it cannot start or cannot reach Docker. */
class StartupProblemsIT extends DockerScenario {

  private record Exit(int code, String output) {}

  private static Exit runToExit(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", Daemon.jar(), "watch"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "a bad configuration must stop the daemon at once");
    return new Exit(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /**
   * D6: a server that printed its banner and hangs there (a vLLM still downloading weights
   * sits in server_init) has an elapsed time in that stage, and is stuck past its threshold.
   */
  @Test
  void aServerHangingInItsFirstStageIsStuckThere() throws Exception {
    String name = "tw-hang-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label, "--stuck-server-init-seconds", "3")) {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label), "sh", "-c",
          "echo '== Triton Inference Server =='; echo 'Triton Server Version 2.36.0'; sleep 3600"));
      String c = "{container=\"" + name + "\"}";
      String m = d.await("stuck in server_init", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1).equals(Daemon.value(x, "tritonwatch_stage_stuck" + c)));
      assertTrue(Daemon.value(m, "tritonwatch_stage_elapsed_seconds" + c) > 3, m);
      assertEquals(1.0, Daemon.value(m, "tritonwatch_startup_stage{container=\"" + name + "\",stage=\"server_init\"}"));
      var summary = d.status().get("containers").get(0).get("summary");
      assertEquals("server_init", summary.get("stage").asText());
      assertTrue(!summary.get("stageSince").isNull(), summary.toString());
      assertEquals("server_init", summary.get("stages").get(0).get("stage").asText());
    }
  }

  /**
   * A server that prints nothing has no start-up time of its own; the container's start time is
   * served so that "not ready 15 minutes after it started" can still fire (issue 17, D14).
   */
  @Test
  void aServerThatPrintsNothingStillHasAStartTime() throws Exception {
    String name = "tw-silent-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label)) {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label), "sleep", "3600"));
      String c = "{container=\"" + name + "\"}";
      String m = d.await("the container's start time", Duration.ofSeconds(60), d::metrics,
          x -> Daemon.value(x, "tritonwatch_container_start_time_seconds" + c) != null);
      double started = java.time.Instant.parse(Docker.must("docker", "inspect", "-f", "{{.State.StartedAt}}", name))
          .toEpochMilli() / 1000.0;
      assertEquals(started, Daemon.value(m, "tritonwatch_container_start_time_seconds" + c), 0.002);
      assertEquals(null, Daemon.value(m, "tritonwatch_startup_start_timestamp_seconds" + c), "no line, no start-up time");
      assertEquals(1.0, Daemon.value(m, "tritonwatch_startup_outcome{container=\"" + name + "\",outcome=\"incomplete\"}"));
    }
  }

  @Test
  void badConfigurationIsRejectedNamingTheKey() throws Exception {
    Exit e = runToExit("--listen", "nowhere");
    assertEquals(78, e.code());
    assertTrue(e.output().contains("listen: want HOST:PORT"), e.output());

    Path yml = Files.createTempFile("tw", ".yml");
    Files.writeString(yml, "dockr:\n  host: unix:///var/run/docker.sock\n");
    e = runToExit("--config", yml.toString());
    assertEquals(78, e.code());
    assertTrue(e.output().contains("dockr.host: unknown key"), e.output());

    Files.writeString(yml, "stuck:\n  weight_loading_seconds: -5\n");
    e = runToExit("--config", yml.toString());
    assertEquals(78, e.code());
    assertTrue(e.output().contains("stuck.weight_loading_seconds: must be a positive number"), e.output());

    e = runToExit("--no-such-flag", "1");
    assertEquals(64, e.code());
    assertTrue(e.output().contains("--no-such-flag"), e.output());
  }

  @Test
  void unreachableSocketIsReportedAndRetried() throws Exception {
    long t0 = System.nanoTime();
    try (Daemon d = Daemon.start("--docker-host", "unix:///tmp/tritonwatch-no-such.sock",
        "--docker-reconnect-max-seconds", "1")) {
      d.await("healthz 503 naming the cause", Duration.ofSeconds(20), () -> d.get("/healthz"),
          x -> x.statusCode() == 503
              && x.body().contains("cannot reach the Docker engine at unix:///tmp/tritonwatch-no-such.sock"));
      d.await("several retries", Duration.ofSeconds(20), d::metrics,
          m -> Daemon.value(m, "tritonwatch_docker_reconnects_total") >= 3);
      assertEquals(0.0, Daemon.value(d.metrics(), "tritonwatch_docker_connected"));
      long warnings = d.log.stream().filter(l -> l.contains("cannot reach the Docker engine")).count();
      assertEquals(1, warnings, "the same failure is logged once, not on every retry: " + d.log);
    }
    System.out.printf("scenario unreachable socket: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void jsonLoggingOnRequest() throws Exception {
    try (Daemon d = Daemon.start("--docker-host", "unix:///tmp/tritonwatch-no-such.sock", "--log-format", "json",
        "--docker-reconnect-max-seconds", "1")) {
      d.await("a warning logged", Duration.ofSeconds(20), () -> List.copyOf(d.log),
          lines -> lines.stream().anyMatch(l -> l.contains("cannot reach the Docker engine")));
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      for (String line : List.copyOf(d.log)) {
        com.fasterxml.jackson.databind.JsonNode n = json.readTree(line);
        assertTrue(n.isObject() && n.has("level"), "one JSON object per line: " + line);
      }
    }
  }

  @Test
  void permissionDeniedOnTheSocketSaysSo() throws Exception {
    assertEquals("0", Docker.must("id", "-u"), "this test drops from root to nobody");
    try (Daemon d = Daemon.start(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
        "--docker-host", "unix:///var/run/docker.sock", "--docker-reconnect-max-seconds", "1")) {
      d.await("healthz 503 naming the cause", Duration.ofSeconds(20), () -> d.get("/healthz"),
          x -> x.statusCode() == 503 && x.body().contains("permission denied on unix:///var/run/docker.sock"));
    }
  }
}
