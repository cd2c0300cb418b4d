package io.tritonwatch.source;

import java.time.Instant;
import java.util.Map;

/**
 * What Docker says of a container, as plain values.
 *
 * @param finishedAt when the previous run of the container ended, or null if it never did
 */
public record ContainerInfo(String id, String name, String image, Map<String, String> labels,
                            boolean tty, boolean running, Instant startedAt, Instant finishedAt,
                            Integer restartCount, Long exitCode) {

  /** The same container under another name (Docker's rename; compose renames before it recreates). */
  public ContainerInfo withName(String newName) {
    return new ContainerInfo(id, newName, image, labels, tty, running, startedAt, finishedAt, restartCount, exitCode);
  }
}
