package io.tritonwatch.stage;

import io.tritonwatch.parse.ErrorClassifier;
import io.tritonwatch.parse.Figure;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.parse.TritonEvent;
import io.tritonwatch.parse.TritonEvent.*;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One start-up of one server: from its banner (or first line) to the next banner. */
final class StartupRun implements TableReader.Sink {

  final long startLine;
  Instant start;
  Program program;
  String tritonVersion;
  final StageClock clock = new StageClock();
  final ModelBook models;
  final Set<Service> services = new LinkedHashSet<>();
  final Figures figures = new Figures();
  final Counts counts;
  final int maxModels;
  final Problems errors;
  final Problems warnings;
  final TableReader tables = new TableReader(this);
  private final Tracebacks tracebacks = new Tracebacks();
  private static final int MAX_EXCEPTIONS_KEPT = 64;
  private final Set<String> exceptionsSeen = new java.util.HashSet<>();
  /** The first exception of a traceback logged at error level: a failure's root cause. */
  private PythonException rootCause;
  /** The first exception of a traceback printed raw (no log header), used when no logged one exists. */
  private PythonException rawCause;
  /** A vLLM engine said it died; its model fails with the root cause once one is known. */
  boolean engineFailed;
  private String engineFailureText;
  /** The engine model's reason is only the engine's own words, not yet its root cause. */
  private boolean engineReasonProvisional;
  boolean fatal;
  boolean shutdown;
  boolean appStarted;
  boolean modelTableSeen;
  /**
   * Speculative decoding: after "Loading drafter model" the weights and the second
   * torch.compile are the draft model's, not the target's.
   */
  boolean drafter;
  /** The name TRITONBACKEND_Initialize gave, which tells TurboMind from FasterTransformer. */
  private final Set<String> initializedBackends = new LinkedHashSet<>();
  /** TRTIS 19.x opened its endpoints before loading models: ready waits for a model. */
  boolean endpointsEarly;
  /** A pool could not be created: the options table's sizes are not what the server has. */
  boolean poolFailed;
  Instant readyAt;
  Instant failedAt;
  String pendingInstanceFailure;
  String pendingInstanceClass;
  String engineModel;
  /** The model whose failure reason a hard-wrapped next line may continue. */
  ModelRecord wrapTarget;
  /**
   * An error line whose tail a terminal may have wrapped onto the next line: it is counted
   * once that line shows whether it continues it, so that the class comes from the whole text
   * and a counter never has to take a count back.
   */
  private String heldKind;
  private long heldLine;
  private String heldText;
  private boolean heldInstance;
  private Instant now;
  private long lineNo;

  StartupRun(long startLine, Instant start, Counts counts, int maxModels) {
    this.startLine = startLine;
    this.start = start;
    this.counts = counts;
    this.maxModels = maxModels;
    this.errors = new Problems(counts::error);
    this.models = new ModelBook(maxModels, counts);
    this.warnings = new Problems(counts::warning);
    if (start != null) {
      clock.begin(start);
    }
  }

  /** Banner lines and driver checks alone do not make a start-up worth closing. */
  boolean hasSubstance() {
    if (fatal || !models.isEmpty() || !services.isEmpty()) {
      return true;
    }
    return clock.reached(Stage.MEMORY_POOLS);
  }

