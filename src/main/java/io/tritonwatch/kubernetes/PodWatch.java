package io.tritonwatch.kubernetes;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods of this node as the API server says, kept current by a list and then a watch from
 * its resource version; a 410 (the version is too old) or a broken stream lists again, after a
 * back-off when the server is away. Deleted pods are kept a minute, as their last lines may
 * still be read after the API forgot them.
 */
final class PodWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodWatch.class);
  private static final long KEEP_DELETED_NANOS = 60_000_000_000L;
  private final KubeApi api;
  private final Map<String, PodMeta> pods = new ConcurrentHashMap<>();
  private final Map<String, Long> deletedAt = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean synced;
  private volatile boolean closed;
  private volatile String problem = "not listed yet";

  PodWatch(KubeApi api) {
    this.api = api;
    this.thread = new Thread(this::loop, "kubernetes-pods");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The pod with this uid, or null if the API does not know it (yet). */
  PodMeta pod(String uid) {
    return pods.get(uid);
  }

  /** Whether the pods were listed at least once: before that, no pod can be judged. */
  boolean synced() {
    return synced;
  }

  /** Why the API cannot be read now, or null. */
  String problem() {
    return problem;
  }

  private void loop() {
    long backoff = 500;
    while (!closed) {
      try {
        KubeApi.PodList list = api.list();
        pods.keySet().retainAll(list.pods().keySet());
        pods.putAll(list.pods());
        synced = true;
        problem = null;
        backoff = 500;
        String rv = list.resourceVersion();
        while (!closed) {
          String[] version = {rv};
          api.watch(rv, e -> {
            version[0] = e.resourceVersion().isEmpty() ? version[0] : e.resourceVersion();
            apply(e);
          });
          rv = version[0];
        }
      } catch (KubeApi.Gone e) {
        LOG.debug("pod watch: {}; listing again", e.getMessage());
      } catch (IOException e) {
        problem = e.getMessage();
        LOG.warn("reading this node's pods from the API server: {}; retrying in {} ms", e.getMessage(), backoff);
        if (!sleep(backoff)) {
          return;
        }
        backoff = Math.min(30_000, backoff * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        problem = e.toString();
        LOG.warn("reading this node's pods: {}", e.toString());
        if (!sleep(backoff)) {
          return;
        }
      }
    }
  }

  private void apply(KubeApi.Event e) {
    switch (e.type()) {
      case "ADDED", "MODIFIED" -> {
        pods.put(e.pod().uid(), e.pod());
        deletedAt.remove(e.pod().uid());
      }
      case "DELETED" -> deletedAt.put(e.pod().uid(), System.nanoTime());
      default -> { } // BOOKMARK: only its version counts
    }
    long now = System.nanoTime();
    deletedAt.entrySet().removeIf(d -> {
      boolean old = now - d.getValue() > KEEP_DELETED_NANOS;
      if (old) {
        pods.remove(d.getKey());
      }
      return old;
    });
  }

  private boolean sleep(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
