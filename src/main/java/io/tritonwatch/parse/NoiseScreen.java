package io.tritonwatch.parse;

/**
 * Says, from its first characters, whether an info-level message could mean anything to the
 * tracker. On a busy server 95% of lines are per-request chatter; this lets them pass with a
 * couple of character comparisons instead of every rule. It must never hide a line a rule
 * would read: {@code NoiseScreenTest} runs every real log line through both to prove it.
 * Warnings, errors and lines without a log header always go to the rules.
 */
final class NoiseScreen {

  /** Message starts of every rule that can match an info-level line, by first character. */
  private static final String[][] BY_FIRST = new String[128][];

  private static final String[] PREFIXES = {
      // Triton (MessageRules)
      "loading: ", "unloading: ", "successfully loaded", "successfully unloaded", "failed to load",
      "failed to poll model", "Poll failed for model", "Started ", "failed to start ", "error: creating server",
      "TRITONBACKEND_Initialize:", "TRITONBACKEND_ModelInitialize:", "TRITONBACKEND_ModelInstanceInitialize:",
      "Triton Server Version", "Signal (", "Waiting for in-flight", "Interrupt signal (", "Starting ",
      "failed to open text file", "GPU ", "localhost:", "Collecting metrics for GPU",
      "Pinned memory pool", "CUDA memory pool", "Unable to allocate pinned", "ERROR: ", "WARNING: ",
      "CUDA Minor Version", "CUDA Forward Compatibility", "NOTE: CUDA",
      // vLLM (VllmRules)
      "Loading weights took", "Loading model weights took", "Loading safetensors checkpoint shards",
      "Loading pt checkpoint shards", "Loading drafter model", "The current --gpu-memory-utilization",
      "Loading servable version", "Successfully loaded servable", "Encountered an error for servable",
      "Unloading servable", "Done unloading servable", "Model loading took", "Maximum concurrency", "Memory profiling",
      "the current vLLM instance can use", "model weights take", "Available KV cache memory", "# ",
      "GPU KV cache size", "Capturing", "Graph capturing finished", "init engine", "Initializing a",
      "Starting to load model", "Automatically detected platform", "Uvicorn running on", "Starting vLLM",
      "Application startup complete", "vLLM API server version", "non-default args:", "args: Namespace(",
      "torch.compile t", "Chunked prefill", "chunked prefill", "duration ", "total_gpu_memory",
      "gpu_memory_utilization", "non_torch_memory", "PyTorch activation peak memory",
      "available_kv_cache_memory", "EngineCore failed", "EngineCore encountered", "Engine core initialization failed",
      "Engine process failed", "Engine 000: vllm cache_config_info", "Your device '", "Time spent downloading",
      "Dynamo bytecode", "Free memory on device", "Shutting down", "Application shutdown complete",
      // TensorRT / TensorRT-LLM (TensorRtRules)
      "Loaded engine size", "MPI size", "Max KV cache pages", "Memory usage when calculating",
      "Number of blocks in KV cache", "Allocate ", "Using ", "[MemUsageChange]",
      "Deserialize required",
      // generic
      "Error: ", "Traceback",
  };

  static {
    java.util.Map<Character, java.util.List<String>> m = new java.util.HashMap<>();
    for (String p : PREFIXES) {
      m.computeIfAbsent(p.charAt(0), k -> new java.util.ArrayList<>()).add(p);
    }
    for (java.util.Map.Entry<Character, java.util.List<String>> e : m.entrySet()) {
      BY_FIRST[e.getKey()] = e.getValue().toArray(String[]::new);
    }
  }

  private NoiseScreen() {}

  static String[] prefixes() {
    return PREFIXES.clone();
  }

  /** @param from where the message starts in {@code s} (after an opening quote) */
  static boolean mayMatter(String s, int from) {
    if (from >= s.length()) {
      return true; // an empty message: Triton's table headers hang off one
    }
    char c = s.charAt(from);
    if (c >= 128) {
      return true;
    }
    String[] candidates = BY_FIRST[c];
    if (candidates == null) {
      // Tables, banners and anything odd go to the rules.
      return !Character.isLetter(c) && c != '"' && c != '[' && c != '(';
    }
    for (String p : candidates) {
      if (s.startsWith(p, from)) {
        return true;
      }
    }
    return false;
  }
}