  /**
   * @param time the line's time: its own, else the arrival, else the last known
   * @param ownTime whether the time is the line's own; a banner with no stamp must not start
   *     the run at the previous run's last moment
   */
  void accept(ParsedLine line, Instant time, boolean ownTime) {
    // Until the run has a time of its own, a borrowed time is the previous run's last moment:
    // a restarted server's banner would date this run's first stage back to it.
    this.now = ownTime || start != null ? time : null;
    this.lineNo = line.number();
    if (start == null && time != null && ownTime) {
      start = time;
      clock.begin(time);
    }
    boolean tableLine = false;
    for (TritonEvent e : line.events()) {
      if (e instanceof TableRow || e instanceof TableBorder) {
        tableLine = true;
      }
    }
    if (!tableLine && tables.inTable()) {
      tables.end();
    }
    Tracebacks.Role role = tracebacks.role(line);
    if (role != Tracebacks.Role.NONE) {
      wrapTarget = null;
      if (role == Tracebacks.Role.ROOT || role == Tracebacks.Role.IGNORED_ROOT) {
        List<TritonEvent> events = line.events();
        tracebackRoot((PythonException) events.get(0), tracebacks.severity(), role == Tracebacks.Role.IGNORED_ROOT);
        for (int i = 1; i < events.size(); i++) {
          apply(events.get(i), line); // the figures an exception states (free memory, GPU size)
        }
      }
      return;
    }
    if (!line.recognised()) {
      if (!continueHeld(line)) {
        continueWrapped(line);
      }
      return;
    }
    releaseHeld();
    ModelRecord wrapBefore = wrapTarget;
    for (TritonEvent e : line.events()) {
      apply(e, line);
    }
    if (wrapTarget == wrapBefore) {
      wrapTarget = null;
    }
  }

  void reYear(Years shift) {
    start = shift.apply(start);
    readyAt = shift.apply(readyAt);
    failedAt = shift.apply(failedAt);
    now = shift.apply(now);
    clock.reYear(shift);
    for (ModelRecord m : models.all()) {
      m.loadingSince = shift.apply(m.loadingSince);
    }
  }

  void noise() {
    if (tables.inTable()) {
      tables.end();
    }
    wrapTarget = null;
    releaseHeld();
  }

  private void hold(String kind, String text, boolean instance) {
    releaseHeld();
    heldKind = kind;
    heldLine = lineNo;
    heldText = text;
    heldInstance = instance;
  }

  /** One headerless line right after an error line continues it; the class is read again. */
  private boolean continueHeld(ParsedLine line) {
    if (heldText == null) {
      return false;
    }
    String more = line.message();
    if (line.structured() || more.isEmpty() || more.startsWith("at ")) {
      releaseHeld();
      return false;
    }
    heldText = heldText + more;
    heldKind = ErrorClassifier.classify(heldText, ErrorClass.valueOf(heldKind.toUpperCase(java.util.Locale.ROOT))).id();
    releaseHeld();
    return true;
  }

  /** Counts the held error: the line after it did not continue it, or the stream paused. */
  void releaseHeld() {
    if (heldText == null) {
      return;
    }
    String text = heldText;
    heldText = null;
    errors.add(heldKind, heldLine, text);
    if (heldInstance) {
      pendingInstanceClass = heldKind;
      pendingInstanceFailure = text;
      if (ErrorClass.OOM.id().equals(heldKind) && readyAt == null) {
        fail();
      }
    }
  }

  List<Problem> errorList() {
    return errors.snapshot();
  }

  /** Terminals hard-wrap long error lines; the tail arrives as a line with no header. */
  private void continueWrapped(ParsedLine line) {
    ModelRecord target = wrapTarget;
    wrapTarget = null;
    if (target == null || line.structured() || line.message().isEmpty() || target.reason == null) {
      return;
    }
    target.reason = Problems.cap(target.reason + line.message());
    target.errorClass = ErrorClassifier.classify(target.reason, ErrorClass.MODEL_LOAD_FAILED).id();
    errors.extendLast(line.message());
  }

