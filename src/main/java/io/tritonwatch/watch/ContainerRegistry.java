package io.tritonwatch.watch;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The containers being watched, by id. The source (Docker, or the demo) adds and removes;
 * metrics and HTTP read. Listeners hear of additions and removals so that per-container meters
 * come and go with their container.
 */
public final class ContainerRegistry {

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

  public boolean sourceConnected() {
    return sourceConnected;
  }

  public String sourceProblem() {
    return sourceProblem;
  }

  public void connected() {
    sourceConnected = true;
    sourceProblem = null;
  }

  public void disconnected(String why) {
    sourceConnected = false;
    sourceProblem = why;
  }

  public void reconnecting() {
    reconnects.incrementAndGet();
  }

  public long reconnects() {
    return reconnects.get();
  }
}
