package io.tritonwatch.kubernetes;

import io.tritonwatch.config.Selection;
import io.tritonwatch.config.WatchConfig;
import io.tritonwatch.source.ContainerListener;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pod logs the kubelet keeps on this node ({@code /var/log/pods}, mounted read-only),
 * for a DaemonSet: every selected container from its first line, across its restarts and the
 * kubelet's rotations, on one thread. What the API server says of the node's pods (images,
 * labels, annotations, exit codes) comes from {@link PodWatch} when it is on; without it the
 * files alone are read, and containers are selected by name ({@code namespace/pod/container}).
 */
public final class PodLogSource implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(PodLogSource.class);
  private static final long TICK_MILLIS = 100;
  private static final long SCAN_NANOS = 1_000_000_000L;
  /** A gone pod's series stay this long: its last scrape shows how it ended. */
  private static final long KEEP_GONE_NANOS = 60_000_000_000L;

  private final Path root;
  private final int maxFiles;
  private final Selection selection;
  private final ContainerListener listener;
  private final PodWatch pods;
  private final Map<String, PodContainer> followed = new HashMap<>();
  /** Containers the selection refused, so they are not judged again at every scan. */
  private final Map<String, Boolean> refused = new HashMap<>();
  private final Map<String, Long> goneAt = new HashMap<>();
  private final Thread thread;
  private volatile boolean closed;
  private long scannedAt;
  private boolean scannedOnce;
  private String problem;
  /** When a container's newest attempt was first seen on disk, while the API server had not told of it yet. */
  private final Map<String, Long> restartsSeen = new HashMap<>();
  private static final long API_LAG_NANOS = 5_000_000_000L;

  /**
   * @param pods the API server's view of this node's pods, or null to read the files alone
   */
  PodLogSource(Path root, int maxFiles, Selection selection, ContainerListener listener, PodWatch pods) {
    this.root = root;
    this.maxFiles = maxFiles;
    this.selection = selection;
    this.listener = listener;
    this.pods = pods;
    this.thread = new Thread(this::loop, "pod-logs");
    this.thread.setDaemon(true);
  }

  /** The source {@code source: kubernetes} asks for: the node's files, and the API server when asked and reachable. */
  public static PodLogSource of(WatchConfig config, ContainerListener listener) {
    WatchConfig.KubernetesSettings k = config.kubernetes();
    PodWatch pods = null;
    if (k.api()) {
      String node = k.nodeName().isEmpty() ? System.getenv().getOrDefault("NODE_NAME", "") : k.nodeName();
      try {
        if (node.isEmpty()) {
          throw new IOException("no node name: set kubernetes.node_name or NODE_NAME (the downward API's spec.nodeName)");
        }
        pods = new PodWatch(k.apiUrl().isEmpty() ? KubeApi.inCluster(node)
            : new KubeApi(java.net.URI.create(k.apiUrl()), null, null, node));
      } catch (IOException e) {
        LOG.warn("reading pods without the API server ({}): no images, labels or exit codes; containers are "
            + "selected by name (namespace/pod/container)", e.getMessage());
      }
    }
    return new PodLogSource(k.logRoot(), k.maxFiles(), config.selection(), listener, pods);
  }

  public void start() {
    if (pods != null) {
      pods.start();
    }
    thread.start();
  }

  private void loop() {
    while (!closed) {
      try {
        tick();
      } catch (RuntimeException e) {
        LOG.warn("reading pod logs: {}", e.toString());
      }
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void tick() {
    long now = System.nanoTime();
    if (now - scannedAt >= SCAN_NANOS) {
      scannedAt = now;
      scan();
    }
    for (PodContainer c : followed.values()) {
      try {
        c.poll();
      } catch (IOException | RuntimeException e) {
        // A file that fails is read again at the next look; one container never stops the others.
        LOG.debug("reading the log of {}: {}", c.id(), e.toString());
      }
    }
  }

  /** The containers on disk now, by key, with their attempts in order. */
  private Map<String, TreeMap<Integer, PodLogPath>> onDisk() throws IOException {
    Map<String, TreeMap<Integer, PodLogPath>> out = new HashMap<>();
    try (DirectoryStream<Path> podDirs = Files.newDirectoryStream(root)) {
      for (Path podDir : podDirs) {
        if (!Files.isDirectory(podDir)) {
          continue;
        }
        try (DirectoryStream<Path> containers = Files.newDirectoryStream(podDir)) {
          for (Path container : containers) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(container, "*.log")) {
              for (Path f : files) {
                PodLogPath p = PodLogPath.of(podDir.getFileName().toString(), container.getFileName().toString(),
                    f.getFileName().toString());
                if (p != null) {
                  out.computeIfAbsent(p.key(), k -> new TreeMap<>()).put(p.attempt(), p);
                }
              }
            } catch (IOException e) {
              // a container directory removed between the looks
            }
          }
        } catch (IOException e) {
          // a pod directory removed between the looks
        }
      }
    }
    return out;
  }

  private void scan() {
    Map<String, TreeMap<Integer, PodLogPath>> disk;
    try {
      disk = onDisk();
      if (problem != null || !scannedOnce) {
        listener.connected();
        problem = null;
        scannedOnce = true;
      }
    } catch (IOException e) {
      String why = "cannot read " + root + ": " + e.getMessage();
      if (!why.equals(problem)) {
        LOG.warn("{}; is the node's pod log directory mounted (kubernetes.log_root)?", why);
        listener.disconnected(why);
        problem = why;
      }
      return;
    }
    for (Map.Entry<String, TreeMap<Integer, PodLogPath>> e : disk.entrySet()) {
      try {
        follow(e.getKey(), e.getValue());
      } catch (IOException | RuntimeException ex) {
        LOG.debug("following {}: {}", e.getKey(), ex.toString());
      }
    }
    forgetGone(disk);
  }

  private void follow(String key, TreeMap<Integer, PodLogPath> attempts) throws IOException {
    PodContainer c = followed.get(key);
    PodLogPath newest = attempts.lastEntry().getValue();
    PodMeta meta = pods == null ? null : pods.pod(newest.uid());
    if (c == null) {
      if (refused.containsKey(key) || !selected(newest, meta)) {
        return;
      }
      goneAt.remove(key);
      c = PodContainer.begin(root, listener, maxFiles, attempts.firstEntry().getValue(), meta);
      followed.put(key, c);
      LOG.info("watching {}/{} container {} (attempt {})", newest.namespace(), newest.pod(), newest.container(),
          c.attempt());
    }
    if (attempts.lastKey() > c.attempt() && !apiCaughtUp(key, meta, newest, attempts.lastKey())) {
      return; // the new attempt's exit code comes with the pod's status: wait for it a little
    }
    restartsSeen.remove(key);
    for (PodLogPath p : attempts.tailMap(c.attempt(), false).values()) {
      c.restarted(p, meta);
    }
    PodMeta.Container status = meta == null ? null : meta.containers().get(newest.container());
    if (status != null && !status.running() && status.exitCode() != null && status.restartCount() == c.attempt()) {
      c.terminated(status.exitCode(), status.reason());
    }
  }

  /**
   * Whether the API server's status already counts the restart (so it gives the last exit's
   * code), or has lagged long enough that the restart is read without it.
   */
  private boolean apiCaughtUp(String key, PodMeta meta, PodLogPath newest, int attempt) {
    if (pods == null) {
      return true;
    }
    PodMeta.Container status = meta == null ? null : meta.containers().get(newest.container());
    if (status != null && status.restartCount() >= attempt) {
      return true;
    }
    long now = System.nanoTime();
    Long since = restartsSeen.putIfAbsent(key, now);
    return since != null && now - since > API_LAG_NANOS;
  }

  /**
   * With the API server: its images, labels and annotations; a pod it does not know yet waits
   * for the next look. Without: the name {@code namespace/pod/container}.
   */
  private boolean selected(PodLogPath p, PodMeta meta) {
    String name = p.namespace() + "/" + p.pod() + "/" + p.container();
    if (pods != null && pods.synced() || meta != null) {
      if (meta == null) {
        return false; // not known to the API yet: judged at a later look
      }
      PodMeta.Container c = meta.containers().get(p.container());
      boolean yes = selection.selects(c == null ? null : c.image(), name, meta.selectable());
      if (!yes) {
        refused.put(p.key(), true);
      }
      return yes;
    }
    if (pods != null) {
      return false; // the API server is asked but has not answered: wait rather than misjudge
    }
    boolean yes = selection.selects(null, name, Map.of());
    if (!yes) {
      refused.put(p.key(), true);
    }
    return yes;
  }

  private void forgetGone(Map<String, TreeMap<Integer, PodLogPath>> disk) {
    long now = System.nanoTime();
    for (Iterator<Map.Entry<String, PodContainer>> it = followed.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, PodContainer> e = it.next();
      if (disk.containsKey(e.getKey())) {
        continue;
      }
      PodContainer c = e.getValue();
      Long since = goneAt.putIfAbsent(e.getKey(), now);
      if (since == null) {
        try {
          c.gone(pods == null ? null : pods.pod(e.getKey().substring(0, e.getKey().indexOf('/'))));
        } catch (IOException ex) {
          LOG.debug("the end of {}: {}", c.id(), ex.toString());
        }
      } else if (now - since > KEEP_GONE_NANOS) {
        listener.destroyed(e.getKey());
        goneAt.remove(e.getKey());
        it.remove();
      }
    }
    refused.keySet().retainAll(disk.keySet());
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    if (pods != null) {
      pods.close();
    }
  }
}
