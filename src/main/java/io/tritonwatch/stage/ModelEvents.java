package io.tritonwatch.stage;

import io.tritonwatch.parse.ErrorClassifier;
import io.tritonwatch.parse.Figure;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.parse.TritonEvent;
import io.tritonwatch.parse.TritonEvent.*;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the lines say of the models, into the run's {@link ModelBook}: loading, the backend,
 * loaded, failed (with the reason), unloaded; and Triton's model and option tables.
 */
final class ModelEvents implements TableReader.Sink {

  private final StartupRun run;
  /** The name TRITONBACKEND_Initialize gave, which tells TurboMind from FasterTransformer. */
  private final Set<String> initializedBackends = new LinkedHashSet<>();

  ModelEvents(StartupRun run) {
    this.run = run;
  }

  /** @return whether the event was a model's: loading, its backend, loaded, failed, unloaded */
  boolean apply(TritonEvent e, ParsedLine line) {
    if (e instanceof ModelLoading l) {
      ModelRecord m = run.model(l.model(), l.version(), true);
      if (m != null) {
        m.state = ModelState.LOADING;
        m.reason = null;
        m.loadingSince = run.now;
      }
      run.enter(Stage.MODEL_LOADING);
    } else if (e instanceof BackendInitialized b) {
      if (initializedBackends.size() < 32) {
        initializedBackends.add(b.backend());
      }
      if (!run.models.isEmpty()) {
        run.enter(Stage.BACKEND_INIT);
      }
    } else if (e instanceof ModelBackend b) {
      modelBackend(b);
    } else if (e instanceof PlatformDetected p) {
      if (run.program == Program.VLLM || !run.models.isEmpty()) {
        run.enter(Stage.BACKEND_INIT);
      }
    } else if (e instanceof EngineStarting s) {
      run.engineModel = s.model();
      if (run.program == null && run.models.isEmpty()) {
        run.program = Program.VLLM;
      }
      if (s.engineVersion() != null) {
        run.figures.put(Figure.VLLM_VERSION, s.engineVersion());
      }
      markVllmBackend();
      run.enter(Stage.BACKEND_INIT);
    } else if (e instanceof WeightsLoading w) {
      if (w.model() != null && run.engineModel == null) {
        run.engineModel = w.model();
      }
      markVllmBackend();
      run.enter(Stage.WEIGHT_LOADING);
    } else if (e instanceof ModelLoaded l) {
      ModelRecord m = run.model(l.model(), l.version(), true);
      if (m != null) {
        m.state = ModelState.READY;
        m.reason = null;
        if (m.loadingSince != null && run.now != null) {
          m.figures.put(Figure.LOAD_SECONDS, StartupRun.seconds(m.loadingSince, run.now));
        }
      }
      run.enter(Stage.ENGINE_READY);
      if (run.readyAt == null && run.endpointsEarly && !run.services.isEmpty()) {
        run.maybeReady();
      }
    } else if (e instanceof EndpointsEarly x) {
      run.endpointsEarly = true;
    } else if (e instanceof ModelLoadFailed f) {
      modelFailed(f);
    } else if (e instanceof InstanceFailed f) {
      run.pendingInstanceFailure = f.reason();
      run.pendingInstanceClass = ErrorClassifier.classify(f.reason(), ErrorClass.MODEL_LOAD_FAILED).id();
      run.hold(run.pendingInstanceClass, f.reason(), true);
    } else if (e instanceof ModelUnloading u) {
      ModelRecord m = run.model(u.model(), u.version(), false);
      if (m != null && m.state != ModelState.FAILED) {
        m.state = ModelState.UNLOADING;
      }
    } else if (e instanceof ModelUnloaded u) {
      ModelRecord m = run.model(u.model(), u.version(), false);
      if (m != null && m.state != ModelState.FAILED) {
        m.state = ModelState.UNLOADED;
      }
    } else if (e instanceof ServedModel s) {
      if (run.engineModel == null) {
        run.engineModel = s.model();
      }
    } else {
      return false;
    }
    return true;
  }

