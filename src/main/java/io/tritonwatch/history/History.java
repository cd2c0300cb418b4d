package io.tritonwatch.history;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Past start-ups by identity: the last {@code keep} of each in memory, for judging the running
 * ones, and in a store on disk so that they survive the daemon. Writes go to the store on a
 * thread of their own; whoever records never waits for the disk. A store that cannot be opened
 * or written is logged once and let go: the daemon goes on learning in memory.
 */
public final class History implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(History.class);
  static final int QUEUE = 1000;

  private final int keep;
  private final int minStartups;
  private final Map<String, Deque<StartupRecord>> byIdentity = new HashMap<>();
  private final Set<String> seen = new HashSet<>();
  /** The identity of the latest start-up of each image: a start-up that has named no model yet is judged by it. */
  private final Map<String, String> latestOfImage = new HashMap<>();
  private final Map<String, Usual> usual = new HashMap<>();
  private final BlockingQueue<StartupRecord> pending = new ArrayBlockingQueue<>(QUEUE);
  private volatile HistoryStore store;
  private volatile String problem;
  private volatile long dropped;
  private volatile boolean writing;
  private final Thread writer;

  private History(HistoryStore store, int keep, int minStartups) {
    this.store = store;
    this.keep = keep;
    this.minStartups = minStartups;
    this.writer = new Thread(this::write, "history");
    this.writer.setDaemon(true);
  }

  /** Learns in memory only. */
  public static History inMemory(int keep, int minStartups) {
    return new History(null, keep, minStartups);
  }

  /** With a store at {@code file}: what it holds is learnt now; a store that cannot be used is said once. */
  public static History open(Path file, int keep, int minStartups) {
    HistoryStore s = null;
    String why = null;
    List<StartupRecord> kept = List.of();
    try {
      java.nio.file.Path dir = file.toAbsolutePath().getParent();
      if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
        java.nio.file.Files.createDirectories(dir);
      }
      s = SqliteStore.open(file, false);
      kept = s.load();
    } catch (java.sql.SQLException e) {
      why = e.getMessage();
    } catch (Exception e) {
      why = e.toString();
    }
    if (why != null && s != null) {
      s.close();
      s = null;
    }
    History h = new History(s, keep, minStartups);
    for (StartupRecord r : kept) {
      h.remember(r);
    }
    if (why != null) {
      h.problem = "cannot use " + file + ": " + why;
      LOG.warn("start-up history: {}; going on without a stored history (what is learnt now is kept in memory only)",
          h.problem);
    } else {
      LOG.info("start-up history: {} start-ups of {} servers from {}", kept.size(), h.identities(), file);
      h.writer.start();
    }
    return h;
  }

  private int identities() {
    synchronized (byIdentity) {
      return byIdentity.size();
    }
  }

  /** Why the store is not in use, or null. */
  public String problem() {
    return problem;
  }

  /** Start-ups not written because the store fell more than {@value #QUEUE} behind. */
  public long dropped() {
    return dropped;
  }

  /** A finished start-up: learnt at once, written to the store in the background (once). */
  public void record(StartupRecord r) {
    if (!remember(r)) {
      return;
    }
    if (store != null && !pending.offer(r)) {
      dropped++;
    }
  }

  private boolean remember(StartupRecord r) {
    synchronized (byIdentity) {
      if (!seen.add(key(r))) {
        return false;
      }
      Deque<StartupRecord> d = byIdentity.computeIfAbsent(r.identity(), k -> new ArrayDeque<>());
      d.addLast(r);
      while (d.size() > keep) {
        seen.remove(key(d.removeFirst()));
      }
      latestOfImage.put(r.image(), r.identity());
      usual.remove(r.identity());
    }
    return true;
  }

  /** One start-up of one container, as the store's unique key has it. */
  private static String key(StartupRecord r) {
    return r.identity() + "|" + r.host() + "|" + r.container() + "|" + r.start().toEpochMilli();
  }

  /**
   * What is usual for this image serving these models; with no model named yet, for the
   * image's latest identity. Null when too little is known.
   */
  public Usual usual(String image, List<String> models) {
    synchronized (byIdentity) {
      String id = models.isEmpty() ? latestOfImage.get(image) : StartupRecord.identity(image, models);
      if (id == null) {
        return null;
      }
      if (usual.containsKey(id)) {
        return usual.get(id);
      }
      Deque<StartupRecord> d = byIdentity.get(id);
      Usual u = d == null ? null : Usual.of(id, new ArrayList<>(d), minStartups);
      usual.put(id, u);
      return u;
    }
  }

  /** The kept start-ups of an identity, oldest first. */
  public List<StartupRecord> of(String identity) {
    synchronized (byIdentity) {
      Deque<StartupRecord> d = byIdentity.get(identity);
      return d == null ? List.of() : List.copyOf(d);
    }
  }

  private void write() {
    while (true) {
      StartupRecord r;
      try {
        r = pending.take();
        writing = true;
      } catch (InterruptedException e) {
        return;
      }
      HistoryStore s = store;
      if (s == null) {
        return;
      }
      try {
        s.append(r, keep);
      } catch (Exception e) {
        problem = "cannot write: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        LOG.warn("start-up history: {}; going on without a stored history (what is learnt now is kept in memory only)",
            problem);
        store = null;
        s.close();
        return;
      } finally {
        writing = false;
      }
    }
  }

  /** Waits until what was recorded is written (tests, and a clean stop). */
  public void flush(long timeoutMillis) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMillis;
    while ((!pending.isEmpty() || writing) && System.currentTimeMillis() < end) {
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    try {
      flush(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.interrupt();
    HistoryStore s = store;
    store = null;
    if (s != null) {
      s.close();
    }
  }
}
