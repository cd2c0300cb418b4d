package io.tritonwatch.parse;

import io.tritonwatch.parse.TritonEvent.*;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vLLM's engine and server lines. They read the same inside Triton's vLLM backend and in a
 * standalone {@code vllm serve}; V0 and V1 engines differ in wording, both are read.
 */
final class VllmRules {

  private static final Pattern UVICORN_URL = Pattern.compile("Uvicorn running on (?:socket \\('([^']*)', (\\d+)\\)|https?://(\\[[^\\]]+\\]|[^:/\\s]+):(\\d+))");
  private static final Pattern VLLM_URL = Pattern.compile("^Starting vLLM (?:API )?server(?: \\d+)? on https?://(\\[[^\\]]+\\]|[^:/\\s]+):(\\d+)");
  private static final Pattern ENGINE = Pattern.compile("^Initializing an? (?:V\\d )?LLM engine (?:\\(v([^)]+)\\) )?with config: model='([^']*)'");
  private static final Pattern PLATFORM = Pattern.compile("^Automatically detected platform (\\w+)");
  private static final Pattern START_LOAD = Pattern.compile("^Starting to load model (.+?)\\.\\.\\.");
  private static final Pattern WEIGHTS_TOOK = Pattern.compile("^Loading weights took ([\\d.]+) seconds");
  private static final Pattern MODEL_LOADING_TOOK = Pattern.compile("^Model loading took ([\\d.]+) ?GiB(?: memory)? and ([\\d.]+) seconds");
  private static final Pattern WEIGHTS_GB = Pattern.compile("^Loading model weights took ([\\d.]+) ?GB");
  private static final Pattern BUDGET = Pattern.compile("total_gpu_memory \\(([\\d.]+) ?GiB\\) x gpu_memory_utilization \\(([\\d.]+)\\)");
  private static final Pattern WEIGHTS_TAKE = Pattern.compile("model weights take ([\\d.]+) ?GiB");
  private static final Pattern NON_TORCH = Pattern.compile("non_torch_memory takes ([\\d.]+) ?GiB");
  private static final Pattern ACTIVATION = Pattern.compile("activation peak memory takes ([\\d.]+) ?GiB");
  private static final Pattern KV_REST = Pattern.compile("reserved for KV Cache is ([\\d.]+) ?GiB");
  private static final Pattern KV_AVAILABLE = Pattern.compile("^Available KV cache memory: ([\\d.]+) ?GiB");
  private static final Pattern PROFILING = Pattern.compile("^Memory profiling takes ([\\d.]+) seconds");
  private static final Pattern BLOCKS = Pattern.compile("# (?i:GPU|CUDA) blocks: (\\d+(?:,\\d{3})*)(?:, # CPU blocks: (\\d+(?:,\\d{3})*))?");
  private static final Pattern KV_TOKENS = Pattern.compile("^GPU KV cache size: (\\d+(?:,\\d{3})*) tokens");
  /** Newer vLLM prints both on one line: "GPU KV cache size: N tokens, Maximum concurrency for ...". */
  private static final Pattern CONCURRENCY_INLINE = Pattern.compile(
      "Maximum concurrency for (\\d+(?:,\\d{3})*) tokens per request: ([\\d.]+)x");
  private static final Pattern UTILIZATION_EQUIVALENT = Pattern.compile("^The current --gpu-memory-utilization=([\\d.]+) ");
  private static final Pattern CONCURRENCY = Pattern.compile("^Maximum concurrency for (\\d+(?:,\\d{3})*) tokens per request: ([\\d.]+)x");
  private static final Pattern GRAPH_DONE = Pattern.compile("^Graph capturing finished in ([\\d.]+) secs?(?:, took ([\\d.]+) ?GiB)?");
  private static final Pattern ENGINE_INIT = Pattern.compile("^init engine \\(profile, create kv cache, warmup model\\) took ([\\d.]+) s");
  private static final Pattern NUM_GPU_BLOCKS = Pattern.compile("num_gpu_blocks is: (\\d+)");
  private static final Pattern DEVICE = Pattern.compile("^Your device '([^']+)' \\(with compute capability");
  private static final Pattern ATTENTION = Pattern.compile("^Using (\\w+) attention backend|^Using (\\w[\\w ]*?) backend(?:\\.$| on V1 engine)");
  private static final Pattern DOWNLOAD = Pattern.compile("^Time spent downloading weights for \\S+: ([\\d.]+) seconds");
  private static final Pattern DYNAMO = Pattern.compile("^Dynamo bytecode transform time: ([\\d.]+) s");
  private static final Pattern QUANTIZATION = Pattern.compile("quantization=(\\w+)");
  private static final Pattern FREE_MEMORY = Pattern.compile(
      "Free memory on device \\(([\\d.]+)/([\\d.]+) GiB\\) on startup.*?[Dd]esired GPU memory utilization (?:is )?\\(([\\d.]+), ([\\d.]+) GiB\\)");
  private static final Pattern TOTAL_CAPACITY = Pattern.compile("GPU \\d+ has a total capacity of ([\\d.]+) GiB");
  private static final Pattern ARG_MODEL = Pattern.compile("'model': '([^']+)'");
  private static final Pattern ARG_TP = Pattern.compile("'tensor_parallel_size': (\\d+)");
  private static final Pattern ARG_MAX_LEN = Pattern.compile("'max_model_len': (\\d+)");
  private static final Pattern COMMAND_MODEL = Pattern.compile("(?:--model[ =]|vllm serve )([^\\s-]\\S*)");

