package io.tritonwatch.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tritonwatch.stage.ModelSummary;
import io.tritonwatch.stage.Problem;
import io.tritonwatch.stage.RunSummary;
import io.tritonwatch.stage.Service;
import io.tritonwatch.stage.StartupSummary;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Each log's .yml says what a correct reading finds. This test checks every fact of it against
 * the summary: outcome (per start-up where the log holds several), models with state and
 * reason, services, the error class, the server version and the figures. A figure key no rule
 * here knows fails the test, so a new corpus file cannot slip through unread.
 */
class CorpusFactsTest {

  /** yml figure -> summary figure, for plain numbers and text. */
  private static final Map<String, String> SAME = Map.ofEntries(
      Map.entry("pinned_memory_bytes", "pinnedMemoryBytes"),
      Map.entry("weights_load_seconds", "weightsLoadSeconds"),
      Map.entry("weights_gib", "weightsGiB"),
      Map.entry("weights_gb", "weightsGiB"),
      Map.entry("weights_gb_per_worker", "weightsGiB"),
      Map.entry("model_loading_seconds", "modelLoadSeconds"),
      Map.entry("total_gpu_memory_gib", "totalGpuMemoryGiB"),
      Map.entry("gpu_memory_utilization", "gpuMemoryUtilization"),
      Map.entry("kv_cache_gib", "kvCacheGiB"),
      Map.entry("activation_peak_gib", "activationPeakGiB"),
      Map.entry("non_torch_memory_gib", "nonTorchGiB"),
      Map.entry("graph_capture_seconds", "graphCaptureSeconds"),
      Map.entry("graph_capture_gib", "graphCaptureGiB"),
      Map.entry("engine_init_seconds", "engineInitSeconds"),
      Map.entry("gpu_blocks", "gpuBlocks"),
      Map.entry("cpu_blocks", "cpuBlocks"),
      Map.entry("kv_cache_tokens", "kvCacheTokens"),
      Map.entry("memory_profiling_seconds", "memoryProfilingSeconds"),
      Map.entry("torch_compile_seconds", "torchCompileSeconds"),
      Map.entry("max_seq_len", "maxSeqLen"),
      Map.entry("tensor_parallel_size", "tensorParallelSize"),
      Map.entry("dtype", "dtype"),
      Map.entry("gpu_name", "gpuName"),
      Map.entry("model_repository_path", "modelRepositoryPath"),
      Map.entry("exit_timeout", "exitTimeoutSeconds"),
      Map.entry("strict_model_config", "strictModelConfig"),
      Map.entry("trt_loaded_engine_size_mib", "engineSizeMiB"),
      Map.entry("trtllm_loaded_engine_size_mib", "engineSizeMiB"),
      Map.entry("mpi_world_size", "mpiWorldSize"),
      Map.entry("trtllm_total_gpu_memory_gib", "totalGpuMemoryGiB"),
      Map.entry("trtllm_available_gpu_memory_gib", "availableGpuMemoryGiB"),
      Map.entry("trtllm_kv_primary_pool_blocks", "kvPrimaryPoolBlocks"),
      Map.entry("trtllm_kv_secondary_pool_blocks", "kvSecondaryPoolBlocks"),
      Map.entry("trtllm_max_kv_pages_per_sequence", "maxKvPagesPerSequence"),
      Map.entry("trtllm_gpu_mib_after_context", "tensorrtGpuMiB"),
      Map.entry("trt_gpu_mib_after_last_instance", "tensorrtGpuMiB"),
      Map.entry("trtllm_kv_cache_bytes", "kvCacheBytes"),
      Map.entry("trtllm_kv_cache_tokens", "kvCacheTokens"),
      Map.entry("trtllm_blocks_per_sequence", "blocksPerSequence"),
      Map.entry("free_gpu_memory_gib", "freeGpuMemoryGiB"),
      Map.entry("requested_gpu_memory_gib", "requestedGpuMemoryGiB"),
      Map.entry("gpu_total_capacity_gib", "totalGpuMemoryGiB"),
      Map.entry("attention_backend", "attentionBackend"),
      Map.entry("weights_download_seconds", "weightsDownloadSeconds"),
      Map.entry("dynamo_transform_seconds", "dynamoTransformSeconds"),
      Map.entry("quantization", "quantization"),
      Map.entry("trt_deserialize_microseconds", "trtDeserializeMicroseconds"),
      Map.entry("pinned_memory_pool_byte_size_option", "pinnedMemoryBytes"),
      Map.entry("peak_torch_memory_gib", "peakTorchGiB"));