  private void apply(TritonEvent e, ParsedLine line) {
    if (e instanceof Banner b) {
      program = program == null ? b.program() : program;
      enter(Stage.SERVER_INIT);
    } else if (e instanceof ServerVersion v) {
      tritonVersion = v.version();
    } else if (e instanceof WarningSeen w) {
      warnings.add(w.warningClass().id(), lineNo, w.text());
      if (w.warningClass() == WarningClass.CUDA_COMPAT) {
        enter(Stage.CUDA_CHECK);
      }
    } else if (e instanceof PinnedPool p) {
      figures.put(Figure.PINNED_MEMORY_BYTES, p.bytes());
      enter(Stage.MEMORY_POOLS);
    } else if (e instanceof CudaPool p) {
      figures.cudaPool(p.device(), p.bytes());
      enter(Stage.MEMORY_POOLS);
    } else if (e instanceof ModelLoading l) {
      ModelRecord m = model(l.model(), l.version(), true);
      if (m != null) {
        m.state = ModelState.LOADING;
        m.reason = null;
        m.loadingSince = now;
      }
      enter(Stage.MODEL_LOADING);
    } else if (e instanceof BackendInitialized b) {
      if (initializedBackends.size() < 32) {
        initializedBackends.add(b.backend());
      }
      if (!models.isEmpty()) {
        enter(Stage.BACKEND_INIT);
      }
    } else if (e instanceof ModelBackend b) {
      modelBackend(b);
    } else if (e instanceof PlatformDetected p) {
      if (program == Program.VLLM || !models.isEmpty()) {
        enter(Stage.BACKEND_INIT);
      }
    } else if (e instanceof EngineStarting s) {
      engineModel = s.model();
      if (program == null && models.isEmpty()) {
        program = Program.VLLM;
      }
      if (s.engineVersion() != null) {
        figures.put(Figure.VLLM_VERSION, s.engineVersion());
      }
      markVllmBackend();
      enter(Stage.BACKEND_INIT);
    } else if (e instanceof WeightsLoading w) {
      if (w.model() != null && engineModel == null) {
        engineModel = w.model();
      }
      markVllmBackend();
      enter(Stage.WEIGHT_LOADING);
    } else if (e instanceof DrafterLoading d) {
      drafter = true;
    } else if (e instanceof WeightsLoaded w && drafter) {
      figure(Figure.DRAFTER_WEIGHTS_LOAD_SECONDS, w.seconds());
    } else if (e instanceof WeightsLoaded w) {
      figure(Figure.WEIGHTS_LOAD_SECONDS, w.seconds());
      backdate(Stage.WEIGHT_LOADING, w.seconds());
    } else if (e instanceof ModelMemory m) {
      figure(Figure.WEIGHTS_GIB, m.gib());
      if (m.seconds() != null) {
        figure(Figure.MODEL_LOAD_SECONDS, m.seconds());
        backdate(Stage.WEIGHT_LOADING, m.seconds());
      } else {
        enter(Stage.WEIGHT_LOADING);
      }
    } else if (e instanceof GpuBudget g) {
      figure(Figure.TOTAL_GPU_MEMORY_GIB, g.totalGib());
      figure(Figure.GPU_MEMORY_UTILIZATION, g.utilization());
      enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof MemoryBreakdown b) {
      if (b.weightsGib() != null) {
        figures.putIfAbsent(Figure.WEIGHTS_GIB, b.weightsGib());
      }
      figure(Figure.NON_TORCH_GIB, b.nonTorchGib());
      figure(Figure.ACTIVATION_PEAK_GIB, b.activationPeakGib());
      figure(Figure.KV_CACHE_GIB, b.kvCacheGib());
      enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof KvCacheMemory k) {
      figure(Figure.KV_CACHE_GIB, k.gib());
      enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof MemoryProfiled p) {
      figure(Figure.MEMORY_PROFILING_SECONDS, p.seconds());
      backdate(Stage.MEMORY_PROFILING, p.seconds());
    } else if (e instanceof Blocks b) {
      figure(Figure.GPU_BLOCKS, b.gpuBlocks());
      figure(Figure.CPU_BLOCKS, b.cpuBlocks());
      enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof KvCacheTokens t) {
      figure(Figure.KV_CACHE_TOKENS, t.tokens());
      enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof MaxConcurrency c) {
      figure(Figure.MAX_CONCURRENCY, c.factor());
      figure(Figure.MAX_CONCURRENCY_TOKENS, c.tokensPerRequest());
      enter(Stage.MEMORY_PROFILING);
    } else if (e instanceof GraphCaptureStarted g) {
      enter(Stage.GRAPH_CAPTURE);
    } else if (e instanceof GraphCaptureFinished g) {
      figure(Figure.GRAPH_CAPTURE_SECONDS, g.seconds());
      figure(Figure.GRAPH_CAPTURE_GIB, g.gib());
      backdate(Stage.GRAPH_CAPTURE, g.seconds());
    } else if (e instanceof EngineInitialized i) {
      figure(Figure.ENGINE_INIT_SECONDS, i.seconds());
      enter(Stage.ENGINE_READY);
    } else if (e instanceof ModelLoaded l) {
      ModelRecord m = model(l.model(), l.version(), true);
      if (m != null) {
        m.state = ModelState.READY;
        m.reason = null;
        if (m.loadingSince != null && now != null) {
          m.figures.put(Figure.LOAD_SECONDS, seconds(m.loadingSince, now));
        }
      }
      enter(Stage.ENGINE_READY);
      if (readyAt == null && endpointsEarly && !services.isEmpty()) {
        maybeReady();
      }
    } else if (e instanceof EndpointsEarly x) {
      endpointsEarly = true;
    } else if (e instanceof ModelLoadFailed f) {
      modelFailed(f);
    } else if (e instanceof InstanceFailed f) {
      pendingInstanceFailure = f.reason();
      pendingInstanceClass = ErrorClassifier.classify(f.reason(), ErrorClass.MODEL_LOAD_FAILED).id();
      hold(pendingInstanceClass, f.reason(), true);
    } else if (e instanceof ModelUnloading u) {
      ModelRecord m = model(u.model(), u.version(), false);
      if (m != null && m.state != ModelState.FAILED) {
        m.state = ModelState.UNLOADING;
      }
    } else if (e instanceof ModelUnloaded u) {
      ModelRecord m = model(u.model(), u.version(), false);
      if (m != null && m.state != ModelState.FAILED) {
        m.state = ModelState.UNLOADED;
      }
    } else if (e instanceof TableRow r) {
      tables.row(r.cells());
    } else if (e instanceof TableBorder b) {
      tables.border();
    } else if (e instanceof ServiceStarted s) {
      services.add(new Service(s.kind().name().toLowerCase(java.util.Locale.ROOT), s.address(), s.port()));
      enter(Stage.SERVICES_STARTED);
      if (program != Program.VLLM || s.kind() != ServiceKind.HTTP || appStarted) {
        maybeReady();
      }
    } else if (e instanceof ApplicationStarted a) {
      appStarted = true;
      if (program == null && !hasTritonSide()) {
        program = Program.VLLM;
      }
      ModelRecord m = engineModel != null ? model(engineModel, null, true) : null;
      if (m != null && program == Program.VLLM) {
        m.state = ModelState.READY;
        m.backend = "vllm";
      }
      enter(Stage.SERVICES_STARTED);
      maybeReady();
    } else if (e instanceof ErrorSeen err) {
      if (line.structured()) {
        hold(err.errorClass().id(), err.text(), false);
      } else {
        errors.add(err.errorClass().id(), lineNo, err.text());
      }
      if (err.text().startsWith("Unable to allocate pinned") || err.text().contains("memory pool disabled")) {
        poolFailed = true;
      }
    } else if (e instanceof PythonException p) {
      pythonException(p, line.severity());
    } else if (e instanceof EngineFailed f) {
      engineFailure(f.text());
    } else if (e instanceof ServedModel s) {
      if (engineModel == null) {
        engineModel = s.model();
      }
    } else if (e instanceof Fatal f) {
      errors.add(f.errorClass().id(), lineNo, f.text());
      if (!hasTritonSide() && engineModel != null && readyAt == null) {
        // A standalone server that gives up takes its one model with it.
        engineFailureText = f.text();
        failEngineModel();
      }
      fail();
    } else if (e instanceof ShutdownStarted s) {
      if (readyAt == null && !fatal && !shutdown) {
        // Triton tears down straight after a failed load when it is told to exit on error.
        if (!errors.hasKind(ErrorClass.MODEL_LOAD_FAILED.id()) && !anyModelFailed()) {
          errors.add(ErrorClass.MODEL_LOAD_FAILED.id(), lineNo,
              "server began shutting down before it was ready: " + s.text());
        }
      }
      shutdown = true;
      standaloneShutdown(s.text());
    } else if (e instanceof FigureSeen f && drafter && f.figure() == Figure.TORCH_COMPILE_SECONDS
        && figures.get(Figure.TORCH_COMPILE_SECONDS) != null) {
      figure(Figure.DRAFTER_TORCH_COMPILE_SECONDS, f.value()); // the draft model compiles second
    } else if (e instanceof FigureSeen f) {
      if (f.figure() == Figure.MODEL_REPOSITORY_PATH) {
        figures.putIfAbsent(f.figure(), f.value()); // an error's path only where no option said it
      } else {
        figure(f.figure(), f.value());
      }
      Stage hinted = stageOf(f.figure().phase);
      if (hinted != null) {
        enter(hinted);
      }
    } else if (e instanceof GpuName g) {
      figures.putIfAbsent(Figure.GPU_NAME, g.name());

    }
  }

