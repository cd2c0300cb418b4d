package io.tritonwatch.source;

import java.time.Instant;
import java.util.Map;

/**
 * What the container engine (Docker, or Kubernetes' node files and API) says of a container,
 * as plain values.
 *
 * @param finishedAt when the previous run of the container ended, or null if it never did
 * @param place where the container runs, as metric labels beside its name: {@code namespace}
 *     and {@code pod} on Kubernetes, none on Docker
 */
public record ContainerInfo(String id, String name, String image, Map<String, String> labels,
                            boolean tty, boolean running, Instant startedAt, Instant finishedAt,
                            Integer restartCount, Long exitCode, Map<String, String> place) {

  public ContainerInfo {
    labels = labels == null ? Map.of() : labels;
    place = place == null ? Map.of() : place;
  }

  /** A Docker container: no place beside its name. */
  public ContainerInfo(String id, String name, String image, Map<String, String> labels, boolean tty, boolean running,
                       Instant startedAt, Instant finishedAt, Integer restartCount, Long exitCode) {
    this(id, name, image, labels, tty, running, startedAt, finishedAt, restartCount, exitCode, Map.of());
  }

  /** The same container under another name (Docker's rename; compose renames before it recreates). */
  public ContainerInfo withName(String newName) {
    return new ContainerInfo(id, newName, image, labels, tty, running, startedAt, finishedAt, restartCount, exitCode,
        place);
  }

  /** The same container, stopped with this exit code. */
  public ContainerInfo exited(Long code) {
    return new ContainerInfo(id, name, image, labels, tty, false, startedAt, finishedAt, restartCount, code, place);
  }
}
