package io.tritonwatch.parse;

import io.tritonwatch.parse.TritonEvent.*;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What vLLM's rules read out of a message beyond their own expression: figures, settings, arguments. */
final class VllmMessages {

  private static final Pattern BUDGET = Pattern.compile("total_gpu_memory \\(([\\d.]+) ?GiB\\) x gpu_memory_utilization \\(([\\d.]+)\\)");
  private static final Pattern WEIGHTS_TAKE = Pattern.compile("model weights take ([\\d.]+) ?GiB");
  private static final Pattern NON_TORCH = Pattern.compile("non_torch_memory takes ([\\d.]+) ?GiB");
  private static final Pattern ACTIVATION = Pattern.compile("activation peak memory takes ([\\d.]+) ?GiB");
  private static final Pattern KV_REST = Pattern.compile("reserved for KV Cache is ([\\d.]+) ?GiB");
  private static final Pattern CONCURRENCY_INLINE = Pattern.compile(
      "Maximum concurrency for (\\d+(?:,\\d{3})*) tokens per request: ([\\d.]+)x");
  private static final Pattern QUANTIZATION = Pattern.compile("quantization=(\\w+)");
  private static final Pattern FREE_MEMORY = Pattern.compile(
      "Free memory on device(?: \\S+)? \\(([\\d.]+)/([\\d.]+) GiB\\) on startup.*?[Dd]esired GPU memory utilization (?:is )?\\(([\\d.]+), ([\\d.]+) GiB\\)");
  private static final Pattern TOTAL_CAPACITY = Pattern.compile("GPU \\d+ has a total capacity of ([\\d.]+) GiB");
  private static final Pattern ARG_MODEL = Pattern.compile("'model': '([^']+)'");
  private static final Pattern ARG_TP = Pattern.compile("'tensor_parallel_size': (\\d+)");
  private static final Pattern ARG_MAX_LEN = Pattern.compile("'max_model_len': (\\d+)");
  private static final Pattern PEAK_TORCH = Pattern.compile("peak_torch_memory=([\\d.]+) ?GiB");
  private static final Pattern MAX_SEQ = Pattern.compile("max_seq_len=(\\d+)");
  private static final Pattern CHUNKED_PREFILL_OFF =
      Pattern.compile("(?:chunked_prefill_enabled|enable_chunked_prefill)=False");
  private static final Pattern TP = Pattern.compile("tensor_parallel_size=(\\d+)");
  private static final Pattern DTYPE = Pattern.compile("dtype=([\\w.]+)");
  private static final Pattern UTILIZATION_ARG = Pattern.compile("gpu_memory_utilization'?[=:] ?([\\d.]+)");
  private static final Pattern KV_TOTAL = Pattern.compile("total_gpu_memory=([\\d.]+) ?GiB");
  private static final Pattern KV_UTIL = Pattern.compile("gpu_memory_utilization=([\\d.]+)");
  private static final Pattern KV_NON_TORCH = Pattern.compile("non_torch_memory=([\\d.]+) ?GiB");
  private static final Pattern KV_SIZE = Pattern.compile("kv_cache_size=([\\d.]+) ?GiB");
  private static final Pattern KV_DURATION = Pattern.compile("duration=([\\d.]+) ?seconds");

  private VllmMessages() {}

  static void blocks(List<TritonEvent> out, Matcher m, String msg, String source) {
    long gpu = whole(m.group(1));
    out.add(new Blocks(gpu, m.group(2) == null ? null : whole(m.group(2))));
    if (gpu == 0) {
      // vLLM V0 raises "No available memory for the cache blocks" next: nothing left for the KV cache.
      out.add(new ErrorSeen(ErrorClass.OOM, msg));
    }
  }

  /** Newer vLLM prints the concurrency on the same line: "GPU KV cache size: N tokens, Maximum concurrency ...". */
  static void kvCacheTokens(List<TritonEvent> out, Matcher m, String msg, String source) {
    out.add(new KvCacheTokens(whole(m.group(1))));
    Matcher c;
    if (msg.length() > 40 && (c = CONCURRENCY_INLINE.matcher(msg)).find()) {
      out.add(new MaxConcurrency(whole(c.group(1)), num(c.group(2))));
    }
  }


  /** What the user asked for, printed before anything else (0.6+: non-default args, older: Namespace). */
  static void arguments(String msg, List<TritonEvent> out) {
    Matcher m;
    if ((m = UTILIZATION_ARG.matcher(msg)).find()) {
      out.add(new FigureSeen(Figure.GPU_MEMORY_UTILIZATION, num(m.group(1))));
    }
    if ((m = ARG_MODEL.matcher(msg)).find()) {
      out.add(new ServedModel(m.group(1)));
    }
    if ((m = ARG_TP.matcher(msg)).find()) {
      out.add(new FigureSeen(Figure.TENSOR_PARALLEL_SIZE, Long.parseLong(m.group(1))));
    }
    if ((m = ARG_MAX_LEN.matcher(msg)).find()) {
      out.add(new FigureSeen(Figure.MAX_SEQ_LEN, Long.parseLong(m.group(1))));
    }
  }