  /** An exception line outside any traceback: the last line of one whose start was not kept. */
  private void pythonException(PythonException p, char severity) {
    if (severity == 'W' || severity == 'I' || severity == 'D') {
      warnings.add(WarningClass.OTHER.id(), lineNo, p.text());
      return;
    }
    if (genericEngineFailure(p.text())) {
      engineFailure(p);
      return;
    }
    errors.add(p.errorClass().id(), lineNo, p.text());
    // A standalone vLLM server that raises before it serves is dead: it has no other way to fail.
    if (severity == ' ' && program == Program.VLLM && readyAt == null && !hasTritonSide()) {
      if (rawCause == null) {
        rawCause = p;
      }
      failEngineModel();
      fail();
    }
  }

  /**
   * The exception that closes a traceback, once per failure. Logged at error level it is the
   * root cause of whatever the engine reports next; printed raw, and before any sign of Triton,
   * it is an uncaught exception that ended the Python server.
   */
  private void tracebackRoot(PythonException p, char severity, boolean ignored) {
    if (ignored || severity == 'W' || severity == 'I' || severity == 'D') {
      warnings.add(WarningClass.OTHER.id(), lineNo, p.text());
      return;
    }
    if (genericEngineFailure(p.text())) {
      engineFailure(p);
      return;
    }
    if (!reprinted(p.text())) {
      errors.add(p.errorClass().id(), lineNo, p.text());
    }
    if (severity == ' ') {
      rawCause = rawCause == null ? p : rawCause;
    } else {
      rootCause = rootCause == null ? p : rootCause;
    }
    if (engineFailed) {
      failEngineModel();
    } else if (severity == ' ' && readyAt == null && !fatal && !hasTritonSide()) {
      failEngineModel();
      fail();
    }
  }

