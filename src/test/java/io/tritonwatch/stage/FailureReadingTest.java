package io.tritonwatch.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.parse.ErrorClassifier;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.parse.TritonEvent.ErrorClass;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How failures are read: a traceback is one error whose text is its root cause, a dead vLLM
 * engine fails its model with it, wrapped error lines are joined before they are classed.
 * The lines are taken from the real logs under src/test/resources/logs (named per test).
 */
class FailureReadingTest {

  private final StartupTracker t = new StartupTracker(2024);
  private long n;

  private StartupSummary feed(String... lines) {
    for (String l : lines) {
      io.tritonwatch.Track.line(t, new LogLine(++n, l, null));
    }
    return t.summary();
  }

  private static final String CORE = "(EngineCore_DP0 pid=1067763) ERROR 02-23 09:06:43 [core.py:718] ";
  private static final String ENGINE = "(EngineCore_DP0 pid=1067763) INFO 02-23 09:06:42 [core.py:76] Initializing a V1 "
      + "LLM engine (v0.10.2) with config: model='Qwen/Qwen3-14B', speculative_config=None, tokenizer='Qwen/Qwen3-14B'";
  private static final String VALUE_ERROR = "ValueError: Free memory on device (16.01/93.0 GiB) on startup is less "
      + "than desired GPU memory utilization (0.8, 74.4 GiB). Decrease GPU memory utilization or reduce GPU memory "
      + "used by other processes.";

  /** 201: "EngineCore failed to start", the ERROR traceback, its raw reprint, the API server's summary. */
  private String[] engineFailure() {
    return new String[] {
        "(APIServer pid=1067406) INFO 02-23 09:06:30 [api_server.py:1896] vLLM API server version 0.10.2",
        ENGINE,
        CORE + "EngineCore failed to start.",
        CORE + "Traceback (most recent call last):",
        CORE + "  File \"/site-packages/vllm/v1/engine/core.py\", line 709, in run_engine_core",
        CORE + "    engine_core = EngineCoreProc(*args, **kwargs)",
        CORE + "                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        CORE + "  File \"/site-packages/vllm/v1/worker/gpu_worker.py\", line 180, in init_device",
        CORE + "    raise ValueError(",
        CORE + VALUE_ERROR,
        "(EngineCore_DP0 pid=1067763) Process EngineCore_DP0:",
        "(EngineCore_DP0 pid=1067763) Traceback (most recent call last):",
        "(EngineCore_DP0 pid=1067763)   File \"/site-packages/vllm/v1/worker/gpu_worker.py\", line 180, in init_device",
        "(EngineCore_DP0 pid=1067763)     raise ValueError(",
        "(EngineCore_DP0 pid=1067763) " + VALUE_ERROR,
        "(APIServer pid=1067406) Traceback (most recent call last):",
        "(APIServer pid=1067406)   File \"/site-packages/vllm/v1/engine/utils.py\", line 782, in wait_for_engine_startup",
        "(APIServer pid=1067406)     raise RuntimeError(\"Engine core initialization failed. \"",
        "(APIServer pid=1067406) RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}"
    };
  }

  @Test
  void deadVllmEngineFailsItsModelWithTheRootCauseAsOneError() {
    StartupSummary s = feed(engineFailure());
    assertEquals(Outcome.FAILED, s.outcome());
    ModelSummary m = s.models().get(0);
    assertEquals("Qwen/Qwen3-14B", m.name());
    assertEquals(ModelState.FAILED, m.state());
    assertEquals(VALUE_ERROR, m.reason());
    assertEquals("oom", m.errorClass());
    assertEquals(List.of(new Problem("oom", 10, VALUE_ERROR)), s.errors(), "one error for three tracebacks");
    assertEquals(1L, t.counts().errors().get("oom"), "the raw reprint is not counted again");
    assertEquals(16.01, s.figures().get("freeGpuMemoryGiB"));
    assertEquals(74.4, s.figures().get("requestedGpuMemoryGiB"));
    assertEquals(93.0, s.figures().get("totalGpuMemoryGiB"));
  }

  @Test
  void genericEngineSummaryIsTheReasonOnlyWhenNothingElseWasSeen() {
    StartupSummary s = feed(ENGINE,
        "(APIServer pid=1067406) RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}");
    assertEquals(Outcome.FAILED, s.outcome());
    assertTrue(s.models().get(0).reason().startsWith("RuntimeError: Engine core initialization failed"));
    assertEquals(1, s.errors().size());
  }

