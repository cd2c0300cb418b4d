package io.tritonwatch.stage;

import io.tritonwatch.parse.ErrorClassifier;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.parse.TritonEvent;
import io.tritonwatch.parse.TritonEvent.*;
import java.util.HashSet;
import java.util.Set;

/**
 * What goes wrong in a start-up: warnings, errors, exceptions and the death of a vLLM engine,
 * which fails the served model with its root cause (the first exception logged at error
 * level, else the first printed raw, else the engine's own words).
 */
final class Failures {

  private static final int MAX_EXCEPTIONS_KEPT = 64;
  private final StartupRun run;
  private final Set<String> exceptionsSeen = new HashSet<>();
  /** The first exception of a traceback logged at error level: a failure's root cause. */
  private PythonException rootCause;
  /** The first exception of a traceback printed raw (no log header), used when no logged one exists. */
  private PythonException rawCause;
  /** A vLLM engine said it died; its model fails with the root cause once one is known. */
  private boolean engineFailed;
  private String engineFailureText;
  /** The engine model's reason is only the engine's own words, not yet its root cause. */
  private boolean engineReasonProvisional;

  Failures(StartupRun run) {
    this.run = run;
  }

  /** @return whether the event was a problem's: a warning, an error, an exception, an engine's death, a run.shutdown */
  boolean apply(TritonEvent e, ParsedLine line) {
    if (e instanceof WarningSeen w) {
      run.warnings.add(w.warningClass().id(), run.lineNo, w.text());
      if (w.warningClass() == WarningClass.CUDA_COMPAT) {
        run.enter(Stage.CUDA_CHECK);
      }
    } else if (e instanceof ErrorSeen err) {
      if (line.structured()) {
        run.hold(err.errorClass().id(), err.text(), false);
      } else {
        run.errors.add(err.errorClass().id(), run.lineNo, err.text());
      }
      if (err.text().startsWith("Unable to allocate pinned") || err.text().contains("memory pool disabled")) {
        run.poolFailed = true;
      }
    } else if (e instanceof PythonException p) {
      pythonException(p, line.severity());
    } else if (e instanceof EngineFailed f) {
      engineFailure(f.text());
    } else if (e instanceof Fatal f) {
      run.errors.add(f.errorClass().id(), run.lineNo, f.text());
      if (!run.hasTritonSide() && run.engineModel != null && run.readyAt == null) {
        // A standalone server that gives up takes its one model with it.
        engineFailureText = f.text();
        failEngineModel();
      }
      run.fail();
    } else if (e instanceof ShutdownStarted s) {
      if (run.readyAt == null && !run.fatal && !run.shutdown) {
        // Triton tears down straight after a failed load when it is told to exit on error.
        if (!run.errors.hasKind(ErrorClass.MODEL_LOAD_FAILED.id()) && !run.anyModelFailed()) {
          run.errors.add(ErrorClass.MODEL_LOAD_FAILED.id(), run.lineNo,
              "server began shutting down before it was ready: " + s.text());
        }
      }
      run.shutdown = true;
      standaloneShutdown(s.text());
    } else {
      return false;
    }
    return true;
  }

  /** An exception line outside any traceback: the last line of one whose start was not kept. */
  private void pythonException(PythonException p, char severity) {
    if (severity == 'W' || severity == 'I' || severity == 'D') {
      run.warnings.add(WarningClass.OTHER.id(), run.lineNo, p.text());
      return;
    }
    if (genericEngineFailure(p.text())) {
      engineFailure(p);
      return;
    }
    run.errors.add(p.errorClass().id(), run.lineNo, p.text());
    // A standalone vLLM server that raises before it serves is dead: it has no other way to fail.
    if (severity == ' ' && run.program == Program.VLLM && run.readyAt == null && !run.hasTritonSide()) {
      if (rawCause == null) {
        rawCause = p;
      }
      failEngineModel();
      run.fail();
    }
  }

  /**
   * The exception that closes a traceback, once per failure. Logged at error level it is the
   * root cause of whatever the engine reports next; printed raw, and before any sign of Triton,
   * it is an uncaught exception that ended the Python server.
   */
  void tracebackRoot(PythonException p, char severity, boolean ignored) {
    if (ignored || severity == 'W' || severity == 'I' || severity == 'D') {
      run.warnings.add(WarningClass.OTHER.id(), run.lineNo, p.text());
      return;
    }
    if (genericEngineFailure(p.text())) {
      engineFailure(p);
      return;
    }
    if (!reprinted(p.text())) {
      run.errors.add(p.errorClass().id(), run.lineNo, p.text());
    }
    if (severity == ' ') {
      rawCause = rawCause == null ? p : rawCause;
    } else {
      rootCause = rootCause == null ? p : rootCause;
    }
    if (engineFailed) {
      failEngineModel();
    } else if (severity == ' ' && run.readyAt == null && !run.fatal && !run.hasTritonSide()) {
      failEngineModel();
      run.fail();
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
      run.errors.add(generic.errorClass().id(), run.lineNo, generic.text());
    }
    engineFailure(generic.text());
  }

  private void engineFailure(String text) {
    engineFailed = true;
    if (engineFailureText == null) {
      engineFailureText = text;
    }
    failEngineModel();
    if (run.readyAt == null) {
      run.fail();
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
      run.counts.modelFailure(m.name, m.version);
    }
    m.state = ModelState.FAILED;
    m.reason = Problems.cap(reason);
    m.errorClass = cause != null ? cause.errorClass().id()
        : ErrorClassifier.classify(reason, ErrorClass.OTHER).id();
    engineReasonProvisional = cause == null;
    if (run.readyAt == null && m.settled != null) {
      m.settled = ModelState.FAILED;
    }
  }

  /** Inside Triton the engine belongs to the model being loaded; standalone, to the one it serves. */
  private ModelRecord engineFailureModel() {
    if (run.hasTritonSide()) {
      return run.models.lastLoading();
    }
    return run.engineModel != null ? run.model(run.engineModel, null, true) : null;
  }

  /** A standalone vLLM server's one model goes with its server. */
  private void standaloneShutdown(String text) {
    if (run.readyAt == null || run.hasTritonSide() || run.engineModel == null) {
      return;
    }
    ModelRecord m = run.model(run.engineModel, null, false);
    if (m != null && (m.state == ModelState.READY || m.state == ModelState.UNLOADING)) {
      m.state = text.startsWith("Application shutdown complete") ? ModelState.UNLOADED : ModelState.UNLOADING;
    }
  }
}