  private static final Pattern TORCH_COMPILE = Pattern.compile("^torch.compile (?:took|takes) ([\\d.]+) s");
  private static final Pattern PEAK_TORCH = Pattern.compile("peak_torch_memory=([\\d.]+) ?GiB");
  private static final Pattern MAX_SEQ = Pattern.compile("max_seq_len=(\\d+)");
  private static final Pattern TP = Pattern.compile("tensor_parallel_size=(\\d+)");
  private static final Pattern DTYPE = Pattern.compile("dtype=([\\w.]+)");

  private static final Pattern UTILIZATION_ARG = Pattern.compile("gpu_memory_utilization'?[=:] ?([\\d.]+)");

  private static final Pattern KV_TOTAL = Pattern.compile("total_gpu_memory=([\\d.]+) ?GiB");
  private static final Pattern KV_UTIL = Pattern.compile("gpu_memory_utilization=([\\d.]+)");
  private static final Pattern KV_NON_TORCH = Pattern.compile("non_torch_memory=([\\d.]+) ?GiB");
  private static final Pattern KV_SIZE = Pattern.compile("kv_cache_size=([\\d.]+) ?GiB");
  private static final Pattern KV_DURATION = Pattern.compile("duration=([\\d.]+) ?seconds");
  private static final Pattern PROFILE_ROW = Pattern.compile(
      "^(duration|total_gpu_memory|gpu_memory_utilization|model weights take|non_torch_memory"
          + "|PyTorch activation peak memory|available_kv_cache_memory)\\s+([\\d.]+)\\s*(?:GiB|seconds)?$");

  private VllmRules() {}

