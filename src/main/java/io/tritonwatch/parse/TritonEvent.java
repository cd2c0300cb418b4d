package io.tritonwatch.parse;

import java.util.List;

/** A fact read from one line. The parser emits these; the start-up tracker interprets them. */
public sealed interface TritonEvent {

  /** Which program printed a banner: a banner starts a new start-up. */
  enum Program { TRITON, VLLM }

  /** What kind of endpoint a service line opened. */
  enum ServiceKind { HTTP, GRPC, METRICS }

  /** The error classes of the JSON contract. */
  enum ErrorClass {
    MODEL_LOAD_FAILED, CUDA, OOM, PORT_CONFLICT, CONFIG, REPOSITORY, OTHER;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The warning classes of the JSON contract. */
  enum WarningClass {
    CUDA_COMPAT, CHUNKED_PREFILL, WSL, OTHER;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  record Banner(Program program) implements TritonEvent {}

  record ServerVersion(String version) implements TritonEvent {}

  record PinnedPool(long bytes) implements TritonEvent {}

  record CudaPool(int device, long bytes) implements TritonEvent {}

  record BackendInitialized(String backend) implements TritonEvent {}

  record ModelLoading(String model, String version) implements TritonEvent {}

  /** TRITONBACKEND_ModelInitialize / ModelInstanceInitialize: ties a model to a backend. */
  record ModelBackend(String model, String version, String backend, boolean instance)
      implements TritonEvent {}

  record ModelLoaded(String model, String version) implements TritonEvent {}

  record ModelLoadFailed(String model, String version, String reason) implements TritonEvent {}

  record ModelUnloading(String model, String version) implements TritonEvent {}

  record ModelUnloaded(String model, String version) implements TritonEvent {}

  /** A model instance could not be created; the model name is often on a later line. */
  record InstanceFailed(String reason) implements TritonEvent {}

  /** vLLM engine start: the only line that names the served model in a standalone server. */
  record EngineStarting(String model, String engineVersion) implements TritonEvent {}

  record PlatformDetected(String platform) implements TritonEvent {}

  record WeightsLoading(String model) implements TritonEvent {}

  record WeightsLoaded(double seconds) implements TritonEvent {}

  /** "Model loading took X GiB [memory] and Y seconds" (V0/V1) or "weights took X GB" (old V0). */
  record ModelMemory(double gib, Double seconds) implements TritonEvent {}

  record GpuBudget(double totalGib, double utilization) implements TritonEvent {}

  record MemoryBreakdown(Double weightsGib, Double nonTorchGib, Double activationPeakGib,
                         Double kvCacheGib) implements TritonEvent {}

  record KvCacheMemory(double gib) implements TritonEvent {}

  record MemoryProfiled(double seconds) implements TritonEvent {}

  record Blocks(long gpuBlocks, Long cpuBlocks) implements TritonEvent {}

  record KvCacheTokens(long tokens) implements TritonEvent {}

  record MaxConcurrency(long tokensPerRequest, double factor) implements TritonEvent {}

  record GraphCaptureStarted() implements TritonEvent {}

  record GraphCaptureFinished(double seconds, Double gib) implements TritonEvent {}

  record EngineInitialized(double seconds) implements TritonEvent {}

  /** A row of one of Triton's ASCII tables, cells without their one-space padding. */
  record TableRow(List<String> cells) implements TritonEvent {}

  record TableBorder() implements TritonEvent {}

  record ServiceStarted(ServiceKind kind, String address, int port) implements TritonEvent {}

  /** uvicorn's "Application startup complete.": a standalone vLLM server is serving. */
  record ApplicationStarted() implements TritonEvent {}

  /** Something went wrong that does not by itself end the start-up. */
  record ErrorSeen(ErrorClass errorClass, String text) implements TritonEvent {}

  /** The server gave up: it exits or cannot serve. */
  record Fatal(ErrorClass errorClass, String text) implements TritonEvent {}

  record WarningSeen(WarningClass warningClass, String text) implements TritonEvent {}

  record ShutdownStarted(String text) implements TritonEvent {}

  /** The last line of a Python traceback ("RuntimeError: ..."), printed without a log header. */
  record PythonException(ErrorClass errorClass, String text) implements TritonEvent {}

  record GpuName(int device, String name) implements TritonEvent {}

  /** "Traceback (most recent call last):": the lines up to its exception line are one failure. */
  record TracebackStart() implements TritonEvent {}

  /** A frame of a traceback ('File "...", line N, in f'); the source line under it has no shape. */
  record TracebackFrame() implements TritonEvent {}

  /**
   * Python's line between chained exceptions ("The above exception was the direct cause ...",
   * "During handling of the above exception ..."): the next traceback is the same failure, and
   * the exception printed first is its root cause.
   */
  record ExceptionChained() implements TritonEvent {}

  /** "Exception ignored in: ...": the traceback that follows was not fatal (a destructor's). */
  record ExceptionIgnored() implements TritonEvent {}

  /**
   * A vLLM engine process reported its own death ("EngineCore failed to start", "Engine process
   * failed to start", "EngineCore encountered a fatal error"); the root cause is the exception
   * of the traceback around it.
   */
  record EngineFailed(String text) implements TritonEvent {}

  /**
   * TRTIS 19.x announced its endpoints before loading any model: their lines alone do not make
   * it ready.
   */
  record EndpointsEarly() implements TritonEvent {}

  /** "Loading drafter model...": the next weights and compile figures are the draft model's. */
  record DrafterLoading() implements TritonEvent {}

  /** The model a vLLM server was asked to serve, named before any engine line (arguments). */
  record ServedModel(String model) implements TritonEvent {}

  /**
   * A figure stated on its own: the tracker enters the figure's phase and records it.
   *
   * @param value a Long, Double or String, in the figure's unit
   */
  record FigureSeen(Figure figure, Object value) implements TritonEvent {}
}
