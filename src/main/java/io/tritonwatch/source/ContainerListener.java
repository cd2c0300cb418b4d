package io.tritonwatch.source;

import java.time.Instant;
import java.util.Set;

/** What a container engine's watcher tells whoever keeps the containers' state. */
public interface ContainerListener {

  /**
   * A selected container runs, or just started.
   *
   * @param started the engine said it started (a container already followed is restarting)
   * @return where its log's lines go
   */
  ContainerLog running(ContainerInfo info, boolean started);

  /** It stopped with this exit code; {@code at}, when the engine saw it, if known. */
  void died(String id, Long code, Instant at);

  /** @param reason why, as the engine says ({@code OOMKilled}, {@code Error}), or null */
  default void died(String id, Long code, String reason, Instant at) {
    died(id, code, at);
  }

  void renamed(String id, String newName);

  /** It is gone for good: its state and series go. */
  void destroyed(String id);

  /** The ids of the containers followed now. */
  Set<String> followed();

  void connected();

  void disconnected(String why);

  void reconnecting();
}
