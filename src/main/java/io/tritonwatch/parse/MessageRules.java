package io.tritonwatch.parse;

import io.tritonwatch.parse.TritonEvent.*;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one message (all prefixes already removed) into events. Each rule is guarded by a
 * plain substring test so that the bulk of a busy log, per-request lines, costs a few
 * {@code indexOf} calls and no regular expression. An expression anchored with '^' is matched
 * with {@code lookingAt} (here, in VllmRules and in TensorRtRules): {@code find} tries the
 * anchor again at every position of the message.
 */
final class MessageRules {

  private static final Pattern VERSION = Pattern.compile("Triton Server Version (\\S+)");
  private static final Pattern PINNED = Pattern.compile("Pinned memory pool is created at '[^']*' with size (\\d+)");
  private static final Pattern CUDA_POOL = Pattern.compile("CUDA memory pool is created on device (\\d+) with size (\\d+)");
  private static final Pattern BACKEND_INIT = Pattern.compile("^TRITONBACKEND_Initialize: (\\S+)");
  private static final Pattern MODEL_INIT = Pattern.compile("^TRITONBACKEND_ModelInitialize: (\\S+) \\(version (\\d+)\\)");
  private static final Pattern INSTANCE_INIT = Pattern.compile("^TRITONBACKEND_ModelInstanceInitialize: (\\S+) \\(");
  private static final Pattern LOADING = Pattern.compile("^loading: (.+):(\\d+)$");
  private static final Pattern UNLOADING = Pattern.compile("^unloading: (.+):(\\d+)$");
  private static final Pattern LOADED = Pattern.compile("successfully loaded '([^']+)'(?: version (\\d+))?");
  private static final Pattern UNLOADED = Pattern.compile("successfully unloaded '([^']+)'(?: version (\\d+))?");
  private static final Pattern FAILED = Pattern.compile("failed to load '([^']+)'(?: version (\\d+))?(?:: (.*))?", Pattern.DOTALL);
  private static final Pattern POLL_FAILED = Pattern.compile("(?:failed to poll model|Poll failed for model directory) '([^']+)'");
  private static final Pattern SERVICE = Pattern.compile(
      "^Start(?:ed|ing)(?: a)? (GRPCInferenceService|GRPCService|HTTPService|Metrics Service) at (\\S+):(\\d+)");
  /** TRTIS 19.04: "Starting endpoints, 'inference:0' listening on" and then one line per endpoint. */
  private static final Pattern ENDPOINT = Pattern.compile("^(\\S+):(\\d+) for (gRPC requests|HTTP requests|metric reporting)");
  private static final Pattern NVML_GPU = Pattern.compile("^GPU (\\d+): (.+)");
  private static final Pattern TEXT_FILE = Pattern.compile("^failed to open text file for read (/\\S*?)/[^/\\s]+/config\\.pbtxt");
  /** TRTIS 19.04 loaded models through TensorFlow Serving's loader and used its words. */
  private static final Pattern SERVABLE = Pattern.compile(
      "servable version \\{name: (\\S+) version: (\\d+)\\}(?:: (.*))?", Pattern.DOTALL);
  private static final Pattern ARGPARSE = Pattern.compile("^[\\w.-]+\\.py: error: ");
  private static final Pattern SERVICE_FAILED = Pattern.compile("^failed to start (\\w+) service: (.*)");
  private static final Pattern PY_EXCEPTION = Pattern.compile(
      "^(?:[A-Za-z_]\\w*\\.)*[A-Z]\\w*(?:Error|Exception)(?:: .*)?");
  private static final Pattern FRAME = Pattern.compile("^File \"[^\"]*\", line \\d+");
  private static final TritonEvent TRACEBACK_START = new TracebackStart();
  private static final TritonEvent TRACEBACK_FRAME = new TracebackFrame();
  private static final TritonEvent EXCEPTION_CHAINED = new ExceptionChained();
  private static final TritonEvent EXCEPTION_IGNORED = new ExceptionIgnored();
  private static final Pattern GPU_NAME = Pattern.compile("^Collecting metrics for GPU (\\d+): (.+)");

  private MessageRules() {}