  @Test
  void theRootCauseOfChainedExceptionsIsTheFirstPrinted() {
    StartupSummary s = feed("INFO 06-20 20:03:41 [api_server.py:1287] vLLM API server version 0.9.1",
        "INFO 06-20 20:03:42 [cli_args.py:309] non-default args: {'host': '0.0.0.0', 'model': 'Qwen/Qwen3-30B-A3B'}",
        "Traceback (most recent call last):",
        "  File \"/vllm/entrypoints/openai/api_server.py\", line 1263, in create_server_socket",
        "    sock.bind(addr)",
        "OSError: [Errno 98] Address already in use",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        "  File \"/usr/lib/python3.10/runpy.py\", line 196, in _run_module_as_main",
        "RuntimeError: server could not start");
    assertEquals(Outcome.FAILED, s.outcome());
    assertEquals("OSError: [Errno 98] Address already in use", s.models().get(0).reason());
    assertEquals("port_conflict", s.models().get(0).errorClass());
    assertEquals(1, s.errors().size(), s.errors().toString());
  }

  @Test
  void warningLevelTracebackIsNeitherRootCauseNorError() {
    StartupSummary s = feed(ENGINE,
        "(EngineCore_DP0 pid=1) WARNING 02-23 09:06:42 [utils.py:10] Traceback (most recent call last):",
        "(EngineCore_DP0 pid=1) WARNING 02-23 09:06:42 [utils.py:10]   File \"/vllm/_custom_ops.py\", line 5, in <module>",
        "(EngineCore_DP0 pid=1) WARNING 02-23 09:06:42 [utils.py:10] ImportError: libcuda.so.1: cannot open shared object file",
        CORE + "EngineCore failed to start.",
        CORE + "Traceback (most recent call last):",
        CORE + "  File \"/site-packages/vllm/v1/worker/gpu_worker.py\", line 180, in init_device",
        CORE + VALUE_ERROR);
    assertEquals(VALUE_ERROR, s.models().get(0).reason());
    assertEquals(1, s.errors().size());
    assertEquals(1, s.warnings().size(), "the optional import that failed is one warning");
  }

  @Test
  void engineDeathAfterReadyKeepsTheStartUpReadyAndFailsTheModelNow() {
    // 214: the engine dies on the first request, 26 s after "Application startup complete".
    String cause = "RuntimeError: Check failed: (status == cudaSuccess) is false: BatchPrefillWithPagedKVCache "
        + "failed with error invalid argument";
    StartupSummary s = feed(
        "(EngineCore pid=274) INFO 06-13 20:05:36 [core.py:105] Initializing a V1 LLM engine (v0.22.1) with config: "
            + "model='/kaggle/qwen3-8b', speculative_config=None",
        "(APIServer pid=228) INFO 06-13 20:08:47 [api_server.py:80] Starting vLLM server on http://127.0.0.1:8001",
        "(APIServer pid=228) INFO:     Application startup complete.",
        "(Worker_TP0 pid=300) ERROR 06-13 20:09:13 [multiproc_executor.py:950] WorkerProc hit an exception.",
        "(Worker_TP0 pid=300) ERROR 06-13 20:09:13 [multiproc_executor.py:950] Traceback (most recent call last):",
        "(Worker_TP0 pid=300) ERROR 06-13 20:09:13 [multiproc_executor.py:950]   File \"/flashinfer/prefill.py\", line 707",
        "(Worker_TP0 pid=300) ERROR 06-13 20:09:13 [multiproc_executor.py:950] " + cause,
        "(EngineCore pid=274) ERROR 06-13 20:09:13 [core.py:1160] EngineCore encountered a fatal error.");
    assertEquals(Outcome.READY, s.outcome(), "the start-up itself succeeded");
    ModelSummary m = s.models().get(0);
    assertEquals(ModelState.READY, m.state());
    assertEquals(ModelState.FAILED, m.currentState());
    assertEquals(cause, m.reason());
    assertEquals("cuda", m.errorClass());
  }

