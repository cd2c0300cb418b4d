package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs far shorter than the time the daemon takes to attach to a log (issue 17, D2): each run
 * read exactly once with its own failure, and the restarts are Docker's.
 */
class FastCrashLoopIT extends DockerScenario {

  private static final String FAILING = "echo '== Triton Inference Server ==';"
      + " echo \"I0228 05:45:28.000000 1 model_lifecycle.cc:462] loading: m:1\";"
      + " echo \"E0228 05:45:29.000000 1 model_lifecycle.cc:630] failed to load 'm' version 1: Internal: boom\";"
      + " echo 'error: creating server: Internal - failed to load all models'; exit 1";

  private static JsonNode container(JsonNode status, String name) {
    for (JsonNode c : status.get("containers")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** Ten containers that print four lines and exit at once: every one is read whole. */
  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void containersThatExitAtOnceAreReadWhole(String reader) throws Exception {
    String prefix = "tw-instant-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label))) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        names.add(prefix + i);
        containers.add(Docker.runContainer(List.of("--name", prefix + i, "--label", label), "sh", "-c", FAILING));
      }
      JsonNode status = d.await("all ten read", Duration.ofSeconds(120), d::status, s -> {
        for (String n : names) {
          JsonNode c = container(s, n);
          if (c == null || c.get("summary").get("linesRead").asLong() < 4 || c.get("running").asBoolean()) {
            return false;
          }
        }
        return true;
      });
      List<String> wrong = new ArrayList<>();
      for (String n : names) {
        JsonNode c = container(status, n);
        JsonNode s = c.get("summary");
        boolean right = s.get("linesRead").asLong() == 4 && s.get("outcome").asText().equals("failed")
            && s.get("runs").size() == 1 && s.get("models").size() == 1
            && s.get("models").get(0).get("reason").asText().equals("Internal: boom");
        if (!right) {
          wrong.add(n + " " + Docker.must("docker", "inspect", "-f", "{{.State.StartedAt}} {{.State.FinishedAt}}", n)
              + " " + s);
        }
      }
      if (!wrong.isEmpty()) {
        List<String> said = new ArrayList<>();
        synchronized (d.log) {
          for (String l : d.log) {
            if (wrong.stream().anyMatch(w -> l.contains(w.substring(0, w.indexOf(' '))))) {
              said.add(l);
            }
          }
        }
        wrong.add("what the daemon said of them:\n" + String.join("\n", said));
      }
      assertEquals(List.of(), wrong, "containers read wrong");
    }
  }

  /** A crash loop under --restart on-failure:5 whose runs last a few milliseconds. */
  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void everyRunOfAnInstantCrashLoopIsReadOnce(String reader) throws Exception {
    String name = "tw-loop-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label))) {
      containers.add(Docker.runContainer(List.of("--name", name, "--restart", "on-failure:5", "--label", label),
          "sh", "-c", FAILING));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!Docker.must("docker", "inspect", "-f", "{{.RestartCount}} {{.State.Status}}", name).equals("5 exited")) {
        assertTrue(System.nanoTime() < deadline, "Docker did not finish the loop");
        Thread.sleep(200);
      }
      int dockerLines = Docker.must("docker", "logs", name).split("\n").length;
      assertEquals(24, dockerLines, "six runs of four lines in Docker's log");
      String c = "container=\"" + name + "\"";
      String m = d.await("six runs read", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(24).equals(Daemon.value(x, "tritonwatch_container_log_lines_total{" + c + "}"))
              && Double.valueOf(0).equals(Daemon.value(x, "tritonwatch_container_running{" + c + "}")));
      // A moment more: nothing may be read twice after the last run either.
      Thread.sleep(2000);
      m = d.metrics();
      assertEquals(24.0, Daemon.value(m, "tritonwatch_container_log_lines_total{" + c + "}"), "each line once");
      assertEquals(5.0, Daemon.value(m, "tritonwatch_container_restarts_total{" + c + "}"), "Docker's RestartCount");
      assertEquals(6.0, Daemon.value(m, "tritonwatch_startups_total{" + c + "}"), "six start-ups, no phantom");
      assertEquals(6.0, Daemon.value(m, "tritonwatch_model_load_failures_total{" + c + ",model=\"m\",version=\"1\"}"));
      JsonNode runs = container(d.status(), name).get("summary").get("runs");
      for (JsonNode r : runs) {
        assertEquals("failed", r.get("outcome").asText(), runs.toString());
        assertEquals("Internal: boom", r.get("models").get(0).get("reason").asText(), runs.toString());
      }
    }
  }
}