  static List<TritonEvent> read(String msg, char severity, String source) {
    List<TritonEvent> out = new ArrayList<>(1);
    if (msg.isEmpty()) {
      return out;
    }
    char first = msg.charAt(0);
    if (first == '+' || first == '|') {
      table(msg, out);
      return out;
    }
    if (first == '=') {
      if (msg.contains("== Triton Inference Server ==")) {
        out.add(new Banner(Program.TRITON));
      } else if (msg.contains("== vLLM ==")) {
        out.add(new Banner(Program.VLLM));
      }
      return out;
    }
    if (python(msg, first, out)) {
      return out;
    }
    triton(msg, severity, source, out);
    if (out.isEmpty()) {
      VllmRules.read(msg, severity, out);
    }
    if (out.isEmpty()) {
      TensorRtRules.read(msg, out);
    }
    if (out.isEmpty()) {
      generic(msg, severity, source, out);
    }
    return out;
  }

  /**
   * The shapes of a Python traceback, at any level: vLLM logs a failed engine's traceback line
   * by line at ERROR and then prints it raw. The tracker folds each one into one failure.
   */
  private static boolean python(String msg, char first, List<TritonEvent> out) {
    if (first == 'T' && msg.startsWith("Traceback (most recent call last)")) {
      out.add(TRACEBACK_START);
    } else if (first == 'F' && msg.startsWith("File \"") && FRAME.matcher(msg).lookingAt()) {
      out.add(TRACEBACK_FRAME);
    } else if (first == 'T' && msg.startsWith("The above exception was the direct cause")
        || first == 'D' && msg.startsWith("During handling of the above exception")) {
      out.add(EXCEPTION_CHAINED);
    } else if (first == 'E' && msg.startsWith("Exception ignored in")) {
      out.add(EXCEPTION_IGNORED);
    } else if (mayBePythonException(msg) && PY_EXCEPTION.matcher(msg).matches()) {
      out.add(new PythonException(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
      if (msg.contains(" GiB")) {
        VllmRules.memoryAtStart(msg, out);
      }
    }
    return !out.isEmpty();
  }

  private static void table(String msg, List<TritonEvent> out) {
    String t = msg.strip();
    if (t.startsWith("+") && t.endsWith("+") && onlyBorder(t)) {
      out.add(new TableBorder());
      return;
    }
    if (t.startsWith("|") && t.endsWith("|") && t.length() >= 2) {
      String inner = t.substring(1, t.length() - 1);
      List<String> cells = new ArrayList<>();
      for (String cell : inner.split("\\|", -1)) {
        // Keep inner padding: a wrapped cell continues exactly where the previous row cut it.
        String c = cell.startsWith(" ") ? cell.substring(1) : cell;
        c = c.endsWith(" ") ? c.substring(0, c.length() - 1) : c;
        cells.add(c);
      }
      out.add(new TableRow(cells));
    }
  }

  private static boolean onlyBorder(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c != '+' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static void triton(String msg, char severity, String source, List<TritonEvent> out) {
    Matcher m;
    if (msg.startsWith("loading: ") && (m = LOADING.matcher(msg)).lookingAt()) {
      out.add(new ModelLoading(m.group(1), m.group(2)));
    } else if (msg.startsWith("unloading: ") && (m = UNLOADING.matcher(msg)).lookingAt()) {
      out.add(new ModelUnloading(m.group(1), m.group(2)));
    } else if (msg.startsWith("successfully loaded") && (m = LOADED.matcher(msg)).find()) {
      out.add(new ModelLoaded(m.group(1), m.group(2)));
    } else if (msg.startsWith("successfully unloaded") && (m = UNLOADED.matcher(msg)).find()) {
      out.add(new ModelUnloaded(m.group(1), m.group(2)));
    } else if (msg.startsWith("failed to load '") && (m = FAILED.matcher(msg)).lookingAt()) {
      out.add(new ModelLoadFailed(m.group(1), m.group(2), m.group(3)));
    } else if ((msg.startsWith("failed to poll model") || msg.startsWith("Poll failed for model"))
        && (m = POLL_FAILED.matcher(msg)).find()) {
      out.add(new ModelLoadFailed(m.group(1), null, msg));
    } else if (msg.startsWith("Start") && (m = SERVICE.matcher(msg)).lookingAt()) {
      ServiceKind kind = switch (m.group(1)) {
        case "GRPCInferenceService", "GRPCService" -> ServiceKind.GRPC;
        case "HTTPService" -> ServiceKind.HTTP;
        default -> ServiceKind.METRICS;
      };
      out.add(new ServiceStarted(kind, m.group(2), Integer.parseInt(m.group(3))));
    } else if (msg.startsWith("Starting endpoints")) {
      out.add(new EndpointsEarly());
    } else if (msg.contains(" for ") && (m = ENDPOINT.matcher(msg)).lookingAt()) {
      ServiceKind kind = m.group(3).startsWith("g") ? ServiceKind.GRPC
          : m.group(3).startsWith("H") ? ServiceKind.HTTP : ServiceKind.METRICS;
      out.add(new ServiceStarted(kind, m.group(1), Integer.parseInt(m.group(2))));
    } else if (msg.startsWith("failed to start ") && (m = SERVICE_FAILED.matcher(msg)).lookingAt()) {
      out.add(new Fatal(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
    } else if (msg.startsWith("error: creating server")) {
      out.add(new Fatal(ErrorClassifier.classify(msg, ErrorClass.MODEL_LOAD_FAILED), msg));
    } else if (msg.contains("servable version {") && (m = SERVABLE.matcher(msg)).find()) {
      servable(msg, m, out);
    } else if (msg.startsWith("WARNING: [Torch-TensorRT] - Unable to read CUDA capable devices")) {
      // The CUDA runtime cannot list the GPUs (status 35: driver too old, 100: no device).
      out.add(new ErrorSeen(ErrorClass.CUDA, msg));
    } else if (msg.startsWith("ERROR: illegal value") || msg.startsWith("ERROR: unknown command line flag")
        || msg.startsWith("ERROR: flag '")) {
      // gflags stops tritonserver before anything starts.
      out.add(new Fatal(ErrorClass.CONFIG, msg));
    } else if (msg.startsWith("TRITONBACKEND_")) {
      backend(msg, source, out);
    } else if (msg.contains("memory pool")) {
      pools(msg, out);
    } else if (msg.contains("ERROR: Failed to create instance: ")) {
      out.add(new InstanceFailed(msg.substring(msg.indexOf("Failed to create instance: "))));
    } else if (msg.startsWith("Triton Server Version") && (m = VERSION.matcher(msg)).find()) {
      out.add(new ServerVersion(m.group(1)));
    } else if (msg.startsWith("failed to open text file for read ")) {
      out.add(new ErrorSeen(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
      if ((m = TEXT_FILE.matcher(msg)).lookingAt()) {
        out.add(new FigureSeen(Figure.MODEL_REPOSITORY_PATH, m.group(1)));
      }
    } else if (msg.startsWith("GPU ") && (m = NVML_GPU.matcher(msg)).lookingAt()) {
      out.add(new GpuName(Integer.parseInt(m.group(1)), m.group(2).strip()));
    } else if (msg.startsWith("Signal (") || msg.startsWith("Waiting for in-flight")
        || msg.startsWith("Interrupt signal (")) {
      out.add(new ShutdownStarted(msg));
    } else if (msg.startsWith("Collecting metrics for GPU") && (m = GPU_NAME.matcher(msg)).lookingAt()) {
      out.add(new GpuName(Integer.parseInt(m.group(1)), m.group(2).strip()));
    } else if (msg.contains("CUDA Minor Version Compatibility") || msg.contains("CUDA Forward Compatibility")
        || msg.startsWith("WARNING: The NVIDIA Driver was not detected")
        || msg.startsWith("ERROR: The NVIDIA Driver is present")
        || msg.startsWith("ERROR: No supported GPU(s) detected")) {
      // The container banner checks the driver; the server may still come up, so a warning.
      out.add(new WarningSeen(WarningClass.CUDA_COMPAT, msg));
    }
  }

  private static void servable(String msg, Matcher m, List<TritonEvent> out) {
    String name = m.group(1);
    String version = m.group(2);
    if (msg.startsWith("Loading servable")) {
      out.add(new ModelLoading(name, version));
    } else if (msg.startsWith("Successfully loaded servable")) {
      out.add(new ModelLoaded(name, version));
    } else if (msg.startsWith("Encountered an error for servable")) {
      out.add(new ModelLoadFailed(name, version, m.group(3)));
    } else if (msg.startsWith("Unloading servable")) {
      out.add(new ModelUnloading(name, version));
    } else if (msg.startsWith("Done unloading servable")) {
      out.add(new ModelUnloaded(name, version));
    }
  }

  private static void backend(String msg, String source, List<TritonEvent> out) {
    Matcher m;
    if ((m = BACKEND_INIT.matcher(msg)).lookingAt()) {
      out.add(new BackendInitialized(m.group(1)));
    } else if ((m = MODEL_INIT.matcher(msg)).lookingAt()) {
      out.add(new ModelBackend(m.group(1), m.group(2), BackendNames.fromSource(source), false));
    } else if ((m = INSTANCE_INIT.matcher(msg)).lookingAt()) {
      out.add(new ModelBackend(m.group(1), null, BackendNames.fromSource(source), true));
    }
  }

  private static void pools(String msg, List<TritonEvent> out) {
    Matcher m;
    if ((m = PINNED.matcher(msg)).find()) {
      out.add(new PinnedPool(Long.parseLong(m.group(1))));
    } else if ((m = CUDA_POOL.matcher(msg)).find()) {
      out.add(new CudaPool(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
    } else if (msg.startsWith("Unable to allocate pinned system memory")) {
      out.add(new ErrorSeen(ErrorClassifier.classify(msg, ErrorClass.CUDA), msg));
    }
  }

  private static void generic(String msg, char severity, String source, List<TritonEvent> out) {
    if (severity == 'E' && source != null && source.startsWith("model.py:")) {
      // A Python model's own error while it loads: the reason its load is about to fail.
      out.add(new InstanceFailed(msg));
    } else if ((severity == 'E' || severity == 'W') && harmless(msg)) {
      return;
    } else if (severity == 'E' || severity == 'F' || severity == 'C') {
      out.add(new ErrorSeen(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
    } else if (severity == 'W') {
      out.add(new WarningSeen(warningClass(msg), msg));
    } else if (severity == ' ' && msg.contains(".py: error: ") && ARGPARSE.matcher(msg).lookingAt()) {
      // argparse's last word before exiting 2: the server never started.
      out.add(new Fatal(ErrorClassifier.classify(msg, ErrorClass.CONFIG), msg));
    } else if (severity == ' ' && msg.startsWith("Error: ")) {
      out.add(new ErrorSeen(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
    } else if (msg.contains("WSL is detected") || msg.contains("WSL detected")) {
      out.add(new WarningSeen(WarningClass.WSL, msg));
    }
  }

  /**
   * What {@link #PY_EXCEPTION} cannot match without. A banner's lines have no severity and
   * each tried the expression; a search for two words is cheaper, above all while the code is
   * still interpreted (with the row test in VllmRules: the start-up lines of a 1M-line log,
   * read alone, 0.448 -> 0.432 s).
   */
  private static boolean mayBePythonException(String msg) {
    return msg.contains("Error: ") || msg.contains("Exception: ") || msg.endsWith("Error")
        || msg.endsWith("Exception");
  }

  /**
   * What some backends print at W or E level without anything being wrong: FasterTransformer's
   * informational output and model-config dump, Caffe2's CPU-feature notice.
   */
  private static boolean harmless(String msg) {
    return msg.startsWith("Get input name:") || msg.startsWith("Get output name:")
        || msg.startsWith("model configuration:")
        || msg.startsWith("CPU feature avx") && msg.contains("binary is not compiled with it");
  }

  static WarningClass warningClass(String msg) {
    if (msg.contains("WSL")) {
      return WarningClass.WSL;
    }
    if (msg.contains("hunked prefill")) {
      return WarningClass.CHUNKED_PREFILL;
    }
    if (msg.contains("CUDA Minor Version Compatibility") || msg.contains("CUDA Forward Compatibility")) {
      return WarningClass.CUDA_COMPAT;
    }
    return WarningClass.OTHER;
  }
}