  /**
   * vLLM logs a dead engine's traceback at ERROR and the process prints it raw again; each
   * tensor-parallel rank prints its own: one failure, counted once.
   */
  private boolean reprinted(String exception) {
    if (exceptionsSeen.contains(exception)) {
      return true;
    }
    if (exceptionsSeen.size() < MAX_EXCEPTIONS_KEPT) {
      exceptionsSeen.add(exception);
    }
    return false;
  }

  /**
   * vLLM's front ends end a failure with their own summary that points back at the root cause
   * ("Engine core initialization failed. See root cause above", EngineDeadError): it counts
   * only when nothing better was seen.
   */
  private static boolean genericEngineFailure(String text) {
    return text.contains("Engine core initialization failed") || text.contains("EngineDeadError")
        || text.contains("See root cause above") || text.contains("See stack trace (above)");
  }

  private void engineFailure(PythonException generic) {
    if (rootCause == null && rawCause == null) {
      errors.add(generic.errorClass().id(), lineNo, generic.text());
    }
    engineFailure(generic.text());
  }

  private void engineFailure(String text) {
    engineFailed = true;
    if (engineFailureText == null) {
      engineFailureText = text;
    }
    failEngineModel();
    if (readyAt == null) {
      fail();
    }
  }

  /**
   * The served model fails with the root cause: the first exception logged at error level,
   * else the first printed raw, else the engine's own words (replaced once a cause arrives).
   */
  private void failEngineModel() {
    PythonException cause = rootCause != null ? rootCause : rawCause;
    String reason = cause != null ? cause.text() : engineFailureText;
    ModelRecord m = engineFailureModel();
    if (m == null || reason == null) {
      return;
    }
    if (m.state == ModelState.FAILED && m.reason != null && !engineReasonProvisional) {
      return;
    }
    if (m.state != ModelState.FAILED) {
      counts.modelFailure(m.name, m.version);
    }
    m.state = ModelState.FAILED;
    m.reason = Problems.cap(reason);
    m.errorClass = cause != null ? cause.errorClass().id()
        : ErrorClassifier.classify(reason, ErrorClass.OTHER).id();
    engineReasonProvisional = cause == null;
    if (readyAt == null && m.settled != null) {
      m.settled = ModelState.FAILED;
    }
  }

