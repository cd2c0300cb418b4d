package io.tritonwatch.parse;

import static io.tritonwatch.parse.Rule.rule;

import io.tritonwatch.parse.Rule.Emit;
import io.tritonwatch.parse.TritonEvent.*;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/** What Triton Inference Server (and TensorRT Inference Server before it) prints about itself. */
final class TritonRules {

  static final List<Rule> ALL = List.of(
      rule("model-loading", "triton")
          .startsWith("loading: ")
          .expression("^loading: (.+):(\\d+)$")
          .example("2025-07-20 14:04:26.667 | I0720 11:04:26.667375 1 model_lifecycle.cc:473] \"loading: llama3_2_1b_local:1\"",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 10")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelLoading(m.group(1), m.group(2)));
            }
          }),
      rule("model-unloading", "triton")
          .startsWith("unloading: ")
          .expression("^unloading: (.+):(\\d+)$")
          .example("I0428 04:57:35.162805 1 model_repository_manager.cc:820] unloading: postprocess:1",
              "corpus 046 (triton-inference-server/server#2781, issue description ('Cannot load ensemble model')) line 9")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelUnloading(m.group(1), m.group(2)));
            }
          }),
      rule("model-loaded", "triton")
          .startsWith("successfully loaded")
          .expression("successfully loaded '([^']+)'(?: version (\\d+))?")
          .example("2025-07-20 14:05:19.636 | I0720 11:05:19.636685 1 model_lifecycle.cc:849] \"successfully loaded 'llama3_2_1b_local'\"",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 23")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelLoaded(m.group(1), m.group(2)));
            }
          }),
      rule("model-unloaded", "triton")
          .startsWith("successfully unloaded")
          .expression("successfully unloaded '([^']+)'(?: version (\\d+))?")
          .example("I1002 10:50:23.965538 1 model_lifecycle.cc:608] successfully unloaded 'classnet' version 2",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 68")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelUnloaded(m.group(1), m.group(2)));
            }
          }),
      rule("model-load-failed", "triton")
          .startsWith("failed to load '")
          .expression("^(?s)failed to load '([^']+)'(?: version (\\d+))?(?:: (.*))?")
          .example("E1002 10:50:22.940048 1 model_lifecycle.cc:626] failed to load 'classnet' version 1: Internal: unable to load plan file to auto complete config: /models/classnet/1/model.plan",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 33")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelLoadFailed(m.group(1), m.group(2), m.group(3)));
            }
          }),
      rule("model-poll-failed", "triton")
          .startsWith("failed to poll model", "Poll failed for model")
          .expression("(?:failed to poll model|Poll failed for model directory) '([^']+)'")
          .example("E0817 19:18:51.786824 2997733 model_repository_manager.cc:1265] failed to poll model 'dne': model not found in any model repository.",
              "corpus 038 (triton-inference-server/core#244, PR description by rmccorm4 ('Add error message when explicit load model doesn't exist')) line 4")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelLoadFailed(m.group(1), null, msg));
            }
          }),
      // Triton: "Started GRPCInferenceService at"; TRTIS 19.07: "Starting a GRPCService at";
      // 19.09: "Started GRPCService at", "Starting HTTPService at", "Starting Metrics Service at".
      rule("service-started", "triton")
          .startsWith("Started ", "Starting ")
          .expression("^Start(?:ed|ing)(?: a)? (GRPCInferenceService|GRPCService|HTTPService|Metrics Service) "
              + "at (\\S+):(\\d+)")
          .example("2025-07-20 14:05:19.698 | I0720 11:05:19.697911 1 grpc_server.cc:2562] \"Started GRPCInferenceService at 0.0.0.0:8001\"",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 29")
          .example("I1105 21:15:59.692825 1 grpc_server.cc:263] Starting a GRPCService at 0.0.0.0:8001",
              "NVIDIA/DeepLearningExamples#280 (TRTIS 19.06)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ServiceStarted(kind(m.group(1)), m.group(2),
                Integer.parseInt(m.group(3))));
            }
          }),
      rule("trtis-endpoints", "trtis")
          .startsWith("Starting endpoints")
          .example("I0808 00:47:33.806664 13668 main.cc:346] Starting endpoints, 'inference:0' listening on",
              "corpus 219 (triton-inference-server/server:qa/L0_perf_nomodel/baseline/19.07/min_latency_grpc/plan_sbatch1_instance1.serverlog@d0f8503) line 1")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new EndpointsEarly());
            }
          }),
      // TRTIS 19.04: one line per endpoint after "Starting endpoints", the host first.
      rule("trtis-endpoint", "trtis")
          .startsWith("localhost:", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
          .contains(" for ")
          .expression("^(\\S+):(\\d+) for (gRPC requests|HTTP requests|metric reporting)")
          .example("I0726 01:31:31.796669 1 main.cc:356]  localhost:8002 for metric reporting",
              "triton-inference-server/server#497 (TRTIS 19.x)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ServiceStarted(
                m.group(3).startsWith("g") ? ServiceKind.GRPC : m.group(3).startsWith("H") ? ServiceKind.HTTP
                    : ServiceKind.METRICS, m.group(1), Integer.parseInt(m.group(2))));
            }
          }),
      rule("service-failed", "triton")
          .startsWith("failed to start ")
          .expression("^failed to start (\\w+) service: (.*)")
          .example("E0109 19:34:35.166155 11729 main.cc:245] failed to start GRPC service: Unavailable - Socket '0.0.0.0:5001' already in use ",
              "corpus 018 (triton-inference-server/tensorrtllm_backend#275, comment by nikhilshandilya 2024-01-09) line 2")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new Fatal(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
            }
          }),
      rule("creating-server-failed", "triton")
          .startsWith("error: creating server")
          .example("error: creating server: Internal - failed to load all models",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 94")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new Fatal(
                ErrorClassifier.classify(msg, ErrorClass.MODEL_LOAD_FAILED), msg));
            }
          }),
      // TRTIS 19.04 loaded models through TensorFlow Serving's loader and used its words.
      rule("trtis-servable", "trtis")
          .startsWith("Loading servable", "Successfully loaded servable", "Encountered an error for servable",
              "Unloading servable", "Done unloading servable")
          .expression("(?s)servable version \\{name: (\\S+) version: (\\d+)\\}(?:: (.*))?")
          .example("I0528 13:33:25.300374 1 loader_harness.cc:154] Encountered an error for servable version {name: mtcnn version: 1}: Internal: unable to load model 'mtcnn', expected 'serving_default' signature",
              "FortiLeiZhang/model_zoo#3 (TRTIS)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              servable(out, m, msg, src);
            }
          }),
      rule("torch-tensorrt-no-device", "triton")
          .startsWith("[Torch-TensorRT] - Unable to read CUDA capable devices")
          .example("WARNING: [Torch-TensorRT] - Unable to read CUDA capable devices. Return status: 999",
              "triton-inference-server/server#4050 (Triton 22.02)")
          // The CUDA runtime cannot list the GPUs (status 35: driver too old, 100: no device).
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ErrorSeen(ErrorClass.CUDA, msg));
            }
          }),
      // gflags (older releases) or getopt stops tritonserver before anything starts.
      rule("command-line-flag", "triton")
          .startsWith("illegal value '", "unknown command line flag '", "flag '", "tritonserver: unrecognized option")
          .example("ERROR: illegal value '0.99 ' specified for double flag 'blank_skip_thresh'",
              "wenet-e2e/wenet#1675 (gflags)")
          .example("tritonserver: unrecognized option '--t_exit_on_error=True'",
              "clearml/clearml-serving#88")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new Fatal(ErrorClass.CONFIG, msg));
            }
          }),
      rule("backend-initialized", "triton")
          .startsWith("TRITONBACKEND_Initialize:")
          .expression("^TRITONBACKEND_Initialize: (\\S+)")
          .example("I1002 10:50:20.557445 1 libtorch.cc:2507] TRITONBACKEND_Initialize: pytorch",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 17")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new BackendInitialized(m.group(1)));
            }
          }),
      rule("model-backend", "triton")
          .startsWith("TRITONBACKEND_ModelInitialize:")
          .expression("^TRITONBACKEND_ModelInitialize: (\\S+) \\(version (\\d+)\\)")
          .example("I1002 10:50:22.270143 1 tensorrt.cc:222] TRITONBACKEND_ModelInitialize: classnet (version 2)",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 29")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelBackend(m.group(1), m.group(2),
                BackendNames.fromSource(src), false));
            }
          }),
      rule("instance-backend", "triton")
          .startsWith("TRITONBACKEND_ModelInstanceInitialize:")
          .expression("^TRITONBACKEND_ModelInstanceInitialize: (\\S+) \\(")
          .example("2025-07-20 14:04:35.285 | I0720 11:04:35.284983 1 python_be.cc:2289] \"TRITONBACKEND_ModelInstanceInitialize: llama3_2_1b_local_0 (GPU device 0)\"",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 12")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelBackend(m.group(1), null, BackendNames.fromSource(src),
                true));
            }
          }),
      rule("pinned-pool", "triton")
          .startsWith("Pinned memory pool")
          .expression("Pinned memory pool is created at '[^']*' with size (\\d+)")
          .example("2025-07-20 14:04:26.620 | I0720 11:04:26.620525 1 pinned_memory_manager.cc:277] \"Pinned memory pool is created at '0x204c00000' with size 268435456\"",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 8")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new PinnedPool(Long.parseLong(m.group(1))));
            }
          }),
      rule("cuda-pool", "triton")
          .startsWith("CUDA memory pool")
          .expression("CUDA memory pool is created on device (\\d+) with size (\\d+)")
          .example("2025-07-20 14:04:26.620 | I0720 11:04:26.620592 1 cuda_memory_manager.cc:107] \"CUDA memory pool is created on device 0 with size 67108864\"",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 9")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new CudaPool(Integer.parseInt(m.group(1)),
                Long.parseLong(m.group(2))));
            }
          }),
      rule("pinned-pool-failed", "triton")
          .startsWith("Unable to allocate pinned")
          .example("W0823 07:42:14.602007 32 pinned_memory_manager.cc:236] Unable to allocate pinned system memory, pinned memory pool will not be available: CUDA driver version is insufficient for CUDA runtime version",
              "corpus 037 (bentoml/BentoML#4142, issue description ('error: creating server: Internal) line 5")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ErrorSeen(ErrorClassifier.classify(msg, ErrorClass.CUDA), msg));
            }
          }),
      rule("instance-failed", "triton")
          .notAtInfo()
          .contains("ERROR: Failed to create instance: ")
          .example("triton-1  | E0228 05:45:29.384445 1 backend_model.cc:691] ERROR: Failed to create instance: RuntimeError: Failed to initialize real GLM model in strict mode: 'list' object has no attribute 'keys'",
              "corpus 007 (SHEETALDHARSHAN-A/extraction-service-Api:triton_logs.txt@391f672) line 29")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new InstanceFailed(
                msg.substring(msg.indexOf("Failed to create instance: "))));
            }
          }),
      rule("server-version", "triton")
          .startsWith("Triton Server Version")
          .expression("Triton Server Version (\\S+)")
          .example("2025-07-20 14:04:26.098 | Triton Server Version 2.59.0",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 4")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ServerVersion(m.group(1)));
            }
          }),
      rule("config-file-unreadable", "triton")
          .startsWith("failed to open text file for read ")
          .example("E0903 01:26:10.795143 1 model_repository_manager.cc:1519] failed to open text file for read /mnt/models/1/config.pbtxt: No such file or directory",
              "corpus 228 (mokpolar/mokpolar.github.io:_posts/2020-09-12-nvidia_triton_server_1.md@a2bdab4) line 5")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              configFileUnreadable(out, m, msg, src);
            }
          }),
      rule("gpu-listed", "triton")
          .startsWith("GPU ")
          .expression("^GPU (\\d+): (.+)")
          .example("I0808 00:47:33.863267 13668 metrics.cc:169]   GPU 0: TITAN RTX",
              "corpus 219 (triton-inference-server/server:qa/L0_perf_nomodel/baseline/19.07/min_latency_grpc/plan_sbatch1_instance1.serverlog@d0f8503) line 13")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new GpuName(Integer.parseInt(m.group(1)), m.group(2).strip()));
            }
          }),
      rule("shutdown", "triton")
          .startsWith("Signal (", "Waiting for in-flight", "Interrupt signal (")
          .example("I1002 10:50:24.023146 1 server.cc:305] Waiting for in-flight requests to complete.",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 90")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ShutdownStarted(msg));
            }
          }),
      rule("gpu-metrics", "triton")
          .startsWith("Collecting metrics for GPU")
          .expression("^Collecting metrics for GPU (\\d+): (.+)")
          .example("I1002 10:50:24.022843 1 metrics.cc:810] Collecting metrics for GPU 0: NVIDIA GeForce RTX 3080 Ti Laptop GPU",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 69")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new GpuName(Integer.parseInt(m.group(1)), m.group(2).strip()));
            }
          }),
      // The container banner checks the driver; the server may still come up, so a warning. Its
      // "WARNING: " or "ERROR: " is read as the level, as for every unheaded line.
      rule("cuda-compatibility", "triton")
          .startsWith("NOTE: CUDA", "CUDA Minor Version", "CUDA Forward Compatibility")
          .when(new Predicate<String>() {
            @Override
            public boolean test(String msg) {
              return msg.contains("CUDA Minor Version Compatibility") || msg.contains("CUDA Forward Compatibility");
            }
          })
          .example("2025-07-20 14:04:26.267 | WARNING: CUDA Minor Version Compatibility mode ENABLED.",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 5")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new WarningSeen(WarningClass.CUDA_COMPAT, msg));
            }
          }),
      rule("driver-check", "triton")
          .startsWith("The NVIDIA Driver was not detected", "The NVIDIA Driver is present", "No supported GPU(s) detected")
          .example("WARNING: The NVIDIA Driver was not detected.  GPU functionality will not be available.",
              "triton-inference-server/server#2853 (Triton 21.03)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new WarningSeen(WarningClass.CUDA_COMPAT, msg));
            }
          }));

  private TritonRules() {}

  private static ServiceKind kind(String name) {
    return switch (name) {
      case "GRPCInferenceService", "GRPCService" -> ServiceKind.GRPC;
      case "HTTPService" -> ServiceKind.HTTP;
      default -> ServiceKind.METRICS;
    };
  }

  private static void servable(List<TritonEvent> out, Matcher m, String msg, String source) {
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
    } else {
      out.add(new ModelUnloaded(name, version));
    }
  }

  private static final java.util.regex.Pattern CONFIG_PATH = java.util.regex.Pattern.compile(
      "^failed to open text file for read (/\\S*?)/[^/\\s]+/config\\.pbtxt");

  /** The repository is the directory above the model whose config.pbtxt is missing. */
  private static void configFileUnreadable(List<TritonEvent> out, Matcher m, String msg, String source) {
    out.add(new ErrorSeen(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
    Matcher p = CONFIG_PATH.matcher(msg);
    if (p.lookingAt()) {
      out.add(new FigureSeen(Figure.MODEL_REPOSITORY_PATH, p.group(1)));
    }
  }
}
