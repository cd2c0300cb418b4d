package io.tritonwatch.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.tritonwatch.config.WatchConfig;
import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.source.ContainerListener;
import io.tritonwatch.source.ContainerLog;
import io.tritonwatch.text.Rfc3339;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the Docker engine: lists the running containers, subscribes to their events, and
 * keeps one {@link LogFollower} per selected container. When the engine goes away it retries
 * with capped back-off; on every reconnect it lists again, because events missed while away
 * are not all replayed (the engine keeps only its last 256).
 */
public final class DockerSource implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(DockerSource.class);

  private final WatchConfig config;
  private final ContainerListener registry;
  private final Map<String, LogFollower> followers = new ConcurrentHashMap<>();
  private final Map<String, ResumePoint[]> positions = new ConcurrentHashMap<>();
  /** The time of the last start, die... event handled, per container and action. */
  private final Map<String, Long> lastEvent = new ConcurrentHashMap<>();
  private final Backoff backoff;
  private volatile boolean closed;
  private volatile DockerClient docker;
  private volatile String apiVersion;
  private volatile LogReactor reactor;
  private volatile QuietCallback<Event> events;
  private final Thread thread;
  private String lastProblem;

  public DockerSource(WatchConfig config, ContainerListener registry) {
    this.config = config;
    this.registry = registry;
    this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax());
    this.thread = new Thread(this::loop, "docker-source");
    this.thread.setDaemon(true);
  }

  public void start() {
    try {
      reactor = new LogReactor();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open a selector for the log streams", e);
    }
    thread.start();
  }

  private void loop() {
    long eventsSince = Instant.now().getEpochSecond();
    boolean subscribed = false;
    while (!closed) {
      try {
        if (docker == null) {
          DockerClients.Engine engine = DockerClients.connect(config.dockerHost());
          apiVersion = engine.apiVersion();
          docker = engine.client();
        }
        // Subscribe first, then list: a container started in between is seen by one or both.
        QuietCallback<Event> cb = new QuietCallback<>(this::onEvent);
        events = cb;
        docker.eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            .withEventFilter("start", "die", "destroy", "rename")
            .withSince(Long.toString(eventsSince))
            .exec(cb);
        reconcile();
        subscribed = true;
        registry.connected();
        if (lastProblem != null) {
          LOG.info("connected to Docker at {}", config.dockerHost());
          lastProblem = null;
        }
        backoff.reset();
        cb.awaitCompletion();
        if (closed) {
          return;
        }
        Throwable t = cb.error();
        throw new IOException(t == null ? "the event stream ended"
            : DockerClients.describe(config.dockerHost(), t));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (closed) {
          return;
        }
        String why = e instanceof IOException ? e.getMessage() : DockerClients.describe(config.dockerHost(), e);
        registry.disconnected(why);
        if (!why.equals(lastProblem)) {
          LOG.warn("Docker: {}; retrying with back-off", why);
          lastProblem = why;
        }
        QuietCallback.quietClose(docker);
        docker = null;
        if (subscribed) {
          // Replay from when the connection was lost, not from this attempt: a container that
          // started and stopped while the engine was away is in the events after that moment.
          eventsSince = Instant.now().getEpochSecond() - 1;
          subscribed = false;
        }
        registry.reconnecting();
        try {
          Thread.sleep(backoff.next().toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Brings the followed set in line with what runs now. */
  private void reconcile() {
    Set<String> running = new HashSet<>();
    for (Container c : docker.listContainersCmd().exec()) {
      running.add(c.getId());
      follow(c.getId(), false);
    }
    for (String id : registry.followed()) {
      if (!running.contains(id)) {
        ContainerInfo info = inspect(id);
        if (info == null) {
          forget(id);
        } else if (!info.running()) {
          exited(id, info.exitCode(), info.finishedAt());
        }
      }
    }
  }

  private void onEvent(Event e) {
    String id = e.getActor() != null ? e.getActor().getId() : null;
    String action = e.getAction();
    if (id == null || action == null) {
      return;
    }
    Instant at = eventTime(e);
    if (at != null && !firstTime(id, action, at)) {
      return; // replayed after a reconnect, and handled before it
    }
    try {
      switch (action) {
        case "start" -> follow(id, true);
        case "die" -> exited(id, exitCodeOf(e), eventTime(e));
        case "destroy" -> forget(id);
        case "rename" -> {
          Map<String, String> attrs = e.getActor().getAttributes();
          String name = attrs == null ? null : attrs.get("name");
          if (name != null && !name.isEmpty()) {
            registry.renamed(id, name.replaceFirst("^/", ""));
          }
        }
        default -> { }
      }
    } catch (RuntimeException ex) {
      LOG.warn("event {} for {}: {}", action, id, ex.toString());
    }
  }

  /**
   * The container stopped. Under the lock {@link #follow} holds: between a new container's
   * entry and its follower's start an exit would find no reader and apply at once, before any
   * of the run's lines, and the lines would then make a second start-up (the event thread and
   * the re-list after a connect race for a container that lives a few milliseconds).
   */
  private synchronized void exited(String id, Long code, Instant at) {
    registry.died(id, code, at);
  }

  /**
   * Whether this event of a container is new: the stream is resumed from a second before the
   * connection was lost, so some events come twice. Events of one container come in order.
   */
  private boolean firstTime(String id, String action, Instant at) {
    long n = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    Long seen = lastEvent.get(id + '|' + action);
    if (seen != null && n <= seen) {
      return false;
    }
    if (lastEvent.size() > 100_000) {
      lastEvent.clear();
    }
    lastEvent.put(id + '|' + action, n);
    return true;
  }

  /** When the engine saw it happen; lines stamped after it belong to what came next. */
  private static Instant eventTime(Event e) {
    Long nanos = e.getTimeNano();
    if (nanos != null && nanos > 0) {
      return Instant.ofEpochSecond(0, nanos);
    }
    Long secs = e.getTime();
    return secs != null && secs > 0 ? Instant.ofEpochSecond(secs) : null;
  }

  private static Long exitCodeOf(Event e) {
    Map<String, String> attrs = e.getActor().getAttributes();
    String code = attrs == null ? null : attrs.get("exitCode");
    try {
      return code == null ? null : Long.valueOf(code);
    } catch (NumberFormatException ex) {
      return null;
    }
  }

  /**
   * @param started Docker just said it started (its start event, each handled once): follow it
   *     even if it already exited, so a start-up that fails within a second is still read; for
   *     a container already watched it is a restart
   */
  private synchronized void follow(String id, boolean started) {
    Inspected seen = inspectWithLog(id);
    ContainerInfo info = seen == null ? null : seen.info();
    if (info == null || (!info.running() && !started)) {
      return;
    }
    if (!config.selection().selects(info.image(), info.name(), info.labels())) {
      return;
    }
    ContainerLog w = registry.running(info, started);
    LogFollower current = followers.get(id);
    if (current != null && current.runStarted()) {
      return; // it reads on into the new run, from where it is
    }
    LogFollower old = followers.remove(id);
    QuietCallback.quietClose(old);
    // One reading position per container for its whole life: the follower of a new run goes
    // on from where the previous one stopped, so the previous run's last lines are read and no
    // line is read twice, however fast the runs come and whatever Docker's FinishedAt says. A
    // container first seen here is read from the start of its log, earlier runs included.
    ResumePoint[] position = positions.computeIfAbsent(id, k -> LogFollower.fromStart());
    LogFollower f = new LogFollower(this::openLog, seen.logFile(), seen.maxFiles(), reactor, w, position, this::life,
        new Backoff(config.reconnectMin(), config.reconnectMax()));
    followers.put(id, f);
    f.start();
  }

  private RawLogStream openLog(String id, long sinceSeconds, boolean follow) throws IOException {
    String version = apiVersion;
    if (docker == null || version == null) {
      throw new IOException("not connected to Docker");
    }
    return RawLogStream.open(config.dockerHost(), version, id, sinceSeconds, follow);
  }

  private LogFollower.Life life(String id) {
    if (docker == null) {
      return LogFollower.Life.UNKNOWN; // unknown while Docker is away: keep the follower and retry
    }
    ContainerInfo info = inspect(id);
    if (info == null) {
      return new LogFollower.Life(false, null, null);
    }
    Instant finished = info.finishedAt() != null && info.startedAt() != null
        && info.finishedAt().isBefore(info.startedAt()) ? info.finishedAt() : null;
    return new LogFollower.Life(info.running(), info.startedAt(), finished);
  }

  private synchronized void forget(String id) {
    positions.remove(id);
    LogFollower f = followers.remove(id);
    QuietCallback.quietClose(f);
    registry.destroyed(id);
  }

  /**
   * @param logFile the json-file to read the log from, or null for the API
   * @param maxFiles the json-file driver's max-file when it rotates (max-size set), else 0
   */
  private record Inspected(ContainerInfo info, Path logFile, int maxFiles) {}

  private ContainerInfo inspect(String id) {
    Inspected i = inspectWithLog(id);
    return i == null ? null : i.info();
  }

  /**
   * The json-file is read only when the engine is on this host (a unix socket) and says the
   * container logs to one; whether this process may read it is found out by trying.
   */
  private Path logFile(InspectContainerResponse r) {
    if (!config.logFiles() || !"unix".equals(config.dockerHost().getScheme()) || r.getLogPath() == null
        || r.getLogPath().isEmpty() || r.getHostConfig() == null || r.getHostConfig().getLogConfig() == null
        || r.getHostConfig().getLogConfig().getType() == null
        // By name: the client reads "json-file" as its DEFAULT, which has the same name.
        || !"json-file".equals(r.getHostConfig().getLogConfig().getType().getType())) {
      return null;
    }
    return Path.of(r.getLogPath());
  }

  /** Docker keeps one file unless max-file says more; without max-size it never rotates. */
  private static int maxFiles(InspectContainerResponse r) {
    if (r.getHostConfig() == null || r.getHostConfig().getLogConfig() == null
        || r.getHostConfig().getLogConfig().getConfig() == null
        || !r.getHostConfig().getLogConfig().getConfig().containsKey("max-size")) {
      return 0;
    }
    try {
      return Integer.parseInt(r.getHostConfig().getLogConfig().getConfig().getOrDefault("max-file", "1").strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Inspected inspectWithLog(String id) {
    DockerClient d = docker;
    if (d == null) {
      return null;
    }
    try {
      InspectContainerResponse r = d.inspectContainerCmd(id).exec();
      InspectContainerResponse.ContainerState st = r.getState();
      String name = r.getName() == null ? id : r.getName().replaceFirst("^/", "");
      Instant started = parseTime(st == null ? null : st.getStartedAt());
      boolean tty = r.getConfig() != null && Boolean.TRUE.equals(r.getConfig().getTty());
      return new Inspected(new ContainerInfo(r.getId(), name, r.getConfig() == null ? null : r.getConfig().getImage(),
          r.getConfig() == null || r.getConfig().getLabels() == null ? Map.of() : Map.copyOf(r.getConfig().getLabels()),
          tty, st != null && Boolean.TRUE.equals(st.getRunning()), started,
          parseTime(st == null ? null : st.getFinishedAt()), r.getRestartCount(),
          st == null ? null : st.getExitCodeLong()), logFile(r), maxFiles(r));
    } catch (NotFoundException e) {
      return null;
    }
  }

  private static Instant parseTime(String s) {
    // Go's zero time is the engine's way of saying never.
    return s == null || s.startsWith("0001-") ? null : Rfc3339.instant(s);
  }


  @Override
  public void close() {
    closed = true;
    QuietCallback.quietClose(events);
    for (LogFollower f : followers.values()) {
      QuietCallback.quietClose(f);
    }
    followers.clear();
    if (reactor != null) {
      reactor.close();
    }
    QuietCallback.quietClose(docker);
    thread.interrupt();
  }
}
