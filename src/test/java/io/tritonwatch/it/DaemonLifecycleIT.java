package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** tritonwatch itself stopped: SIGTERM ends it promptly; after SIGKILL it rebuilds its state from Docker. */
class DaemonLifecycleIT extends DockerScenario {

  @Test
  void sigtermStopsWithinTwoSecondsAndSigkillLosesNothing() throws Exception {
    String label = "tritonwatch.test=" + UUID.randomUUID();
    Path dir = Files.createTempDirectory("tw-life");
    Path seed = Path.of("src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log");
    // The start-up holds in backend_init until the first daemon has seen it there and was
    // killed: the kill lands in the middle of the start-up however slow the machine is.
    List<String> lines = Replay.lines(seed, 0, 100);
    Replay.script(dir, "first", lines.subList(0, 12), 5, "while [ ! -f /replay/go ]; do usleep 50000; done");
    Replay.script(dir, "rest", lines.subList(12, lines.size()), 5, "sleep 3600");
    Files.writeString(dir.resolve("seed.sh"), "#!/bin/sh\n. /replay/first.sh\n. /replay/rest.sh\n");
    String name = "tw-life-" + UUID.randomUUID().toString().substring(0, 8);
    containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay"),
        "/bin/sh", "/replay/seed.sh"));
    String c = "{container=\"" + name + "\"}";

    Daemon first = Daemon.start("--select-images", "", "--select-labels", label);
    first.await("the start-up under way", Duration.ofSeconds(30), first::metrics,
        m -> Double.valueOf(1.0).equals(Daemon.value(m, "tritonwatch_startup_stage{container=\"" + name + "\",stage=\"backend_init\"}"))
            || Double.valueOf(1.0).equals(Daemon.value(m, "tritonwatch_startup_stage{container=\"" + name + "\",stage=\"weight_loading\"}")));
    first.process.destroyForcibly();
    assertTrue(first.process.waitFor(5, TimeUnit.SECONDS));
    Files.writeString(dir.resolve("go"), "");

    try (Daemon second = Daemon.start("--select-images", "", "--select-labels", label)) {
      second.await("ready, rebuilt from Docker's log", Duration.ofSeconds(60), second::metrics,
          m -> Double.valueOf(1.0).equals(Daemon.value(m, "tritonwatch_server_ready" + c))
              && Double.valueOf(31.0).equals(Daemon.value(m, "tritonwatch_container_log_lines_total" + c)));
      JsonNode live = second.status().get("containers").get(0).get("summary");
      JsonNode expected = Summaries.analyze(Replay.lines(seed, 0, 100));
      assertEquals(Summaries.withoutTime(expected).toPrettyString(), Summaries.withoutTime(live).toPrettyString());

      long t0 = System.nanoTime();
      second.process.destroy(); // SIGTERM
      assertTrue(second.process.waitFor(5, TimeUnit.SECONDS), "SIGTERM must stop tritonwatch");
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("scenario SIGTERM: stopped in %.2f s%n", seconds);
      assertTrue(seconds < 2.0, "stopped in " + seconds + " s");
      assertEquals(143, second.process.exitValue(), "the exit status of a SIGTERM'd JVM");
    }
  }
}