  /**
   * Facts in the .yml files that this reading does not (yet) extract, each for a reason: they
   * come from outside the log (command line, issue text), or describe the engine style rather
   * than a figure, or are byproducts of an error blob.
   */
  private static final Set<String> NOT_READ = Set.of(
      "engine_style", "weight_shards", "usable_gpu_memory_gib", "model_control_mode_cmdline",
      "trt_execution_context_gpu_mib", "shutdown", "backend_api_version", "grpc_bind_errno",
      "ipv6_socket_errno", "model_load_seconds_from_log", "trtllm_max_batch_size",
      "trtllm_max_attention_window", "runtime_buffers_mb", "decoder_mb", "server_version",
      "model_control_mode",
      // 212: the log prints no platform; the .yml infers ROCm from a missing libtorch_hip.so
      "platform");

  @TestFactory
  List<DynamicTest> everyFactOfEveryYml() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path log : CorpusLogs.all()) {
      Path yml = Path.of(log.toString().replace(".log", ".yml"));
      tests.add(DynamicTest.dynamicTest(CorpusLogs.name(log), () -> check(log, yml)));
    }
    return tests;
  }

  @SuppressWarnings("unchecked")
  private static void check(Path log, Path ymlPath) throws Exception {
    Map<String, Object> yml;
    try (InputStream in = Files.newInputStream(ymlPath)) {
      yml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    StartupSummary s = CorpusLogs.read(log);
    List<String> problems = new ArrayList<>();

    List<Map<String, Object>> runs = (List<Map<String, Object>>) yml.get("runs");
    if (runs != null) {
      if (runs.size() != s.runs().size()) {
        problems.add("runs: want " + runs.size() + ", got " + s.runs().size());
      } else {
        for (int i = 0; i < runs.size(); i++) {
          String want = outcome(String.valueOf(runs.get(i).get("outcome")));
          String got = s.runs().get(i).outcome().id();
          if (!want.equals(got)) {
            problems.add("run " + (i + 1) + " outcome: want " + want + ", got " + got);
          }
        }
      }
    } else {
      String want = outcome(String.valueOf(yml.get("outcome")));
      if (!want.equals(s.outcome().id())) {
        problems.add("outcome: want " + want + ", got " + s.outcome().id());
      }
    }

    List<ModelSummary> allModels = new ArrayList<>(s.models());
    for (RunSummary r : s.runs()) {
      allModels.addAll(r.models());
    }
    for (Map<String, Object> m : list(yml.get("models"))) {
      checkModel(m, allModels, problems);
    }
    for (Map<String, Object> svc : list(yml.get("services"))) {
      if (String.valueOf(svc.get("note")).contains("failed")) {
        continue;
      }
      String kind = String.valueOf(svc.get("kind"));
      int port = port(String.valueOf(svc.get("address")));
      boolean found = s.services().stream().anyMatch(x -> x.kind().equals(kind) && x.port() == port);
      if (!found) {
        problems.add("service " + kind + ":" + port + " missing in " + s.services());
      }
    }
    String errorClass = String.valueOf(yml.get("error_class"));
    if (!errorClass.equals("none")) {
      boolean found = s.errors().stream().map(Problem::kind).anyMatch(errorClass::equals)
          || allModels.stream().anyMatch(m -> errorClass.equals(m.errorClass()));
      if (!found) {
        problems.add("error class " + errorClass + " missing in " + s.errors());
      }
    }
    String version = version(String.valueOf(yml.get("triton_version")));
    if (version != null && !version.equals(s.tritonVersion())) {
      problems.add("triton version: want " + version + ", got " + s.tritonVersion());
    }
    Map<String, Object> figures = (Map<String, Object>) yml.getOrDefault("figures", Map.of());
    for (Map.Entry<String, Object> f : figures.entrySet()) {
      checkFigure(f.getKey(), f.getValue(), s, problems);
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  private static void checkModel(Map<String, Object> m, List<ModelSummary> models, List<String> problems) {
    String name = String.valueOf(m.get("name"));
    String state = String.valueOf(m.get("final_status"));
    if (name.startsWith("(") || state.equals("unknown")) {
      return;
    }
    String version = m.get("version") == null ? null : String.valueOf(m.get("version"));
    String reason = (String) m.get("failure_reason");
    boolean found = models.stream().anyMatch(x -> x.name().equals(name)
        && (version == null || version.equals(x.version()))
        // final_status is where the model ended: frozen at the start-up's end, or where it is now
        && (stateMatches(state, x.state().name()) || stateMatches(state, x.currentState().name()))
        && (reason == null || x.reason() != null && squash(x.reason()).contains(squash(reason))));
    if (!found) {
      problems.add("model " + name + ":" + version + " " + state + " (" + reason + ") not in "
          + models.stream().map(x -> x.name() + ":" + x.version() + " " + x.state() + " (" + x.reason() + ")").toList());
    }
  }

  private static boolean stateMatches(String want, String got) {
    return switch (want) {
      case "UNAVAILABLE" -> got.equals("FAILED") || got.equals("UNAVAILABLE");
      case "UNLOADING" -> got.equals("UNLOADING") || got.equals("UNLOADED");
      default -> want.equals(got);
    };
  }

  @SuppressWarnings("unchecked")
  private static void checkFigure(String key, Object want, StartupSummary s, List<String> problems) {
    if (NOT_READ.contains(key)) {
      return;
    }
    // A log of several start-ups states a figure if any of them printed it.
    List<String> misses = new ArrayList<>();
    List<Map<String, Object>> candidates = new ArrayList<>();
    candidates.add(s.figures());
    s.runs().forEach(r -> candidates.add(r.figures()));
    for (Map<String, Object> got : candidates) {
      misses.clear();
      checkFigureIn(key, want, got, misses);
      if (misses.isEmpty()) {
        return;
      }
    }
    problems.addAll(misses);
  }

  @SuppressWarnings("unchecked")
  private static void checkFigureIn(String key, Object want, Map<String, Object> got, List<String> problems) {
    if (key.equals("cuda_pool_bytes")) {
      Map<String, Object> pools = (Map<String, Object>) got.getOrDefault("cudaPoolBytes", Map.of());
      List<Map<String, Object>> wanted = want instanceof List ? (List<Map<String, Object>>) want
          : List.of((Map<String, Object>) want);
      for (Map<String, Object> w : wanted) {
        Object bytes = pools.get(String.valueOf(w.get("device")));
        if (bytes == null || ((Number) bytes).longValue() != ((Number) w.get("bytes")).longValue()) {
          problems.add("cudaPoolBytes device " + w.get("device") + ": want " + w.get("bytes") + ", got " + bytes);
        }
      }
      return;
    }
    if (key.equals("max_concurrency")) {
      Map<String, Object> w = (Map<String, Object>) want;
      expectNumber("maxConcurrencyTokens", w.get("tokens"), got, problems);
      expectNumber("maxConcurrency", w.get("factor"), got, problems);
      return;
    }
    String name = SAME.get(key);
    if (name == null) {
      problems.add("figure " + key + " has no rule in this test: read it, or list it in NOT_READ with a reason");
      return;
    }
    expectNumber(name, want, got, problems);
  }

  @SuppressWarnings("unchecked")
  private static void expectNumber(String name, Object want, Map<String, Object> got, List<String> problems) {
    Object value = got.get(name);
    List<Object> candidates = new ArrayList<>();
    if (want instanceof List<?> l) {
      candidates.addAll(l);
    } else if (want instanceof Map<?, ?> m) {
      candidates.addAll(m.values());
    } else {
      candidates.add(want);
    }
    for (Object c : candidates) {
      if (value instanceof Number n && c instanceof Number w) {
        double tolerance = Math.max(0.011, Math.abs(w.doubleValue()) * 0.002);
        if (Math.abs(n.doubleValue() - w.doubleValue()) <= tolerance) {
          return;
        }
      } else if (value != null && dtype(String.valueOf(value)).equals(dtype(String.valueOf(c)))) {
        return;
      }
    }
    problems.add("figure " + name + ": want " + want + ", got " + value);
  }

  /** "torch.float16" and "float16" name one type: vLLM prints either. */
  private static String dtype(String s) {
    return s.startsWith("torch.") ? s.substring("torch.".length()) : s;
  }

  private static String outcome(String yml) {
    return yml.equals("exited") ? "failed" : yml;
  }

  private static final Pattern SEMVER = Pattern.compile("(?:Triton Server Version |^)(\\d+\\.\\d+\\.\\d+)");

  private static String version(String yml) {
    Matcher m = SEMVER.matcher(yml);
    return m.find() ? m.group(1) : null;
  }

  private static int port(String address) {
    Matcher m = Pattern.compile("(\\d+)\\)?$").matcher(address.strip());
    assertTrue(m.find(), "no port in " + address);
    return Integer.parseInt(m.group(1));
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return o == null ? List.of() : (List<Map<String, Object>>) o;
  }
}
