package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A container's series follow its name as Docker has it now (issue 17, D1): compose recreates
 * a service by renaming the old container, making a new one under the name, and removing the old.
 */
class ContainerIdentityIT extends DockerScenario {

  @Test
  void aContainerRecreatedUnderARenamedOnesNameGetsAllItsSeries() throws Exception {
    String name = "tw-r1-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label)) {
      String old = Docker.runContainer(List.of("--name", name, "--label", label), "sh", "-c",
          "echo \"I0228 05:45:30.000000 1 model_lifecycle.cc:693] successfully loaded 'a' version 1\"; sleep 3600");
      containers.add(old);
      String c = "container=\"" + name + "\"";
      d.await("the first container read", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1).equals(Daemon.value(x, "tritonwatch_container_log_lines_total{" + c + "}")));
      Docker.must("docker", "rename", name, name + "-old");
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label), "sh", "-c",
          "echo 'error: creating server: Internal - failed to load all models'; sleep 3600"));
      String oldName = "container=\"" + name + "-old\"";
      String m = d.await("both under their own names", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1).equals(Daemon.value(x, "tritonwatch_startup_outcome{" + c + ",outcome=\"failed\"}"))
              && Double.valueOf(1).equals(Daemon.value(x, "tritonwatch_container_running{" + oldName + "}")));
      assertEquals(1.0, Daemon.value(m, "tritonwatch_model_ready{" + oldName + ",model=\"a\",version=\"1\"}"),
          "the renamed container's series moved to its new name");
      Docker.must("docker", "rm", "-f", old);
      m = d.await("the old one gone", Duration.ofSeconds(60), d::metrics, x -> !x.contains(oldName));
      // Every fixed series of the new container is there, so its alerts can fire.
      for (String series : List.of("tritonwatch_startup_outcome{" + c + ",outcome=\"failed\"}",
          "tritonwatch_server_ready{" + c + "}", "tritonwatch_container_running{" + c + "}",
          "tritonwatch_startup_stage{" + c + ",stage=\"failed\"}", "tritonwatch_container_log_lines_total{" + c + "}")) {
        assertFalse(Daemon.value(m, series) == null, series + " missing: " + m);
      }
      assertEquals(1.0, Daemon.value(m, "tritonwatch_startup_outcome{" + c + ",outcome=\"failed\"}"));
      assertEquals(0.0, Daemon.value(m, "tritonwatch_server_ready{" + c + "}"));
    }
  }
}
