package io.tritonwatch.watch;

import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.source.ContainerListener;
import io.tritonwatch.source.ContainerLog;
import io.tritonwatch.stage.StartupTracker;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The containers being watched, by id. The source (Docker, or the demo) adds and removes;
 * metrics and HTTP read. Listeners hear of additions and removals so that per-container meters
 * come and go with their container.
 */
public final class ContainerRegistry implements ContainerListener {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContainerRegistry.class);

  /** Told when a container is added or removed. */
  public interface Listener {
    void added(WatchedContainer c);

    void removed(WatchedContainer c);
  }

  private final ConcurrentMap<String, WatchedContainer> byId = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong removedLines = new AtomicLong();
  private final AtomicLong removedBytes = new AtomicLong();
  private final AtomicLong removedParseNanos = new AtomicLong();
  private volatile boolean sourceConnected;
  private final AtomicLong reconnects = new AtomicLong();
  private volatile String sourceProblem = "not connected yet";

  private final int maxModels;

  public ContainerRegistry() {
    this(StartupTracker.DEFAULT_MAX_MODELS);
  }

  /** @param maxModels the models kept per container (limits.max_models_per_container) */
  public ContainerRegistry(int maxModels) {
    this.maxModels = maxModels;
  }

  public void listen(Listener l) {
    listeners.add(l);
  }

  public WatchedContainer get(String id) {
    return byId.get(id);
  }

  public Collection<WatchedContainer> all() {
    return List.copyOf(byId.values());
  }

  /** @return the container now registered under this id (the existing one if already known) */
  public WatchedContainer add(WatchedContainer c) {
    WatchedContainer prev = byId.putIfAbsent(c.id(), c);
    if (prev != null) {
      return prev;
    }
    for (Listener l : listeners) {
      l.added(c);
    }
    return c;
  }

  public void remove(String id) {
    WatchedContainer c = byId.remove(id);
    if (c != null) {
      removedLines.addAndGet(c.linesRead());
      removedBytes.addAndGet(c.bytesRead());
      removedParseNanos.addAndGet(c.parseNanos());
      for (Listener l : listeners) {
        l.removed(c);
      }
    }
  }

  /** Lines read over the daemon's life, removed containers included (a counter must not drop). */
  public long linesRead() {
    return removedLines.get() + byId.values().stream().mapToLong(WatchedContainer::linesRead).sum();
  }

  public long bytesRead() {
    return removedBytes.get() + byId.values().stream().mapToLong(WatchedContainer::bytesRead).sum();
  }

  public double parseSeconds() {
    return (removedParseNanos.get() + byId.values().stream().mapToLong(WatchedContainer::parseNanos).sum()) / 1e9;
  }

  @Override
  public ContainerLog running(ContainerInfo info, boolean started) {
    WatchedContainer w = get(info.id());
    if (w == null) {
      w = add(new WatchedContainer(info, maxModels));
      LOG.info("watching {} ({})", info.name(), info.image());
    } else if (started && (info.startedAt() == null || !info.startedAt().equals(w.info().startedAt()))) {
      // A run not known yet. The same StartedAt is the run already seen (a container started
      // between the subscription and the first list is seen by both); during a fast loop an
      // inspect may show a later run than the event's, and Docker's RestartCount covers that.
      w.restarted(info);
      LOG.info("{} started again (restart {})", info.name(), w.restarts());
    } else {
      w.inspected(info);
    }
    return w;
  }

  @Override
  public void died(String id, Long code, Instant at) {
    died(id, code, null, at);
  }

  @Override
  public void died(String id, Long code, String reason, Instant at) {
    WatchedContainer w = get(id);
    if (w != null) {
      w.died(code, reason, at);
    }
  }

  @Override
  public void renamed(String id, String newName) {
    WatchedContainer w = get(id);
    if (w != null) {
      w.renamed(newName);
      LOG.info("{} renamed", w.name());
    }
  }

  @Override
  public void destroyed(String id) {
    WatchedContainer w = get(id);
    if (w != null) {
      remove(id);
      LOG.info("{} removed", w.name());
    }
  }

  @Override
  public Set<String> followed() {
    return Set.copyOf(byId.keySet());
  }

  public boolean sourceConnected() {
    return sourceConnected;
  }

  public String sourceProblem() {
    return sourceProblem;
  }

  @Override
  public void connected() {
    sourceConnected = true;
    sourceProblem = null;
  }

  @Override
  public void disconnected(String why) {
    sourceConnected = false;
    sourceProblem = why;
  }

  @Override
  public void reconnecting() {
    reconnects.incrementAndGet();
  }

  public long reconnects() {
    return reconnects.get();
  }
}