  /**
   * The free memory vLLM found at start against what it was asked to take, from its INFO line
   * (0.11+) or from the ValueError it raises when the first is smaller; and the GPU's size
   * from a CUDA out-of-memory message.
   */
  static void memoryAtStart(String msg, List<TritonEvent> out) {
    Matcher m;
    if ((m = FREE_MEMORY.matcher(msg)).find()) {
      out.add(new FigureSeen(Figure.FREE_GPU_MEMORY_GIB, num(m.group(1))));
      out.add(new FigureSeen(Figure.TOTAL_GPU_MEMORY_GIB, num(m.group(2))));
      out.add(new FigureSeen(Figure.GPU_MEMORY_UTILIZATION, num(m.group(3))));
      out.add(new FigureSeen(Figure.REQUESTED_GPU_MEMORY_GIB, num(m.group(4))));
    } else if ((m = TOTAL_CAPACITY.matcher(msg)).find()) {
      out.add(new FigureSeen(Figure.TOTAL_GPU_MEMORY_GIB, num(m.group(1))));
    }
  }

  static void engineConfig(String msg, List<TritonEvent> out) {
    Matcher m = MAX_SEQ.matcher(msg);
    if (m.find()) {
      out.add(new FigureSeen(Figure.MAX_SEQ_LEN, Long.parseLong(m.group(1))));
    }
    m = TP.matcher(msg);
    if (m.find()) {
      out.add(new FigureSeen(Figure.TENSOR_PARALLEL_SIZE, Long.parseLong(m.group(1))));
    }
    m = DTYPE.matcher(msg);
    if (m.find()) {
      out.add(new FigureSeen(Figure.DTYPE, m.group(1)));
    }
    m = QUANTIZATION.matcher(msg);
    if (m.find() && !m.group(1).equals("None")) {
      out.add(new FigureSeen(Figure.QUANTIZATION, m.group(1)));
    }
    // The engine config is the resolved setting (the arguments' None means "engine default"),
    // and vLLM says nothing else when chunked prefill ends up off.
    m = CHUNKED_PREFILL_OFF.matcher(msg);
    if (m.find()) {
      out.add(new WarningSeen(WarningClass.CHUNKED_PREFILL, "chunked prefill is off (" + m.group() + " in the engine config)"));
    }
  }

  /** vLLM 0.6.4-0.6.6 put the whole profile on one line as key=value pairs. */
  static void profilingResults(String msg, List<TritonEvent> out) {
    Double total = find(KV_TOTAL, msg);
    Double util = find(KV_UTIL, msg);
    if (total != null && util != null) {
      out.add(new GpuBudget(total, util));
    }
    Double nonTorch = find(KV_NON_TORCH, msg);
    Double kv = find(KV_SIZE, msg);
    if (nonTorch != null || kv != null) {
      out.add(new MemoryBreakdown(null, nonTorch, null, kv));
    }
    Double peak = find(PEAK_TORCH, msg);
    if (peak != null) {
      out.add(new FigureSeen(Figure.PEAK_TORCH_GIB, peak));
    }
    Double duration = find(KV_DURATION, msg);
    if (duration != null) {
      out.add(new MemoryProfiled(duration));
    }
  }

  /** vLLM 0.6.5 printed the profile as a table, one "name   value" row per line. */
  static void profilingRow(String key, double value, List<TritonEvent> out) {
    switch (key) {
      case "duration" -> out.add(new MemoryProfiled(value));
      case "total_gpu_memory" -> out.add(new FigureSeen(Figure.TOTAL_GPU_MEMORY_GIB, value));
      case "gpu_memory_utilization" -> out.add(new FigureSeen(Figure.GPU_MEMORY_UTILIZATION, value));
      case "model weights take" -> out.add(new MemoryBreakdown(value, null, null, null));
      case "non_torch_memory" -> out.add(new MemoryBreakdown(null, value, null, null));
      case "PyTorch activation peak memory" -> out.add(new MemoryBreakdown(null, null, value, null));
      case "available_kv_cache_memory" -> out.add(new MemoryBreakdown(null, null, null, value));
      default -> { }
    }
  }

  static void memory(String msg, List<TritonEvent> out) {
    Matcher m;
    if ((m = BUDGET.matcher(msg)).find()) {
      out.add(new GpuBudget(num(m.group(1)), num(m.group(2))));
    }
    Double weights = find(WEIGHTS_TAKE, msg);
    Double nonTorch = find(NON_TORCH, msg);
    Double activation = find(ACTIVATION, msg);
    Double kv = find(KV_REST, msg);
    if (weights != null || nonTorch != null || activation != null || kv != null) {
      out.add(new MemoryBreakdown(weights, nonTorch, activation, kv));
    }
  }

  static Double find(Pattern p, String msg) {
    Matcher m = p.matcher(msg);
    return m.find() ? num(m.group(1)) : null;
  }

  static double num(String s) {
    return Double.parseDouble(s);
  }

  static long whole(String s) {
    return Long.parseLong(s.replace(",", ""));
  }
}
