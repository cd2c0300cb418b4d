package io.tritonwatch.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tritonwatch.stage.Stage;
import io.tritonwatch.watch.ContainerRegistry;
import io.tritonwatch.watch.WatchedContainer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Prometheus side: one registry, the daemon's own series, and one {@link ContainerMeters}
 * per watched container, added and removed with it. The only code that knows Micrometer.
 */
public final class Metrics implements ContainerRegistry.Listener {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, ContainerMeters> perContainer = new ConcurrentHashMap<>();
  private final Map<Stage, Duration> stuckAfter;
  private final Clock clock;
  private final ContainerRegistry containers;

  public Metrics(ContainerRegistry containers, Map<Stage, Duration> stuckAfter, Clock clock) {
    this.stuckAfter = stuckAfter;
    this.clock = clock;
    this.containers = containers;
    FunctionCounter.builder("tritonwatch.log.lines", containers, ContainerRegistry::linesRead)
        .description("Log lines read, all containers").register(registry);
    FunctionCounter.builder("tritonwatch.log.read", containers, ContainerRegistry::bytesRead)
        .baseUnit("bytes").description("Log bytes read, all containers").register(registry);
    FunctionCounter.builder("tritonwatch.parse", containers, ContainerRegistry::parseSeconds)
        .baseUnit("seconds").description("Time spent parsing and tracking lines").register(registry);
    Gauge.builder("tritonwatch.docker.connected", containers, r -> r.sourceConnected() ? 1 : 0)
        .description("1 while the Docker engine answers and its event stream is open").register(registry);
    FunctionCounter.builder("tritonwatch.docker.reconnects", containers, ContainerRegistry::reconnects)
        .description("Times the connection to Docker was lost and tried again").register(registry);
    Gauge.builder("tritonwatch.containers.followed", containers, r -> r.all().size())
        .description("Containers whose logs are followed now").register(registry);
    for (Map.Entry<Stage, Duration> e : stuckAfter.entrySet()) {
      Gauge.builder("tritonwatch.stage.stuck.threshold", e.getValue(), d -> d.toMillis() / 1000.0)
          .baseUnit("seconds").tag("stage", e.getKey().id())
          .description("How long a stage may last before it counts as stuck (configuration)")
          .strongReference(true).register(registry);
    }
    for (Stage st : Stage.values()) {
      // Grafana draws series in label order: the zero-padded label puts stages in the order a
      // start-up passes them, and the value turns a stage into a number a state timeline can colour.
      Gauge.builder("tritonwatch.stage.order", st, x -> x.ordinal() + 1)
          .tags("stage", st.id(), "order", String.format(java.util.Locale.ROOT, "%02d", st.ordinal() + 1))
          .description("The place of each stage in a start-up (1 server_init ... 12 ready, 13 failed)")
          .strongReference(true).register(registry);
    }
    ProcessMeters.bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    // No ProcessorMetrics: its system_cpu_count and process_cpu_time_ns fail promtool's lint.
    containers.listen(this);
    for (WatchedContainer c : containers.all()) {
      added(c);
    }
  }

  /** {@code tritonwatch_build_info}: which build serves these series, as every exporter says. */
  public void buildInfo(String version, String revision, String javaVersion) {
    Gauge.builder("tritonwatch.build.info", () -> 1)
        .tags("version", version, "revision", revision, "java_version", javaVersion)
        .description("The tritonwatch build: version, git revision and the Java it runs on")
        .strongReference(true).register(registry);
  }

  @Override
  public synchronized void added(WatchedContainer c) {
    ownNames();
  }

  @Override
  public synchronized void removed(WatchedContainer c) {
    ContainerMeters m = perContainer.remove(c.id());
    if (m != null) {
      m.close();
    }
    ownNames();
  }

  /**
   * One container owns each name's series: the one started last. A container recreated under
   * its old name (compose) or given another's name gets every series, a renamed one moves to
   * its new name, and the meters of one never stand in for another's. Series are keyed by
   * name, and Micrometer hands back an already-registered meter for the same name and tags.
   */
  private void ownNames() {
    Map<String, WatchedContainer> owner = new HashMap<>();
    for (WatchedContainer c : containers.all()) {
      owner.merge(ContainerMeters.label(c.name()), c, (a, b) -> startedLater(b, a) ? b : a);
    }
    Iterator<Map.Entry<String, ContainerMeters>> it = perContainer.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, ContainerMeters> e = it.next();
      WatchedContainer c = containers.get(e.getKey());
      if (c == null || !e.getValue().name().equals(c.name()) || owner.get(ContainerMeters.label(c.name())) != c) {
        e.getValue().close(); // before the name's new owner registers its meters
        it.remove();
      }
    }
    for (WatchedContainer c : owner.values()) {
      perContainer.computeIfAbsent(c.id(), id -> new ContainerMeters(registry, c, stuckAfter, clock));
    }
  }

  private static boolean startedLater(WatchedContainer a, WatchedContainer b) {
    java.time.Instant x = a.info().startedAt();
    java.time.Instant y = b.info().startedAt();
    if (x == null || y == null) {
      return x != null || y == null && a.id().compareTo(b.id()) > 0;
    }
    return x.isAfter(y) || x.equals(y) && a.id().compareTo(b.id()) > 0;
  }

  /** Writes the exposition text; series that appeared since the last scrape are registered first. */
  public synchronized void scrape(OutputStream out) throws IOException {
    ownNames();
    for (ContainerMeters m : perContainer.values()) {
      m.sync();
    }
    registry.scrape(out);
  }

  public synchronized String scrape() {
    ownNames();
    for (ContainerMeters m : perContainer.values()) {
      m.sync();
    }
    return registry.scrape();
  }
}