  void markVllmBackend() {
    for (ModelRecord m : run.models.all()) {
      if (m.state == ModelState.LOADING && (m.backend == null || m.backend.equals("python"))) {
        m.backend = "vllm";
      }
    }
  }

  private void modelBackend(ModelBackend b) {
    if (b.backend() == null) {
      return;
    }
    ModelRecord m = b.instance() ? run.models.ofInstance(b.model()) : run.model(b.model(), b.version(), false);
    if (m != null && !"vllm".equals(m.backend)) {
      m.backend = b.backend().equals("fastertransformer") && initializedBackends.contains("turbomind")
          ? "turbomind" : b.backend();
    }
    run.enter(Stage.BACKEND_INIT);
  }

  private void modelFailed(ModelLoadFailed f) {
    if (f.version() == null && f.reason() == null && run.models.anyFailedNamed(f.model())) {
      return; // the short "failed to load 'x'" that closes the detailed line for one version
    }
    ModelRecord m = run.model(f.model(), f.version(), true);
    if (m == null) {
      return;
    }
    String reason = f.reason();
    if (reason == null && m.state == ModelState.FAILED && m.reason != null) {
      return; // the short "failed to load 'x'" that follows the detailed one
    }
    if (reason == null) {
      reason = run.pendingInstanceFailure;
    }
    if (m.state != ModelState.FAILED) {
      run.counts.modelFailure(m.name, m.version);
    }
    m.state = ModelState.FAILED;
    m.reason = Problems.cap(reason);
    m.errorClass = ErrorClassifier.classify(reason == null ? "" : reason, ErrorClass.MODEL_LOAD_FAILED).id();
    run.pendingInstanceFailure = null;
    // The error is the failed load; the class of its cause is the model's (errorClass).
    run.errors.add(ErrorClass.MODEL_LOAD_FAILED.id(), run.lineNo, "failed to load '" + m.name + "'"
        + (m.version != null ? " version " + m.version : "") + (reason != null ? ": " + reason : ""));
    run.wrapTarget = m;
  }

  @Override
  public void header(TableReader.Kind kind) {
    if (kind == TableReader.Kind.MODELS) {
      run.modelTableSeen = true;
      run.enter(Stage.MODEL_STATUS);
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
    ModelRecord m = run.model(name, version.isEmpty() ? null : version, true);
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
          run.counts.modelFailure(m.name, m.version);
          m.errorClass = ErrorClassifier.classify(reason, ErrorClass.MODEL_LOAD_FAILED).id();
          run.errors.add(m.errorClass, run.lineNo, "model '" + name + "' UNAVAILABLE: " + reason);
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
      case "server_version" -> run.tritonVersion = value;
      case "model_control_mode" -> run.figures.put(Figure.MODEL_CONTROL_MODE, value);
      case "model_repository_path[0]", "model_repository_path" -> run.figures.put(Figure.MODEL_REPOSITORY_PATH, value);
      case "exit_timeout" -> run.figures.put(Figure.EXIT_TIMEOUT_SECONDS, parseDouble(value));
      case "strict_model_config" -> run.figures.put(Figure.STRICT_MODEL_CONFIG, parseDouble(value));
      case "pinned_memory_pool_byte_size" -> {
        Double bytes = parseDouble(value);
        if (bytes != null && !run.poolFailed) {
          run.figures.putIfAbsent(Figure.PINNED_MEMORY_BYTES, bytes.longValue());
        }
      }
      default -> cudaPoolOption(key, value);
    }
  }

  private void cudaPoolOption(String key, String value) {
    if (!run.poolFailed && key.startsWith("cuda_memory_pool_byte_size{") && key.endsWith("}")) {
      Double bytes = parseDouble(value);
      try {
        int device = Integer.parseInt(key.substring(key.indexOf('{') + 1, key.length() - 1));
        if (bytes != null) {
          run.figures.cudaPoolIfAbsent(device, bytes.longValue());
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
}
