package io.tritonwatch.metrics;

import java.util.Map;

/**
 * How each figure of the summary is exported: its meter name and base unit, and the factor
 * that turns the summary's unit (GiB, MiB) into the base unit.
 */
final class FigureMeters {

  record Spec(String name, String baseUnit, double scale) {}

  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final double MIB = 1024.0 * 1024;

  static final Map<String, Spec> SPECS = Map.ofEntries(
      Map.entry("weightsGiB", new Spec("tritonwatch.model.weights", "bytes", GIB)),
      Map.entry("weightsLoadSeconds", new Spec("tritonwatch.weights.load", "seconds", 1)),
      Map.entry("modelLoadSeconds", new Spec("tritonwatch.model.loading", "seconds", 1)),
      Map.entry("totalGpuMemoryGiB", new Spec("tritonwatch.gpu.memory.total", "bytes", GIB)),
      Map.entry("availableGpuMemoryGiB", new Spec("tritonwatch.gpu.memory.available", "bytes", GIB)),
      Map.entry("gpuMemoryUtilization", new Spec("tritonwatch.gpu.memory.utilization.ratio", null, 1)),
      Map.entry("kvCacheGiB", new Spec("tritonwatch.kv.cache", "bytes", GIB)),
      Map.entry("kvCacheBytes", new Spec("tritonwatch.kv.cache", "bytes", 1)),
      Map.entry("activationPeakGiB", new Spec("tritonwatch.activation.peak", "bytes", GIB)),
      Map.entry("nonTorchGiB", new Spec("tritonwatch.non.torch.memory", "bytes", GIB)),
      Map.entry("graphCaptureSeconds", new Spec("tritonwatch.graph.capture", "seconds", 1)),
      Map.entry("graphCaptureGiB", new Spec("tritonwatch.graph.capture.memory", "bytes", GIB)),
      Map.entry("engineInitSeconds", new Spec("tritonwatch.engine.init", "seconds", 1)),
      Map.entry("memoryProfilingSeconds", new Spec("tritonwatch.memory.profiling", "seconds", 1)),
      Map.entry("torchCompileSeconds", new Spec("tritonwatch.torch.compile", "seconds", 1)),
      Map.entry("gpuBlocks", new Spec("tritonwatch.kv.cache.gpu.blocks", null, 1)),
      Map.entry("cpuBlocks", new Spec("tritonwatch.kv.cache.cpu.blocks", null, 1)),
      Map.entry("kvCacheTokens", new Spec("tritonwatch.kv.cache.capacity.tokens", null, 1)),
      Map.entry("maxConcurrency", new Spec("tritonwatch.max.concurrency.ratio", null, 1)),
      Map.entry("maxConcurrencyTokens", new Spec("tritonwatch.max.concurrency.request.tokens", null, 1)),
      Map.entry("pinnedMemoryBytes", new Spec("tritonwatch.pinned.memory.pool", "bytes", 1)),
      Map.entry("engineSizeMiB", new Spec("tritonwatch.engine.size", "bytes", MIB)),
      Map.entry("maxSeqLen", new Spec("tritonwatch.max.sequence.length.tokens", null, 1)),
      Map.entry("tensorParallelSize", new Spec("tritonwatch.tensor.parallel.size", null, 1)));

  private FigureMeters() {}
}
