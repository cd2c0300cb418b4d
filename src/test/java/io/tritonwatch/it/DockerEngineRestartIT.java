package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Docker engine stops and comes back while a container writes a numbered sequence. The
 * engine runs with --live-restore, so the container keeps running; tritonwatch must notice,
 * retry, reconnect, and read every number exactly once.
 */
class DockerEngineRestartIT extends DockerScenario {

  private static final int COUNT = 400;
  private String container;

  @BeforeAll
  static void engine() throws Exception {
    Docker.requireEngineAndImage();
    assertEquals("true", Docker.must("docker", "info", "--format", "{{.LiveRestoreEnabled}}"),
        "this test needs dockerd --live-restore (see .ci/start-dockerd.sh)");
  }

  @AfterEach
  void cleanUp() throws Exception {
    Docker.must("bash", ".ci/start-dockerd.sh");
    if (container != null) {
      Docker.remove(container);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void everyNumberSeenExactlyOnceAcrossAnEngineRestart(String reader) throws Exception {
    long t0 = System.nanoTime();
    Path dir = Files.createTempDirectory("tw-seq");
    Files.writeString(dir.resolve("seq.sh"), "i=0\nwhile [ $i -lt " + COUNT + " ]; do\n  i=$((i+1))\n"
        + "  printf 'I0720 11:04:26.667375 1 model_lifecycle.cc:473] loading: n%d:1\\n' $i\n  usleep 20000\ndone\n"
        + "sleep 3600\n");
    String name = "tw-seq-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label,
        "--limits-max-models-per-container", "1000", "--docker-reconnect-max-seconds", "1"))) {
      container = Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/seq.sh");
      d.await("the sequence under way", Duration.ofSeconds(30), d::status,
          s -> s.get("containers").size() == 1 && s.get("containers").get(0).get("summary").get("linesRead").asLong() > 20);

      Docker.must("bash", "-c", "pkill -TERM -x dockerd; for i in $(seq 1 100); do pgrep -x dockerd >/dev/null || exit 0; sleep 0.1; done; exit 1");
      d.await("/healthz says not connected", Duration.ofSeconds(20), () -> d.get("/healthz"),
          r -> r.statusCode() == 503 && r.body().contains("not connected"));
      assertEquals(0.0, Daemon.value(d.metrics(), "tritonwatch_docker_connected"));
      Thread.sleep(1500);
      Docker.must("bash", ".ci/start-dockerd.sh");

      d.await("/healthz ok again", Duration.ofSeconds(60), () -> d.get("/healthz"), r -> r.statusCode() == 200);
      JsonNode s = d.await("all " + COUNT + " numbers", Duration.ofSeconds(60), d::status,
          x -> x.get("containers").size() == 1
              && x.get("containers").get(0).get("summary").get("models").size() >= COUNT);
      assertReadBy(reader, s);
      JsonNode summary = s.get("containers").get(0).get("summary");
      Set<String> seen = new HashSet<>();
      for (JsonNode m : summary.get("models")) {
        seen.add(m.get("name").asText());
      }
      for (int i = 1; i <= COUNT; i++) {
        assertTrue(seen.contains("n" + i), "number " + i + " lost");
      }
      assertEquals(COUNT, summary.get("linesRead").asLong(), "a line read twice");
      assertTrue(Daemon.value(d.metrics(), "tritonwatch_docker_reconnects_total") >= 1);
    }
    System.out.printf("scenario engine restart: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