  /** Inside Triton the engine belongs to the model being loaded; standalone, to the one it serves. */
  private ModelRecord engineFailureModel() {
    if (hasTritonSide()) {
      return models.lastLoading();
    }
    return engineModel != null ? model(engineModel, null, true) : null;
  }

  /** TensorRT-LLM prints no stage lines; its figures say where it is. */
  private static Stage stageOf(Figure.Phase phase) {
    return switch (phase) {
      case POOLS -> Stage.MEMORY_POOLS;
      case WEIGHTS -> Stage.WEIGHT_LOADING;
      case MEMORY -> Stage.MEMORY_PROFILING;
      case GRAPHS -> Stage.GRAPH_CAPTURE;
      case NONE -> null;
    };
  }

  /** A standalone vLLM server's one model goes with its server. */
  private void standaloneShutdown(String text) {
    if (readyAt == null || hasTritonSide() || engineModel == null) {
      return;
    }
    ModelRecord m = model(engineModel, null, false);
    if (m != null && (m.state == ModelState.READY || m.state == ModelState.UNLOADING)) {
      m.state = text.startsWith("Application shutdown complete") ? ModelState.UNLOADED : ModelState.UNLOADING;
    }
  }

  /**
   * Each tensor-parallel rank prints its own KV cache before the engine settles on the
   * smallest: the engine runs with the minimum, whichever rank printed last.
   */
  private static boolean smallestWins(Figure figure) {
    return switch (figure) {
      case KV_CACHE_GIB, KV_CACHE_TOKENS, GPU_BLOCKS, MAX_CONCURRENCY -> true;
      default -> false;
    };
  }

  private void figure(Figure name, Object value) {
    if (value == null) {
      return;
    }
    ModelRecord m = engineTarget();
    if (m == null) {
      figures.put(name, kept(name, figures.get(name), value));
      return;
    }
    // The minimum is over one engine's ranks; another model's engine starts its own.
    Object v = kept(name, m.figures.get(name), value);
    m.figures.put(name, v);
    figures.put(name, v);
  }

  /** Each rank times its own weights and compile: the engine waited for the slowest. */
  private static boolean largestWins(Figure figure) {
    return switch (figure) {
      case WEIGHTS_LOAD_SECONDS, MODEL_LOAD_SECONDS, TORCH_COMPILE_SECONDS, DYNAMO_TRANSFORM_SECONDS,
          GRAPH_CAPTURE_SECONDS -> true;
      default -> false;
    };
  }

  private static Object kept(Figure name, Object had, Object now) {
    if (had instanceof Number h && now instanceof Number n
        && (smallestWins(name) && h.doubleValue() < n.doubleValue()
            || largestWins(name) && h.doubleValue() > n.doubleValue())) {
      return had;
    }
    return now;
  }

  /** Engine figures belong to the model whose engine printed them: the one loading now. */
  private ModelRecord engineTarget() {
    ModelRecord found = models.lastLoading();
    if (found == null && engineModel != null && program == Program.VLLM && !hasTritonSide()) {
      found = model(engineModel, null, true);
    }
    return found;
  }

  boolean hasTritonSide() {
    return program == Program.TRITON || tritonVersion != null || anyServiceBesidesHttp() || modelTableSeen
        || models.anyVersioned();
  }

  private boolean anyServiceBesidesHttp() {
    for (Service s : services) {
      if (!s.kind().equals("http")) {
        return true;
      }
    }
    return false;
  }

  private void markVllmBackend() {
    for (ModelRecord m : models.all()) {
      if (m.state == ModelState.LOADING && (m.backend == null || m.backend.equals("python"))) {
        m.backend = "vllm";
      }
    }
  }