  static void read(String msg, char severity, List<TritonEvent> out) {
    Matcher m;
    char c = msg.charAt(0);
    if (c == 'L') {
      if (msg.startsWith("Loading weights took") && (m = WEIGHTS_TOOK.matcher(msg)).lookingAt()) {
        out.add(new WeightsLoaded(num(m.group(1))));
      } else if (msg.startsWith("Loading model weights took") && (m = WEIGHTS_GB.matcher(msg)).lookingAt()) {
        // vLLM divides by 2**30 here and calls it GB: the figure is GiB.
        out.add(new ModelMemory(num(m.group(1)), null));
      } else if (msg.startsWith("Loading drafter model")) {
        out.add(new DrafterLoading());
      } else if (msg.startsWith("Loading safetensors checkpoint shards")
          || msg.startsWith("Loading pt checkpoint shards")) {
        out.add(new WeightsLoading(null));
      }
    } else if (c == 'M') {
      if (msg.startsWith("Model loading took") && (m = MODEL_LOADING_TOOK.matcher(msg)).lookingAt()) {
        out.add(new ModelMemory(num(m.group(1)), num(m.group(2))));
      } else if (msg.startsWith("Maximum concurrency") && (m = CONCURRENCY.matcher(msg)).lookingAt()) {
        out.add(new MaxConcurrency(whole(m.group(1)), num(m.group(2))));
      } else if (msg.startsWith("Memory profiling takes") && (m = PROFILING.matcher(msg)).lookingAt()) {
        out.add(new MemoryProfiled(num(m.group(1))));
      } else if (msg.startsWith("Memory profiling results")) {
        profilingResults(msg, out);
      }
    } else if (msg.startsWith("the current vLLM instance can use") || msg.startsWith("model weights take")) {
      memory(msg, out);
    } else if (mayBeProfileRow(c) && (m = PROFILE_ROW.matcher(msg)).matches()) {
      profilingRow(m.group(1), num(m.group(2)), out);
    } else if (msg.startsWith("Available KV cache memory") && (m = KV_AVAILABLE.matcher(msg)).lookingAt()) {
      out.add(new KvCacheMemory(num(m.group(1))));
    } else if (msg.startsWith("# ") && (m = BLOCKS.matcher(msg)).find()) {
      long gpu = whole(m.group(1));
      out.add(new Blocks(gpu, m.group(2) == null ? null : whole(m.group(2))));
      if (gpu == 0) {
        // vLLM V0 raises "No available memory for the cache blocks" next: nothing left for the KV cache.
        out.add(new ErrorSeen(ErrorClass.OOM, msg));
      }
    } else if (msg.startsWith("GPU KV cache size") && (m = KV_TOKENS.matcher(msg)).lookingAt()) {
      out.add(new KvCacheTokens(whole(m.group(1))));
      if (msg.length() > 40 && (m = CONCURRENCY_INLINE.matcher(msg)).find()) {
        out.add(new MaxConcurrency(whole(m.group(1)), num(m.group(2))));
      }
    } else if (msg.startsWith("Capturing cudagraphs") || msg.startsWith("Capturing the model for CUDA graphs")
        || msg.startsWith("Capturing CUDA graph")) {
      out.add(new GraphCaptureStarted());
    } else if (msg.startsWith("Graph capturing finished") && (m = GRAPH_DONE.matcher(msg)).lookingAt()) {
      out.add(new GraphCaptureFinished(num(m.group(1)), m.group(2) == null ? null : num(m.group(2))));
    } else if (msg.startsWith("init engine") && (m = ENGINE_INIT.matcher(msg)).lookingAt()) {
      out.add(new EngineInitialized(num(m.group(1))));
    } else if (msg.startsWith("Initializing a") && (m = ENGINE.matcher(msg)).lookingAt()) {
      out.add(new EngineStarting(m.group(2), m.group(1)));
      engineConfig(msg, out);
    } else if (msg.startsWith("non-default args:") || msg.startsWith("args: Namespace(")) {
      arguments(msg, out);
    } else if (msg.startsWith("torch.compile t") && (m = TORCH_COMPILE.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.TORCH_COMPILE_SECONDS, num(m.group(1))));
    } else if (msg.startsWith("Starting to load model") && (m = START_LOAD.matcher(msg)).lookingAt()) {
      out.add(new WeightsLoading(m.group(1)));
    } else if (msg.startsWith("Automatically detected platform") && (m = PLATFORM.matcher(msg)).lookingAt()) {
      out.add(new PlatformDetected(m.group(1)));
    } else if (msg.startsWith("Uvicorn running on") && (m = UVICORN_URL.matcher(msg)).find()) {
      String host = m.group(1) != null ? m.group(1) : m.group(3);
      String port = m.group(2) != null ? m.group(2) : m.group(4);
      out.add(new ServiceStarted(ServiceKind.HTTP, host, Integer.parseInt(port)));
    } else if (msg.startsWith("Starting vLLM") && (m = VLLM_URL.matcher(msg)).lookingAt()) {
      out.add(new ServiceStarted(ServiceKind.HTTP, m.group(1), Integer.parseInt(m.group(2))));
    } else if (msg.startsWith("Shutting down") || msg.startsWith("Application shutdown complete")) {
      out.add(new ShutdownStarted(msg));
    } else if (msg.startsWith("Application startup complete")) {
      out.add(new ApplicationStarted());
    } else if (msg.startsWith("vLLM API server version")) {
      out.add(new Banner(Program.VLLM));
    } else if (msg.startsWith("EngineCore failed to start") || msg.startsWith("Engine process failed to start")
        || msg.startsWith("EngineCore encountered a fatal error")) {
      out.add(new EngineFailed(msg));
    } else if (msg.startsWith("Engine core initialization failed")) {
      // Only the API server's summary; the exception-shaped form is read as a Python exception.
      out.add(new Fatal(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
    } else if (msg.contains("hunked prefill is enabled")) {
      out.add(new WarningSeen(WarningClass.CHUNKED_PREFILL, msg));
    } else {
      more(msg, out);
    }
  }

  /** Rarer lines, kept out of the chain above so the common ones are tried first. */
  private static void more(String msg, List<TritonEvent> out) {
    Matcher m;
    char c = msg.charAt(0);
    if (c == 'E' && msg.startsWith("Engine 0") && (m = NUM_GPU_BLOCKS.matcher(msg)).find()) {
      // V1 loggers (0.9-0.11): the engine-level count after every rank agreed on the minimum.
      out.add(new Blocks(whole(m.group(1)), null));
    } else if (c == 'Y' && (m = DEVICE.matcher(msg)).lookingAt()) {
      out.add(new GpuName(0, m.group(1)));
    } else if (c == 'U' && msg.startsWith("Using ") && (m = ATTENTION.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.ATTENTION_BACKEND, m.group(1) != null ? m.group(1) : m.group(2)));
    } else if (c == 'T' && (m = DOWNLOAD.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.WEIGHTS_DOWNLOAD_SECONDS, num(m.group(1))));
    } else if (c == 'D' && (m = DYNAMO.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.DYNAMO_TRANSFORM_SECONDS, num(m.group(1))));
    } else if (c == 'T' && (m = UTILIZATION_EQUIVALENT.matcher(msg)).lookingAt()) {
      out.add(new FigureSeen(Figure.GPU_MEMORY_UTILIZATION, num(m.group(1))));
    } else if (c == 'F' && msg.startsWith("Free memory on device")) {
      memoryAtStart(msg, out);
    } else if ((msg.contains("vllm.entrypoints.openai.api_server") || msg.contains("vllm serve "))
        && (m = COMMAND_MODEL.matcher(msg)).find()) {
      // A wrapper's echo of the command line: the only name of the model when arguments fail.
      out.add(new ServedModel(m.group(1)));
    }
  }

  /** What the user asked for, printed before anything else (0.6+: non-default args, older: Namespace). */
  private static void arguments(String msg, List<TritonEvent> out) {
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

  /**
   * Whether a message starting with {@code c} may be a row of the memory profile: the first
   * letters of its row names. Most start-up messages get this far, and each tried the
   * expression (see MessageRules.mayBePythonException for what the two tests saved).
   */
  private static boolean mayBeProfileRow(char c) {
    return c == 'd' || c == 't' || c == 'g' || c == 'm' || c == 'n' || c == 'P' || c == 'a';
  }

  private static void engineConfig(String msg, List<TritonEvent> out) {
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
  }

  /** vLLM 0.6.4-0.6.6 put the whole profile on one line as key=value pairs. */
  private static void profilingResults(String msg, List<TritonEvent> out) {
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
  private static void profilingRow(String key, double value, List<TritonEvent> out) {
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

  private static void memory(String msg, List<TritonEvent> out) {
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

  private static Double find(Pattern p, String msg) {
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
