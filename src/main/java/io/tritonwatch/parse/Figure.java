package io.tritonwatch.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * Every figure a log can state: its name in the JSON summary, its unit, the meter it is
 * exported as (or none), and the start-up phase its line belongs to. Parser, tracker, metrics
 * and reports all take a figure from here, so a new figure is one constant.
 */
public enum Figure {
  // Memory pools (Triton)
  PINNED_MEMORY_BYTES("pinnedMemoryBytes", Unit.BYTES, "tritonwatch.pinned.memory.pool", Phase.POOLS),
  /** Per device: a map of device number to bytes, exported with a {@code device} label. */
  CUDA_POOL_BYTES("cudaPoolBytes", Unit.BYTES, "tritonwatch.cuda.memory.pool", Phase.POOLS),
  // Server and engine configuration
  MODEL_CONTROL_MODE("modelControlMode", Unit.TEXT, null, Phase.NONE),
  MODEL_REPOSITORY_PATH("modelRepositoryPath", Unit.TEXT, null, Phase.NONE),
  EXIT_TIMEOUT_SECONDS("exitTimeoutSeconds", Unit.SECONDS, null, Phase.NONE),
  STRICT_MODEL_CONFIG("strictModelConfig", Unit.COUNT, null, Phase.NONE),
  GPU_NAME("gpuName", Unit.TEXT, null, Phase.NONE),
  VLLM_VERSION("vllmVersion", Unit.TEXT, null, Phase.NONE),
  DTYPE("dtype", Unit.TEXT, null, Phase.NONE),
  QUANTIZATION("quantization", Unit.TEXT, null, Phase.NONE),
  ATTENTION_BACKEND("attentionBackend", Unit.TEXT, null, Phase.NONE),
  MAX_SEQ_LEN("maxSeqLen", Unit.TOKENS, "tritonwatch.max.sequence.length.tokens", Phase.NONE),
  TENSOR_PARALLEL_SIZE("tensorParallelSize", Unit.COUNT, "tritonwatch.tensor.parallel.size", Phase.NONE),
  GPU_MEMORY_UTILIZATION("gpuMemoryUtilization", Unit.RATIO, "tritonwatch.gpu.memory.utilization.ratio", Phase.NONE),
  // Weights
  WEIGHTS_DOWNLOAD_SECONDS("weightsDownloadSeconds", Unit.SECONDS, null, Phase.WEIGHTS),
  WEIGHTS_LOAD_SECONDS("weightsLoadSeconds", Unit.SECONDS, "tritonwatch.weights.load", Phase.WEIGHTS),
  WEIGHTS_GIB("weightsGiB", Unit.GIB, "tritonwatch.model.weights", Phase.WEIGHTS),
  MODEL_LOAD_SECONDS("modelLoadSeconds", Unit.SECONDS, "tritonwatch.model.loading", Phase.WEIGHTS),
  DRAFTER_WEIGHTS_LOAD_SECONDS("drafterWeightsLoadSeconds", Unit.SECONDS, null, Phase.WEIGHTS),
  ENGINE_SIZE_MIB("engineSizeMiB", Unit.MIB, "tritonwatch.engine.size", Phase.WEIGHTS),
  TRT_DESERIALIZE_MICROSECONDS("trtDeserializeMicroseconds", Unit.MICROSECONDS, null, Phase.NONE),
  // GPU memory and the KV cache
  TOTAL_GPU_MEMORY_GIB("totalGpuMemoryGiB", Unit.GIB, "tritonwatch.gpu.memory.total", Phase.MEMORY),
  FREE_GPU_MEMORY_GIB("freeGpuMemoryGiB", Unit.GIB, "tritonwatch.gpu.memory.free.at.start", Phase.NONE),
  REQUESTED_GPU_MEMORY_GIB("requestedGpuMemoryGiB", Unit.GIB, "tritonwatch.gpu.memory.requested", Phase.NONE),
  AVAILABLE_GPU_MEMORY_GIB("availableGpuMemoryGiB", Unit.GIB, "tritonwatch.gpu.memory.available", Phase.MEMORY),
  ACTIVATION_PEAK_GIB("activationPeakGiB", Unit.GIB, "tritonwatch.activation.peak", Phase.MEMORY),
  PEAK_TORCH_GIB("peakTorchGiB", Unit.GIB, null, Phase.MEMORY),
  NON_TORCH_GIB("nonTorchGiB", Unit.GIB, "tritonwatch.non.torch.memory", Phase.MEMORY),
  KV_CACHE_GIB("kvCacheGiB", Unit.GIB, "tritonwatch.kv.cache", Phase.MEMORY),
  KV_CACHE_BYTES("kvCacheBytes", Unit.BYTES, "tritonwatch.kv.cache", Phase.MEMORY),
  KV_CACHE_TOKENS("kvCacheTokens", Unit.TOKENS, "tritonwatch.kv.cache.capacity.tokens", Phase.MEMORY),
  GPU_BLOCKS("gpuBlocks", Unit.COUNT, "tritonwatch.kv.cache.gpu.blocks", Phase.MEMORY),
  CPU_BLOCKS("cpuBlocks", Unit.COUNT, "tritonwatch.kv.cache.cpu.blocks", Phase.MEMORY),
  MAX_CONCURRENCY("maxConcurrency", Unit.FACTOR, "tritonwatch.max.concurrency.ratio", Phase.MEMORY),
  MAX_CONCURRENCY_TOKENS("maxConcurrencyTokens", Unit.TOKENS, "tritonwatch.max.concurrency.request.tokens", Phase.MEMORY),
  MEMORY_PROFILING_SECONDS("memoryProfilingSeconds", Unit.SECONDS, "tritonwatch.memory.profiling", Phase.MEMORY),
  KV_PRIMARY_POOL_BLOCKS("kvPrimaryPoolBlocks", Unit.COUNT, null, Phase.MEMORY),
  KV_SECONDARY_POOL_BLOCKS("kvSecondaryPoolBlocks", Unit.COUNT, null, Phase.MEMORY),
  MAX_KV_PAGES_PER_SEQUENCE("maxKvPagesPerSequence", Unit.COUNT, null, Phase.MEMORY),
  BLOCKS_PER_SEQUENCE("blocksPerSequence", Unit.COUNT, null, Phase.MEMORY),
  MPI_WORLD_SIZE("mpiWorldSize", Unit.COUNT, null, Phase.NONE),
  TENSORRT_GPU_MIB("tensorrtGpuMiB", Unit.MIB, null, Phase.NONE),
  // Compilation and CUDA graphs
  DYNAMO_TRANSFORM_SECONDS("dynamoTransformSeconds", Unit.SECONDS, null, Phase.NONE),
  TORCH_COMPILE_SECONDS("torchCompileSeconds", Unit.SECONDS, "tritonwatch.torch.compile", Phase.NONE),
  DRAFTER_TORCH_COMPILE_SECONDS("drafterTorchCompileSeconds", Unit.SECONDS, null, Phase.NONE),
  GRAPH_CAPTURE_SECONDS("graphCaptureSeconds", Unit.SECONDS, "tritonwatch.graph.capture", Phase.GRAPHS),
  GRAPH_CAPTURE_GIB("graphCaptureGiB", Unit.GIB, "tritonwatch.graph.capture.memory", Phase.GRAPHS),
  ENGINE_INIT_SECONDS("engineInitSeconds", Unit.SECONDS, "tritonwatch.engine.init", Phase.NONE),
  /** Per model: seconds from "loading" to "successfully loaded". */
  LOAD_SECONDS("loadSeconds", Unit.SECONDS, null, Phase.NONE);