  private void modelBackend(ModelBackend b) {
    if (b.backend() == null) {
      return;
    }
    ModelRecord m = b.instance() ? models.ofInstance(b.model()) : model(b.model(), b.version(), false);
    if (m != null && !"vllm".equals(m.backend)) {
      m.backend = b.backend().equals("fastertransformer") && initializedBackends.contains("turbomind")
          ? "turbomind" : b.backend();
    }
    enter(Stage.BACKEND_INIT);
  }

  private void modelFailed(ModelLoadFailed f) {
    if (f.version() == null && f.reason() == null && models.anyFailedNamed(f.model())) {
      return; // the short "failed to load 'x'" that closes the detailed line for one version
    }
    ModelRecord m = model(f.model(), f.version(), true);
    if (m == null) {
      return;
    }
    String reason = f.reason();
    if (reason == null && m.state == ModelState.FAILED && m.reason != null) {
      return; // the short "failed to load 'x'" that follows the detailed one
    }
    if (reason == null) {
      reason = pendingInstanceFailure;
    }
    if (m.state != ModelState.FAILED) {
      counts.modelFailure(m.name, m.version);
    }
    m.state = ModelState.FAILED;
    m.reason = Problems.cap(reason);
    m.errorClass = ErrorClassifier.classify(reason == null ? "" : reason, ErrorClass.MODEL_LOAD_FAILED).id();
    pendingInstanceFailure = null;
    // The error is the failed load; the class of its cause is the model's (errorClass).
    errors.add(ErrorClass.MODEL_LOAD_FAILED.id(), lineNo, "failed to load '" + m.name + "'"
        + (m.version != null ? " version " + m.version : "") + (reason != null ? ": " + reason : ""));
    wrapTarget = m;
  }

  private boolean anyModelFailed() {
    return models.any(ModelState.FAILED);
  }

  @Override
  public void header(TableReader.Kind kind) {
    if (kind == TableReader.Kind.MODELS) {
      modelTableSeen = true;
      enter(Stage.MODEL_STATUS);
    }
  }

  @Override
  public void row(TableReader.Kind kind, List<String> cells) {
    if (kind == TableReader.Kind.MODELS && cells.size() >= 3) {
      modelRow(cells.get(0), cells.get(1), cells.get(2));
    } else if (kind == TableReader.Kind.OPTIONS && cells.size() >= 2) {
      option(cells.get(0), cells.get(1));
    }
  }

  private void modelRow(String name, String version, String status) {
    if (name.isEmpty()) {
      return;
    }
    ModelRecord m = model(name, version.isEmpty() ? null : version, true);
    if (m == null) {
      return;
    }
    if (status.startsWith("READY")) {
      m.state = ModelState.READY;
    } else if (status.startsWith("UNAVAILABLE")) {
      int colon = status.indexOf(':');
      String reason = colon >= 0 ? status.substring(colon + 1).strip() : null;
      if (reason != null && !reason.isEmpty() && !reason.equals("unloaded")) {
        if (m.state != ModelState.FAILED) {
          counts.modelFailure(m.name, m.version);
          m.errorClass = ErrorClassifier.classify(reason, ErrorClass.MODEL_LOAD_FAILED).id();
          errors.add(m.errorClass, lineNo, "model '" + name + "' UNAVAILABLE: " + reason);
        }
        m.state = ModelState.FAILED;
        if (m.reason == null) {
          m.reason = Problems.cap(reason.replaceAll("\\s{2,}", " "));
        }
      } else if (m.state != ModelState.FAILED) {
        m.state = ModelState.UNAVAILABLE;
      }
    } else if (status.startsWith("UNLOADING")) {
      m.state = ModelState.UNLOADING;
    } else if (status.startsWith("LOADING")) {
      m.state = ModelState.LOADING;
    }
  }