  @Test
  void hardWrappedErrorLineIsJoinedAndClassedFromTheWholeText() {
    StartupSummary s = feed(
        "E0306 16:40:07.708802 117 backend_model.cc:691] ERROR: Failed to create instance: CUDA runtime error in "
            + "::cudaMallocAsync(ptr, n, mCudaStream->get()): o",
        "ut of memory (/app/tensorrt_llm/cpp/tensorrt_llm/runtime/tllmBuffers.h:117)");
    assertEquals(1, s.errors().size());
    assertEquals("oom", s.errors().get(0).kind());
    assertTrue(s.errors().get(0).text().endsWith("out of memory (/app/tensorrt_llm/cpp/tensorrt_llm/runtime/tllmBuffers.h:117)"));
    assertEquals(1L, t.counts().errors().get("oom"));
    assertNull(t.counts().errors().get("cuda"), "counted once, by the class of the joined text");
  }

  @Test
  void zeroGpuBlocksIsOutOfMemory() {
    StartupSummary s = feed("INFO 05-01 10:00:00 gpu_executor.py:122] # GPU blocks: 0, # CPU blocks: 2048");
    assertEquals(0L, s.figures().get("gpuBlocks"));
    assertEquals("oom", s.errors().get(0).kind());
  }

  @Test
  void everyStartUpKeepsItsOwnErrors() {
    feed(engineFailure());
    StartupSummary s = feed("INFO 02-23 09:10:00 [__init__.py:216] Automatically detected platform cuda.",
        "(APIServer pid=2) INFO 02-23 09:10:01 [api_server.py:1896] vLLM API server version 0.10.2");
    assertEquals(2, s.runs().size(), "a process starting after a failure is a new start-up");
    assertEquals(Outcome.FAILED, s.runs().get(0).outcome());
    assertEquals(List.of(new Problem("oom", 10, VALUE_ERROR)), s.runs().get(0).errors());
    assertEquals(List.of(), s.runs().get(1).errors());
  }

  @Test
  void trtis19EndpointsBeforeModelsAreReadyOnlyOnceTheModelLoads() {
    // 219: TRTIS 19.07 opens its endpoints first.
    StartupSummary s = feed(
        "I0808 00:47:33.806664 13668 main.cc:346] Starting endpoints, 'inference:0' listening on",
        "I0808 00:47:33.806850 13668 grpc_server.cc:272] Starting a GRPCService at 0.0.0.0:8001",
        "I0808 00:47:33.811572 13668 http_server.cc:632] Starting HTTPService at 0.0.0.0:8000",
        "I0808 00:47:33.853480 13668 http_server.cc:646] Starting Metrics Service at 0.0.0.0:8002",
        "I0808 00:47:33.863267 13668 metrics.cc:169]   GPU 0: TITAN RTX",
        "I0808 00:47:33.907413 13668 model_repository_manager.cc:633] loading: plan_zero_1_float32:1");
    assertEquals(Outcome.INCOMPLETE, s.outcome(), "endpoints alone are not ready");
    assertEquals(3, s.services().size());
    assertEquals("TITAN RTX", s.figures().get("gpuName"));
    s = feed("I0808 00:47:38.342536 13668 model_repository_manager.cc:776] successfully loaded 'plan_zero_1_float32' version 1");
    assertEquals(Outcome.READY, s.outcome());
    s = feed("I0808 00:48:44.812906 13668 main.cc:229] Interrupt signal (15) received.",
        "I0808 00:48:44.813086 13668 model_repository_manager.cc:761] successfully unloaded 'plan_zero_1_float32' version 1");
    assertEquals(Outcome.READY, s.outcome(), "ready, then shut down, stays ready");
    assertEquals(ModelState.UNLOADED, s.models().get(0).currentState());
  }

  @Test
  void trtis1904ServableWordingAndEndpointLines() {
    StartupSummary s = feed(
        "I0419 17:19:52.081128 1 main.cc:329] Starting endpoints, 'inference:0' listening on",
        "I0419 17:19:52.081160 1 main.cc:335]  localhost:8001 for gRPC requests",
        "I0419 17:19:52.081355 1 main.cc:343]  localhost:8000 for HTTP requests",
        "I0419 17:19:52.082002 1 main.cc:351]  localhost:8002 for metric reporting",
        "I0419 17:19:52.090000 1 loader_harness.cc:86] Loading servable version {name: resnet50 version: 1}",
        "E0419 17:19:53.090000 1 loader_harness.cc:103] Encountered an error for servable version "
            + "{name: resnet50 version: 1}: Invalid argument: unexpected inference output 'prob'");
    assertEquals(3, s.services().size());
    ModelSummary m = s.models().get(0);
    assertEquals("resnet50", m.name());
    assertEquals(ModelState.FAILED, m.state());
    assertEquals("Invalid argument: unexpected inference output 'prob'", m.reason());
  }

