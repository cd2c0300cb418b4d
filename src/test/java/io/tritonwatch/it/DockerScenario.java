package io.tritonwatch.it;

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

  @AfterEach
  void removeContainers() throws Exception {
    for (String c : containers) {
      Docker.remove(c);
    }
  }
}
