package io.tritonwatch.stage;

import io.tritonwatch.parse.ErrorClassifier;
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
final class StartupRun {

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
  final ModelEvents modelEvents = new ModelEvents(this);
  final FigureBook figureBook = new FigureBook(this);
  final Failures failures = new Failures(this);
  final TableReader tables = new TableReader(modelEvents);
  private final Tracebacks tracebacks = new Tracebacks();
  boolean fatal;
  boolean shutdown;
  boolean appStarted;
  boolean modelTableSeen;
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
  Instant now;
  long lineNo;

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
        failures.tracebackRoot((PythonException) events.get(0), tracebacks.severity(), role == Tracebacks.Role.IGNORED_ROOT);
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

  void hold(String kind, String text, boolean instance) {
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
  /**
   * Routes an event: run life and readiness are kept here; models, figures and problems each
   * have their own book.
   */
  private void apply(TritonEvent e, ParsedLine line) {
    if (!runEvent(e) && !modelEvents.apply(e, line) && !figureBook.apply(e)) {
      failures.apply(e, line);
    }
  }

  /** @return whether the event was the run's own: its banner, version, tables, services */
  private boolean runEvent(TritonEvent e) {
    if (e instanceof Banner b) {
      program = program == null ? b.program() : program;
      enter(Stage.SERVER_INIT);
    } else if (e instanceof ServerVersion v) {
      tritonVersion = v.version();
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
    } else {
      return false;
    }
    return true;
  }

  /** Engine figures belong to the model whose engine printed them: the one loading now. */
  ModelRecord engineTarget() {
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

  boolean anyModelFailed() {
    return models.any(ModelState.FAILED);
  }

  ModelRecord model(String name, String version, boolean create) {
    return models.find(name, version, create, now);
  }

  void enter(Stage stage) {
    if (fatal) {
      return; // what a dead server still prints (an exception's figures) moves no stage
    }
    clock.enter(stage, now);
  }

  void backdate(Stage stage, double seconds) {
    clock.backdate(stage, seconds, now);
  }

  void maybeReady() {
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

  void exited(Instant at, Long code, String reason) {
    releaseHeld();
    if (readyAt != null || fatal) {
      return;
    }
    now = at;
    String text = "the container exited" + (code == null ? "" : " with code " + code)
        + (reason == null ? "" : " (" + reason + ")") + " before the server was ready";
    boolean oom = code != null && code == 137 || "OOMKilled".equals(reason);
    errors.add(oom ? ErrorClass.OOM.id() : ErrorClass.OTHER.id(), lineNo, text);
    fail();
  }

  private void settleModels() {
    models.settle();
  }

  void fail() {
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