  @Test
  void pythonModelsOwnErrorBecomesThePendingReason() {
    StartupSummary s = feed("I0301 10:00:00.000000 1 model_lifecycle.cc:473] loading: vllm_model:1",
        "E0301 10:00:05.000000 1 model.py:202] [vllm] Failed to start engine: CUDA out of memory",
        "E0301 10:00:06.000000 1 model_lifecycle.cc:621] failed to load 'vllm_model' version 1: Internal: "
            + "Failed to initialize Python stub");
    assertEquals(ModelState.FAILED, s.models().get(0).state());
    assertTrue(s.errors().stream().anyMatch(p -> p.text().contains("[vllm] Failed to start engine")), s.errors().toString());
  }

  @Test
  void cudaMessagesAreCudaAndOutOfMemoryStillWins() {
    for (String text : List.of("the provided PTX was compiled with an unsupported toolchain.",
        "no kernel image is available for execution on the device", "device kernel image is invalid",
        "invalid device function", "forward compatibility was attempted on non supported HW",
        "system has unsupported display driver / cuda driver combination",
        "all CUDA-capable devices are busy or unavailable", "an illegal memory access was encountered",
        "unspecified launch failure", "PTX JIT compiler library not found", "Triton Error [CUDA]: invalid argument",
        "[TensorRT-LLM][ERROR] CUDA runtime error in cudaDeviceGetAttribute: initialization error",
        "WARNING: [Torch-TensorRT] - Unable to read CUDA capable devices. Return status: 35")) {
      assertEquals(ErrorClass.CUDA, ErrorClassifier.classify(text, ErrorClass.OTHER), text);
    }
    assertEquals(ErrorClass.OOM, ErrorClassifier.classify("CUDA runtime error in ::cudaMallocAsync: out of memory",
        ErrorClass.OTHER));
    assertEquals(ErrorClass.CONFIG, ErrorClassifier.classify("ERROR: unknown command line flag 'model-repo'",
        ErrorClass.OTHER));
  }

  @Test
  void yearLessStampsMoveToTheYearALaterLineNames() {
    StartupTracker t2026 = new StartupTracker(2026);
    String[] lines = {
        "I0301 18:57:30.000000 1 model_lifecycle.cc:473] loading: densenet:1",
        // onnxruntime's own stamp names the year (2025); the glog lines before it named none.
        "2025-03-01 18:57:39.180 | W0301 18:57:39.180000 1 onnxruntime.cc:100] session created",
        "I0301 18:57:40.000000 1 model_lifecycle.cc:849] successfully loaded 'densenet' version 1",
        "I0301 18:57:41.000000 1 grpc_server.cc:2562] Started GRPCInferenceService at 0.0.0.0:8001"};
    for (int i = 0; i < lines.length; i++) {
      io.tritonwatch.Track.line(t2026, new LogLine(i + 1, lines[i], null));
    }
    StartupSummary s = t2026.summary();
    assertEquals(Outcome.READY, s.outcome());
    assertEquals(java.time.Instant.parse("2025-03-01T18:57:30Z"), s.start());
    assertEquals(11.0, s.startupSeconds(), 0.001, "not minus a year");
    assertTrue(s.stages().stream().allMatch(x -> x.seconds() == null || x.seconds() >= 0), s.stages().toString());
  }

