package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A container whose logging driver keeps nothing to read (issue 17, D9): said once, shown, not retried. */
class UnreadableLogIT extends DockerScenario {

  @Test
  void aLogDriverThatKeepsNothingIsShownAndNotAskedAgain() throws Exception {
    String name = "tw-none-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label)) {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "--log-driver", "none"),
          "sh", "-c", "echo hi; sleep 3600"));
      String c = "container=\"" + name + "\"";
      String m = d.await("the reader says none", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1).equals(Daemon.value(x, "tritonwatch_log_reader{" + c + ",reader=\"none\"}")));
      assertEquals(0.0, Daemon.value(m, "tritonwatch_log_reader{" + c + ",reader=\"api\"}"));
      JsonNode status = d.status().get("containers").get(0);
      assertEquals("none", status.get("logReader").asText());
      assertTrue(status.get("logProblem").asText().contains("does not support reading"), status.toString());
      // Restarted: still unreadable, still said only once.
      Docker.must("docker", "restart", "-t", "1", name);
      d.await("the restart seen", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1).equals(Daemon.value(x, "tritonwatch_container_restarts_total{" + c + "}")));
      Thread.sleep(3000);
      long warnings = d.log.stream().filter(l -> l.contains("cannot be read") && l.contains(name)).count();
      assertEquals(1, warnings, "one warning: " + d.log);
      long retries = d.log.stream().filter(l -> l.contains("resuming") && l.contains(name)).count();
      assertEquals(0, retries, "no retries: " + d.log);
    }
  }
}