  /** What a figure counts; the metric's base unit and scale follow from it. */
  public enum Unit {
    BYTES("bytes", 1), GIB("bytes", 1024.0 * 1024 * 1024), MIB("bytes", 1024.0 * 1024),
    SECONDS("seconds", 1), MICROSECONDS("seconds", 1e-6), TOKENS(null, 1), COUNT(null, 1), RATIO(null, 1),
    FACTOR(null, 1), TEXT(null, 1);

    /** Prometheus base unit, null for a plain number. */
    public final String baseUnit;
    /** Factor from the summary's number to the base unit. */
    public final double scale;

    Unit(String baseUnit, double scale) {
      this.baseUnit = baseUnit;
      this.scale = scale;
    }
  }

  /** The part of a start-up whose lines print the figure; the tracker maps it to its stage. */
  public enum Phase { NONE, POOLS, WEIGHTS, MEMORY, GRAPHS }

  /** Name in the JSON summary; the unit is in the name where one is not implied. */
  public final String json;
  public final Unit unit;
  /** Meter name (Micrometer dots), or null: shown in the summary, not exported. */
  public final String metric;
  public final Phase phase;

  Figure(String json, Unit unit, String metric, Phase phase) {
    this.json = json;
    this.unit = unit;
    this.metric = metric;
    this.phase = phase;
  }

  private static final Map<String, Figure> BY_JSON = new HashMap<>();

  static {
    for (Figure f : values()) {
      BY_JSON.put(f.json, f);
    }
  }

  /** @return the figure of a JSON name, or null */
  public static Figure of(String json) {
    return BY_JSON.get(json);
  }
}