  @Test
  void kvCacheMinimumIsPerEngineNotAcrossModels() {
    StartupSummary s = feed(
        "I0720 11:04:26.000000 1 model_lifecycle.cc:473] \"loading: big:1\"",
        "INFO 07-20 11:05:09 [worker.py:292] model weights take 2.32GiB; non_torch_memory takes 0.03GiB; "
            + "PyTorch activation peak memory takes 1.18GiB; the rest of the memory reserved for KV Cache is 7.90GiB.",
        "I0720 11:05:19.000000 1 model_lifecycle.cc:849] \"successfully loaded 'big'\"",
        "I0720 11:05:20.000000 1 model_lifecycle.cc:473] \"loading: small:1\"",
        "INFO 07-20 11:05:29 [worker.py:292] model weights take 1.00GiB; non_torch_memory takes 0.03GiB; "
            + "PyTorch activation peak memory takes 0.50GiB; the rest of the memory reserved for KV Cache is 1.36GiB.",
        "INFO 07-20 11:05:30 [worker.py:292] model weights take 1.00GiB; non_torch_memory takes 0.03GiB; "
            + "PyTorch activation peak memory takes 0.50GiB; the rest of the memory reserved for KV Cache is 1.40GiB.");
    ModelSummary big = s.models().stream().filter(m -> m.name().equals("big")).findFirst().orElseThrow();
    ModelSummary small = s.models().stream().filter(m -> m.name().equals("small")).findFirst().orElseThrow();
    assertEquals(7.9, big.figures().get("kvCacheGiB"));
    assertEquals(1.36, small.figures().get("kvCacheGiB"), "the smaller rank of the same engine");
  }

  @Test
  void aWholeHourJumpBetweenGlogAndVllmHeadersIsTheirZoneNotTime() {
    // Triton's glog in UTC, the vLLM backend's Python logger in local time (UTC+8).
    StartupSummary s = feed(BANNER_TRITON,
        "I0709 06:34:10.000000 1 model_lifecycle.cc:473] loading: vllm_model:1",
        "INFO 07-09 14:34:19 [default_loader.py:278] Loading weights took 5.00 seconds",
        "INFO 07-09 14:34:25 [worker.py:292] model weights take 2.32GiB; non_torch_memory takes 0.03GiB; "
            + "PyTorch activation peak memory takes 1.18GiB; the rest of the memory reserved for KV Cache is 7.90GiB.",
        "I0709 06:34:40.000000 1 model_lifecycle.cc:849] successfully loaded 'vllm_model' version 1",
        "I0709 06:34:41.000000 1 grpc_server.cc:2562] Started GRPCInferenceService at 0.0.0.0:8001");
    assertEquals(Outcome.READY, s.outcome());
    assertEquals(31.0, s.startupSeconds(), 0.001, "thirty-one seconds, not eight hours");
    StageSpan weights = s.stages().stream().filter(x -> x.stage() == Stage.WEIGHT_LOADING).findFirst().orElseThrow();
    assertEquals(java.time.Instant.parse("2024-07-09T06:34:14Z"), weights.start(), "five seconds before 14:34:19 local");
    assertEquals(List.of(Stage.SERVER_INIT, Stage.MODEL_LOADING, Stage.WEIGHT_LOADING, Stage.MEMORY_PROFILING,
        Stage.ENGINE_READY, Stage.SERVICES_STARTED, Stage.READY), s.stages().stream().map(StageSpan::stage).toList());
    for (StageSpan span : s.stages()) {
      assertTrue(span.seconds() == null || span.seconds() >= 0 && span.seconds() < 60, s.stages().toString());
    }
  }

  private static final String BANNER_TRITON = "== Triton Inference Server ==";

  @Test
  void ranksGiveTheSmallestKvCacheAndTheLongestDuration() {
    StartupSummary s = feed(
        "(EngineCore pid=274) INFO 06-13 20:05:36 [core.py:105] Initializing a V1 LLM engine (v0.10.0) with config: "
            + "model='m', speculative_config=None",
        "(Worker_TP1 pid=301) INFO 06-13 20:06:20 [default_loader.py:272] Loading weights took 40.51 seconds",
        "(Worker_TP0 pid=300) INFO 06-13 20:06:21 [default_loader.py:272] Loading weights took 38.02 seconds",
        "(Worker_TP0 pid=300) INFO 06-13 20:07:02 [gpu_worker.py:276] Available KV cache memory: 4.37 GiB",
        "(Worker_TP1 pid=301) INFO 06-13 20:07:02 [gpu_worker.py:276] Available KV cache memory: 4.91 GiB");
    assertEquals(40.51, s.figures().get("weightsLoadSeconds"), "the engine waited for the slower rank");
    assertEquals(4.37, s.figures().get("kvCacheGiB"), "the engine runs with the smaller rank's cache");
  }
}
