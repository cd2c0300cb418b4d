package io.tritonwatch.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tritonwatch.history.Expectation;
import io.tritonwatch.stage.ModelSummary;
import io.tritonwatch.stage.Outcome;
import io.tritonwatch.stage.RememberedFailure;
import io.tritonwatch.stage.Service;
import io.tritonwatch.stage.Stage;
import io.tritonwatch.stage.StageSpan;
import io.tritonwatch.stage.StartupSummary;
import io.tritonwatch.watch.WatchedContainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Every series of one container. Fixed series are registered when the container appears;
 * per-model, per-service, per-figure and per-class series when they first appear in the
 * summary ({@link #sync()}, called before each scrape). Gauges read the container's cached
 * summary at scrape time, nothing is pushed from the log path. {@link #close()} removes them all.
 */
final class ContainerMeters implements AutoCloseable {

  static final int MAX_LABEL = 128;

  final MeterRegistry registry;
  final WatchedContainer c;
  private final Map<Stage, Duration> stuckAfter;
  final Clock clock;
  final Tags base;
  private final List<Meter> fixed = new ArrayList<>();
  private final Map<String, Meter> dynamic = new HashMap<>();
  StartupSummary summaryForDiagnosis;
  private final ModelMeters models = new ModelMeters(this);
  private final HistoryMeters history = new HistoryMeters(this);
  /** The container's name when its meters were made: they carry it as a label. */
  private final String name;

  ContainerMeters(MeterRegistry registry, WatchedContainer c, Map<Stage, Duration> stuckAfter, Clock clock) {
    this.registry = registry;
    this.c = c;
    this.stuckAfter = stuckAfter;
    this.clock = clock;
    this.name = c.name();
    Tags tags = Tags.of("container", label(name));
    for (Map.Entry<String, String> p : new java.util.TreeMap<>(c.info().place()).entrySet()) {
      tags = tags.and(p.getKey(), label(p.getValue())); // namespace and pod, on Kubernetes
    }
    this.base = tags;
    registerFixed();
  }

  String name() {
    return name;
  }

  /**
   * The summary as the last {@link #sync} saw it: every value of a scrape comes from the same
   * reading that decided which series exist, so a restart between the two cannot turn a series
   * into a NaN sample (a start-up duration that was known at sync and is gone a moment later).
   */
  StartupSummary s() {
    StartupSummary snap = snapshot;
    return snap != null ? snap : c.summary();
  }

  private volatile StartupSummary snapshot;
  private volatile Long exitSnapshot;
  private volatile Long lastExitSnapshot;
  private volatile java.time.Instant startedSnapshot;
  private volatile long linesSnapshot = -1;

  private void gauge(String name, String unit, Tags tags, ToDoubleFunction<WatchedContainer> f, String help) {
    fixed.add(Gauge.builder(name, c, f).baseUnit(unit).tags(base.and(tags)).description(help)
        .strongReference(true).register(registry));
  }

  private void registerFixed() {
    gauge("tritonwatch.server.ready", null, Tags.empty(), w -> w.serving() ? 1 : 0,
        "1 while the latest start-up is ready (all models loaded, services started) and no shutdown began");
    for (String reader : List.of("file", "api", "none")) {
      gauge("tritonwatch.log.reader", null, Tags.of("reader", reader), w -> reader.equals(w.logReader()) ? 1 : 0,
          "How the container's log is read: 1 for file (the engine's json-file on disk), api (the log API), "
              + "or none (its logging driver keeps no log to read)");
    }
    for (Stage st : Stage.values()) {
      gauge("tritonwatch.startup.stage", null, Tags.of("stage", st.id()), w -> s().stage() == st ? 1 : 0,
          "The stage the latest start-up is in: 1 for the current stage, 0 for the others");
    }
    for (Outcome o : Outcome.values()) {
      gauge("tritonwatch.startup.outcome", null, Tags.of("outcome", o.id()), w -> s().outcome() == o ? 1 : 0,
          "The outcome of the latest start-up so far: 1 for the current one");
    }
    gauge("tritonwatch.stage.elapsed", "seconds", Tags.empty(), w -> elapsed(),
        "Seconds spent so far in the current stage; 0 once the start-up is ready or failed");
    gauge("tritonwatch.stage.stuck", null, Tags.empty(), w -> stuck() ? 1 : 0,
        "1 when the current stage has lasted longer than stuck_factor times its usual length (this server's "
            + "history), or, without history, than its configured threshold");
    gauge("tritonwatch.stage.slow", null, Tags.empty(), w -> slow() ? 1 : 0,
        "1 when the current stage has lasted longer than slow_factor times its usual length (this server's "
            + "history); 0 without history");
    gauge("tritonwatch.history.startups", null, Tags.empty(),
        w -> w.expectation() == null ? 0 : w.expectation().usual().startups(),
        "Ready start-ups of this server (image and models) its usual durations are learnt from; 0: too few");
    gauge("tritonwatch.container.running", null, Tags.empty(), w -> w.running() ? 1 : 0,
        "1 while the container runs");
    fixed.add(FunctionCounter.builder("tritonwatch.startups", c, WatchedContainer::startups)
        .tags(base).description("Start-ups seen in this container's log since it was first followed")
        .register(registry));
    fixed.add(FunctionCounter.builder("tritonwatch.container.restarts", c, WatchedContainer::restarts)
        .tags(base).description("Times the container started again (Docker's RestartCount and starts seen)")
        .register(registry));
    fixed.add(FunctionCounter.builder("tritonwatch.container.log.lines", c,
            w -> linesSnapshot >= 0 ? linesSnapshot : w.linesRead())
        .tags(base).description("Log lines read from this container").register(registry));
    fixed.add(FunctionCounter.builder("tritonwatch.models.over.limit", c, w -> w.counts().modelsOverLimit())
        .tags(base).description("Model names ignored because limits.max_models_per_container was reached")
        .register(registry));
    fixed.add(Gauge.builder("tritonwatch.container.info", () -> 1).tags(base.and("id", shortId(c.id()),
        "image", label(c.info().image() == null ? "" : c.info().image())))
        .description("The container's id and image").strongReference(true).register(registry));
  }

  /** Registers series for what appeared since the last scrape and removes what went away. */
  void sync() {
    // The count first: the summary read after it holds at least the lines it counts, so a
    // scrape that shows a line counted shows what that line did.
    linesSnapshot = c.linesRead();
    StartupSummary s = c.summary();
    snapshot = s;
    exitSnapshot = c.exitCode();
    lastExitSnapshot = c.lastExitCode();
    startedSnapshot = c.info().startedAt();
    summaryForDiagnosis = s;
    Set<String> want = new HashSet<>();
    String version = s.tritonVersion() == null ? "" : s.tritonVersion();
    String program = s.program() == null ? "" : s.program();
    dyn(want, "server.info|" + version + "|" + program, () -> Gauge.builder("tritonwatch.server.info", () -> 1)
        .tags(base.and("version", label(version), "program", program))
        .description("The server program and version the log names").strongReference(true).register(registry));
    for (ModelSummary m : s.models()) {
      models.modelMeters(m, want);
    }
    for (RememberedFailure f : s.rememberedFailures()) {
      models.rememberedFailureMeters(f, want);
    }
    if (!models.undiagnosed.isEmpty()) {
      dyn(want, "undiagnosed", () -> FunctionCounter.builder("tritonwatch.failures.without.diagnosis", models.undiagnosed,
              Set::size)
          .tags(base).description("Distinct model failures no entry of the diagnosis catalogue explains")
          .register(registry));
    }
    // Values that do not exist yet are absent series, not NaN samples: a stage not reached, a
    // start-up still running, a container that has not exited.
    for (Stage st : Stage.values()) {
      if (!st.terminal() && !Double.isNaN(stageSeconds(st))) {
        dyn(want, "stage|" + st.id(), () -> Gauge.builder("tritonwatch.stage.duration", c, w -> stageSeconds(st))
            .baseUnit("seconds").tags(base.and("stage", st.id()))
            .description("Seconds the latest start-up spent in each stage it reached (so far, for the current one)")
            .strongReference(true).register(registry));
      }
    }
    history.historyMeters(s, want);
    if (s.startupSeconds() != null) {
      dyn(want, "startup.duration", () -> Gauge.builder("tritonwatch.startup.duration", c,
              w -> orNaN(s().startupSeconds()))
          .baseUnit("seconds").tags(base)
          .description("Seconds from the start of the latest start-up to ready or failed; absent while it runs")
          .strongReference(true).register(registry));
    }
    if (s.start() != null) {
      dyn(want, "startup.start", () -> Gauge.builder("tritonwatch.startup.start.timestamp", c,
              w -> s().start() == null ? Double.NaN : s().start().toEpochMilli() / 1000.0)
          .baseUnit("seconds").tags(base)
          .description("When the latest start-up began, by the log's own clock (Unix time)")
          .strongReference(true).register(registry));
    }
    runMeters(want);
    for (Service svc : s.services()) {
      String key = "svc|" + svc.kind() + "|" + svc.port();
      dyn(want, key, () -> Gauge.builder("tritonwatch.service.up", c, w -> serviceUp(s(), svc))
          .tags(base.and("kind", svc.kind(), "port", Integer.toString(svc.port())))
          .description("1 while a service the server started (http, grpc, metrics) is up, by the log")
          .strongReference(true).register(registry));
    }
    for (Map.Entry<String, Object> f : s.figures().entrySet()) {
      figureMeter(f.getKey(), f.getValue(), s, want);
    }
    logMeters(want);
    List<String> gone = new ArrayList<>();
    for (String k : dynamic.keySet()) {
      if (!want.contains(k)) {
        gone.add(k);
      }
    }
    for (String k : gone) {
      registry.remove(dynamic.remove(k));
    }
  }

  private void figureMeter(String key, Object value, StartupSummary s, Set<String> want) {
    if (key.equals("cudaPoolBytes") && value instanceof Map<?, ?> pools) {
      for (Object dev : pools.keySet()) {
        String d = String.valueOf(dev);
        dyn(want, "pool|" + d, () -> Gauge.builder("tritonwatch.cuda.memory.pool", c, w -> pool(w, d))
            .baseUnit("bytes").tags(base.and("device", d)).description("CUDA memory pool Triton created per device")
            .strongReference(true).register(registry));
      }
      return;
    }
    FigureMeters.Spec spec = FigureMeters.SPECS.get(key);
    if (spec == null || !(value instanceof Number)) {
      return;
    }
    if (key.equals("kvCacheBytes") && s.figures().containsKey("kvCacheGiB")) {
      return;
    }
    dyn(want, "fig|" + spec.name(), () -> Gauge.builder(spec.name(), c, w -> figure(w, key, spec.scale()))
        .baseUnit(spec.baseUnit()).tags(base)
        .description("Start-up figure '" + key + "' of the latest start-up, in base units")
        .strongReference(true).register(registry));
  }

  /** When Docker started the container, and how it last exited. */
  private void runMeters(Set<String> want) {
    if (startedSnapshot != null) {
      // Docker's StartedAt of the current run: a server that prints nothing has no start-up
      // time of its own, and "not ready 15 minutes after it started" must still be able to fire.
      dyn(want, "container.start", () -> Gauge.builder("tritonwatch.container.start.time", c,
              w -> startedSnapshot == null ? Double.NaN : startedSnapshot.toEpochMilli() / 1000.0)
          .baseUnit("seconds").tags(base)
          .description("When Docker last started the container (Unix time)")
          .strongReference(true).register(registry));
    }
    if (exitSnapshot != null) {
      dyn(want, "exit", () -> Gauge.builder("tritonwatch.container.exit.code", c,
              w -> exitSnapshot == null ? Double.NaN : exitSnapshot)
          .tags(base).description("The exit code of the container's last exit; absent while it runs")
          .strongReference(true).register(registry));
    }
    if (lastExitSnapshot != null) {
      dyn(want, "lastexit", () -> Gauge.builder("tritonwatch.container.last.exit.code", c,
              w -> lastExitSnapshot == null ? Double.NaN : lastExitSnapshot)
          .tags(base).description("The code of the container's last exit, kept while it runs again")
          .strongReference(true).register(registry));
    }
  }

  /** What reading the log cost and lost: gaps, and the error, warning and failure counts. */
  private void logMeters(Set<String> want) {
    for (String reason : c.logGaps().keySet()) {
      dyn(want, "gap|" + reason, () -> FunctionCounter.builder("tritonwatch.log.gaps", c,
              w -> w.logGaps().getOrDefault(reason, 0L))
          .tags(base.and("reason", reason))
          .description("Times lines of the log may have been lost, by reason (rotation: the reader fell behind "
              + "the engine's max-file and a rotated file was deleted before it was read)")
          .register(registry));
      dyn(want, "gapsec|" + reason, () -> FunctionCounter.builder("tritonwatch.log.gap", c,
              w -> w.logGapSeconds().getOrDefault(reason, 0.0))
          .baseUnit("seconds").tags(base.and("reason", reason))
          .description("Seconds of the log lost, by reason: from the last line read before each gap to the first "
              + "read after it, by the engine's stamps")
          .register(registry));
    }
    for (String cls : c.counts().errors().keySet()) {
      dyn(want, "err|" + cls, () -> FunctionCounter.builder("tritonwatch.errors", c,
              w -> w.counts().errors().getOrDefault(cls, 0L))
          .tags(base.and("class", cls)).description("Error lines by class, over every start-up").register(registry));
    }
    for (String cls : c.counts().warnings().keySet()) {
      dyn(want, "warn|" + cls, () -> FunctionCounter.builder("tritonwatch.warnings", c,
              w -> w.counts().warnings().getOrDefault(cls, 0L))
          .tags(base.and("class", cls)).description("Warning lines by class, over every start-up").register(registry));
    }
    for (Map.Entry<String, Long> f : c.counts().modelFailures().entrySet()) {
      String[] nv = f.getKey().split("\u0000", -1);
      String key = f.getKey();
      dyn(want, "fail|" + key, () -> FunctionCounter.builder("tritonwatch.model.load.failures", c,
              w -> w.counts().modelFailures().getOrDefault(key, 0L))
          .tags(base.and("model", label(nv[0]), "version", nv.length > 1 ? nv[1] : ""))
          .description("Model load failures, over every start-up").register(registry));
    }
  }

  void dyn(Set<String> want, String key, java.util.function.Supplier<Meter> make) {
    want.add(key);
    dynamic.computeIfAbsent(key, k -> make.get());
  }

  private double figure(WatchedContainer w, String key, double scale) {
    Object v = s().figures().get(key);
    return v instanceof Number n ? n.doubleValue() * scale : Double.NaN;
  }

  private double pool(WatchedContainer w, String device) {
    Object pools = s().figures().get("cudaPoolBytes");
    if (pools instanceof Map<?, ?> m && m.get(device) instanceof Number n) {
      return n.doubleValue();
    }
    return Double.NaN;
  }

  private double serviceUp(StartupSummary s, Service svc) {
    return c.serving() && s.services().contains(svc) ? 1 : 0;
  }

  private double stageSeconds(Stage st) {
    StartupSummary s = s();
    for (StageSpan span : s.stages()) {
      if (span.stage() == st) {
        if (span.seconds() != null) {
          return span.seconds();
        }
        return st == s.stage() ? elapsed() : Double.NaN;
      }
    }
    return Double.NaN;
  }

  private double elapsed() {
    StartupSummary s = s();
    if (s.stage().terminal() || s.stageSince() == null || !c.running()) {
      return 0;
    }
    return Math.max(0, Duration.between(s.stageSince(), Instant.now(clock)).toMillis() / 1000.0);
  }

  private boolean stuck() {
    StartupSummary s = s();
    Expectation e = c.expectation();
    Double usual = e == null ? null : e.stuckAfter(s.stage().id());
    if (usual != null) {
      return elapsed() > usual;
    }
    Duration limit = stuckAfter.get(s.stage());
    return limit != null && elapsed() > limit.toMillis() / 1000.0;
  }

  private boolean slow() {
    Expectation e = c.expectation();
    Double after = e == null ? null : e.slowAfter(s().stage().id());
    return after != null && elapsed() > after;
  }

  private static double orNaN(Double d) {
    return d == null ? Double.NaN : d;
  }

  static String label(String s) {
    return label(s, MAX_LABEL);
  }

  /**
   * A label value of at most {@code max} characters. A longer one keeps its start and ends in
   * '~' and a hash of the whole, so two long names that share their first characters (models
   * of one family, with the variant last) stay two series.
   */
  static String label(String s, int max) {
    String t = s.replace('\n', ' ').replace('\r', ' ');
    if (t.length() <= max) {
      return t;
    }
    return t.substring(0, max - 9) + "~" + String.format("%08x", s.hashCode());
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  @Override
  public void close() {
    for (Meter m : fixed) {
      registry.remove(m);
    }
    for (Meter m : dynamic.values()) {
      registry.remove(m);
    }
    fixed.clear();
    dynamic.clear();
  }
}