  private void option(String key, String value) {
    switch (key) {
      case "server_version" -> tritonVersion = value;
      case "model_control_mode" -> figures.put(Figure.MODEL_CONTROL_MODE, value);
      case "model_repository_path[0]", "model_repository_path" -> figures.put(Figure.MODEL_REPOSITORY_PATH, value);
      case "exit_timeout" -> figures.put(Figure.EXIT_TIMEOUT_SECONDS, parseDouble(value));
      case "strict_model_config" -> figures.put(Figure.STRICT_MODEL_CONFIG, parseDouble(value));
      case "pinned_memory_pool_byte_size" -> {
        Double bytes = parseDouble(value);
        if (bytes != null && !poolFailed) {
          figures.putIfAbsent(Figure.PINNED_MEMORY_BYTES, bytes.longValue());
        }
      }
      default -> cudaPoolOption(key, value);
    }
  }

  private void cudaPoolOption(String key, String value) {
    if (!poolFailed && key.startsWith("cuda_memory_pool_byte_size{") && key.endsWith("}")) {
      Double bytes = parseDouble(value);
      try {
        int device = Integer.parseInt(key.substring(key.indexOf('{') + 1, key.length() - 1));
        if (bytes != null) {
          figures.cudaPoolIfAbsent(device, bytes.longValue());
        }
      } catch (NumberFormatException e) {
        // not a device number: not a pool we can name
      }
    }
  }

  private static Double parseDouble(String s) {
    try {
      return Double.valueOf(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private ModelRecord model(String name, String version, boolean create) {
    return models.find(name, version, create, now);
  }


  private void enter(Stage stage) {
    if (fatal) {
      return; // what a dead server still prints (an exception's figures) moves no stage
    }
    clock.enter(stage, now);
  }

  private void backdate(Stage stage, double seconds) {
    clock.backdate(stage, seconds, now);
  }

  private void maybeReady() {
    if (fatal || now == null || endpointsEarly && models.isEmpty()) {
      return;
    }
    boolean modelsSettled = !models.any(ModelState.LOADING);
    if (program == Program.VLLM && !hasTritonSide()) {
      if (!appStarted) {
        return;
      }
    } else if (!modelsSettled) {
      return;
    }
    // Each further service line moves the moment forward: ready means all of them are up.
    readyAt = now;
    settleModels();
    clock.ready(now);
  }

  void exited(Instant at, Long code) {
    releaseHeld();
    if (readyAt != null || fatal) {
      return;
    }
    now = at;
    String text = "the container exited" + (code == null ? "" : " with code " + code)
        + " before the server was ready";
    errors.add(code != null && code == 137 ? ErrorClass.OOM.id() : ErrorClass.OTHER.id(), lineNo, text);
    fail();
  }

  private void settleModels() {
    models.settle();
  }

  private void fail() {
    if (!fatal) {
      settleModels();
    }
    fatal = true;
    if (failedAt == null && now != null) {
      failedAt = now;
    }
    clock.failed(now);
  }

  Outcome outcome() {
    if (fatal) {
      return Outcome.FAILED;
    }
    if (readyAt != null) {
      return models.anyFailedAtSettle() || pendingInstanceFailure != null && models.isEmpty()
          ? Outcome.PARTIAL : Outcome.READY;
    }
    return Outcome.INCOMPLETE;
  }

  Double startupSeconds() {
    Instant end = readyAt != null ? readyAt : failedAt;
    return start != null && end != null ? seconds(start, end) : null;
  }

  static double seconds(Instant a, Instant b) {
    return Math.round(Duration.between(a, b).toNanos() / 1e6) / 1000.0;
  }

  List<ModelSummary> modelSummaries() {
    List<ModelSummary> out = new ArrayList<>(models.size() + 1);
    for (ModelRecord m : models.all()) {
      out.add(m.summary());
    }
    if (pendingInstanceFailure != null && !anyModelFailed()) {
      // The instance error names no model and no "failed to load" followed (yet).
      out.add(new ModelSummary("unknown", null, ModelState.FAILED, ModelState.FAILED, null,
          pendingInstanceFailure,
          pendingInstanceClass, Map.of()));
    }
    return out;
  }

  RunSummary runSummary() {
    return new RunSummary(outcome(), start, startLine, startupSeconds(), modelSummaries(),
        List.copyOf(services), figures.snapshot(), clock.spans(), RunSummary.firstErrors(errorList()));
  }
}
