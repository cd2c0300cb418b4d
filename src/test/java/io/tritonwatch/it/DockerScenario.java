package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every Docker scenario shares: an engine and the test image (or a failure, never a
 * skip), a label of its own so that parallel or leftover containers are not selected, and the
 * removal of every container it started.
 */
abstract class DockerScenario {

  protected final String label = "tritonwatch.test=" + UUID.randomUUID();
  protected final List<String> containers = new ArrayList<>();

  @BeforeAll
  static void engine() throws Exception {
    Docker.requireEngineAndImage();
  }

  /** Flags that make the daemon read logs the given way: {@code file} (json-file on disk) or {@code api}. */
  protected static String[] withReader(String reader, String... flags) {
    List<String> all = new ArrayList<>(List.of(flags));
    all.addAll(List.of("--docker-log-files", reader.equals("file") ? "auto" : "off"));
    return all.toArray(String[]::new);
  }

  /** Every container in the status was read the given way. */
  protected static void assertReadBy(String reader, JsonNode status) {
    for (JsonNode c : status.get("containers")) {
      assertEquals(reader, c.get("logReader").asText(), c.get("name").asText() + " read by");
    }
  }

  @AfterEach
  void removeContainers() throws Exception {
    for (String c : containers) {
      Docker.remove(c);
    }
  }
}
