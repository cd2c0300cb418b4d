package io.tritonwatch.parse;

import static io.tritonwatch.parse.Rule.rule;

import io.tritonwatch.parse.Rule.Emit;
import io.tritonwatch.parse.TritonEvent.*;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vLLM's engine and server lines. They read the same inside Triton's vLLM backend and in a
 * standalone {@code vllm serve}; V0 and V1 engines differ in wording, both are read.
 */
final class VllmRules {

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

  static final List<Rule> ALL = List.of(
      rule("weights-loaded", "vllm")
          .startsWith("Loading weights took")
          .expression("^Loading weights took ([\\d.]+) seconds")
          .example("2025-07-20 14:05:08.144 | INFO 07-20 11:05:08 [default_loader.py:278] Loading weights took 18.04 seconds",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 14")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new WeightsLoaded(num(m.group(1))));
            }
          }),
      // vLLM divides by 2**30 here and calls it GB: the figure is GiB.
      rule("weights-memory-v0", "vllm")
          .startsWith("Loading model weights took")
          .expression("^Loading model weights took ([\\d.]+) ?GB")
          .example("\u001b[1;36m(VllmWorkerProcess pid=1064416)\u001b[0;0m INFO 03-19 06:35:16 model_runner.py:1067] Loading model weights took 15.3916 GB",
              "corpus 009 (leadawon/structrag:vllm.log@b08137e) line 50")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelMemory(num(m.group(1)), null));
            }
          }),
      rule("drafter-loading", "vllm")
          .startsWith("Loading drafter model")
          .example("2026-04-19 17:31:56.941 | (EngineCore pid=263) INFO 04-19 15:31:56 [gpu_model_runner.py:4776] Loading drafter model...",
              "public vLLM log (stored copy, file id 51799290958)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new DrafterLoading());
            }
          }),
      rule("checkpoint-shards", "vllm")
          .startsWith("Loading safetensors checkpoint shards", "Loading pt checkpoint shards")
          .example("2025-07-20 14:05:08.020 | Loading safetensors checkpoint shards: 100% Completed | 1/1 [00:17<00:00, 17.91s/it]",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 13")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new WeightsLoading(null));
            }
          }),
      rule("model-loading-took", "vllm")
          .startsWith("Model loading took")
          .expression("^Model loading took ([\\d.]+) ?GiB(?: memory)? and ([\\d.]+) seconds")
          .example("2025-07-20 14:05:08.252 | INFO 07-20 11:05:08 [model_runner.py:1205] Model loading took 2.3185 GiB and 18.286789 seconds",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 15")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ModelMemory(num(m.group(1)), num(m.group(2))));
            }
          }),
      rule("max-concurrency", "vllm")
          .startsWith("Maximum concurrency")
          .expression("^Maximum concurrency for (\\d+(?:,\\d{3})*) tokens per request: ([\\d.]+)x")
          .example("2025-07-20 14:05:09.480 | INFO 07-20 11:05:09 [executor_base.py:117] Maximum concurrency for 131072 tokens per request: 2.72x",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 19")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new MaxConcurrency(whole(m.group(1)), num(m.group(2))));
            }
          }),
      rule("memory-profiling-took", "vllm")
          .startsWith("Memory profiling takes")
          .expression("^Memory profiling takes ([\\d.]+) seconds")
          .example("\u001b[1;36m(VllmWorkerProcess pid=1031294)\u001b[0;0m INFO 04-14 08:39:33 worker.py:267] Memory profiling takes 6.63 seconds",
              "corpus 010 (daxdelvira/distributed_agent_gc:logs/vllm.log@23e938e) line 42")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new MemoryProfiled(num(m.group(1))));
            }
          }),
      // vLLM 0.6.4-0.6.6 put the whole profile on one line as key=value pairs.
      rule("memory-profiling-results", "vllm")
          .startsWith("Memory profiling results")
          .example("\u001b[1;36m(VllmWorkerProcess pid=1825469)\u001b[0;0m INFO 11-18 17:11:01 worker.py:232] Memory profiling results: total_gpu_memory=44.42GiB initial_memory_usage=8.19GiB peak_torch_memory=7.57GiB memory_usage_post_profile=8.26GiB non_torch_memory=0.73GiB kv_cache_size=31.68GiB gpu_memory_utilization=0.90",
              "corpus 222 (0324wy/MapCoder:vllm.log@ff7f252) line 41")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              profilingResults(msg, out);
            }
          }),
      rule("memory-budget", "vllm")
          .startsWith("the current vLLM instance can use", "model weights take")
          .example("2025-07-20 14:05:09.365 | INFO 07-20 11:05:09 [worker.py:292] the current vLLM instance can use total_gpu_memory (16.00GiB) x gpu_memory_utilization (0.90) = 14.40GiB",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 16")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              memory(msg, out);
            }
          }),
      // vLLM 0.6.5 printed the profile as a table, one "name   value" row per line.
      rule("memory-profile-row", "vllm")
          .startsWith("duration", "total_gpu_memory", "gpu_memory_utilization", "model weights take",
              "non_torch_memory", "PyTorch activation peak memory", "available_kv_cache_memory")
          .expression("^(duration|total_gpu_memory|gpu_memory_utilization|model weights take|non_torch_memory"
              + "|PyTorch activation peak memory|available_kv_cache_memory)\\s+([\\d.]+)\\s*(?:GiB|seconds)?$")
          .example("INFO 12-13 19:54:18 worker.py:243] duration     0.75 seconds",
              "vllm-project/vllm#10511 (vLLM 0.6.5)")
          .example("INFO 12-13 19:54:18 worker.py:243] available_kv_cache_memory    53.29GiB",
              "vllm-project/vllm#10511 (vLLM 0.6.5)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              profilingRow(m.group(1), num(m.group(2)), out);
            }
          }),
      rule("kv-cache-memory", "vllm")
          .startsWith("Available KV cache memory")
          .expression("^Available KV cache memory: ([\\d.]+) ?GiB")
          .example("\u001b[0;36m(EngineCore_DP0 pid=165)\u001b[0;0m INFO 02-05 00:07:06 [gpu_worker.py:375] Available KV cache memory: 12.94 GiB",
              "corpus 012 (TW-10519/VLLM-ROUTER:logs/vllm.log@43179ad) line 114")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new KvCacheMemory(num(m.group(1))));
            }
          }),
      rule("kv-blocks", "vllm")
          .startsWith("# ")
          .expression("# (?i:GPU|CUDA) blocks: (\\d+(?:,\\d{3})*)(?:, # CPU blocks: (\\d+(?:,\\d{3})*))?")
          .example("2025-07-20 14:05:09.480 | INFO 07-20 11:05:09 [executor_base.py:112] # CUDA blocks: 22251, # CPU blocks: 8192",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 18")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              blocks(out, m, msg, src);
            }
          }),
      rule("kv-cache-tokens", "vllm")
          .startsWith("GPU KV cache size")
          .expression("^GPU KV cache size: (\\d+(?:,\\d{3})*) tokens")
          .example("\u001b[0;36m(EngineCore_DP0 pid=165)\u001b[0;0m INFO 02-05 00:07:07 [kv_cache_utils.py:1291] GPU KV cache size: 282,624 tokens",
              "corpus 012 (TW-10519/VLLM-ROUTER:logs/vllm.log@43179ad) line 115")
          .example("GPU KV cache size: 9,026,017 tokens, Maximum concurrency for 32,768 tokens per request: 275.45x",
              "public vLLM log (stored copy, file id 69071100417)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              kvCacheTokens(out, m, msg, src);
            }
          }),
      rule("graph-capture-started", "vllm")
          .startsWith("Capturing cudagraphs", "Capturing the model for CUDA graphs", "Capturing CUDA graph")
          .example("2025-07-20 14:05:09.884 | INFO 07-20 11:05:09 [model_runner.py:1515] Capturing cudagraphs for decoding. This may lead to unexpected consequences if the model is not static.",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 20")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new GraphCaptureStarted());
            }
          }),
      rule("graph-capture-finished", "vllm")
          .startsWith("Graph capturing finished")
          .expression("^Graph capturing finished in ([\\d.]+) secs?(?:, took ([\\d.]+) ?GiB)?")
          .example("2025-07-20 14:05:19.286 | INFO 07-20 11:05:19 [model_runner.py:1673] Graph capturing finished in 9 secs, took 0.16 GiB",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 21")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new GraphCaptureFinished(num(m.group(1)),
                m.group(2) == null ? null : num(m.group(2))));
            }
          }),
      // "took N seconds" until 0.2x, "took N s (compilation: M s)" in 0.27.
      rule("engine-initialized", "vllm")
          .startsWith("init engine")
          .expression("^init engine \\(profile, create kv cache, warmup model\\) took ([\\d.]+) s")
          .example("2025-07-20 14:05:19.286 | INFO 07-20 11:05:19 [llm_engine.py:438] init engine (profile, create kv cache, warmup model) took 11.03 seconds",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 22")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new EngineInitialized(num(m.group(1))));
            }
          }),
      rule("engine-starting", "vllm")
          .startsWith("Initializing a")
          .expression("^Initializing an? (?:V\\d )?LLM engine (?:\\(v([^)]+)\\) )?with config: model='([^']*)'")
          .example("INFO 03-19 06:27:20 llm_engine.py:237] Initializing an LLM engine (v0.6.3.post1) with config: model='/workspace/StructRAG/model/Qwen2.5-32B-Instruct', speculative_config=None, tokenizer='/workspace/StructRAG/model/Qwen2.5-32B-Instruct', skip_tokenizer_init=False, tokenizer_mode=auto, revision=None, override_neuron_config=None, rope_scaling=None, rope_theta=None, tokenizer_revision=None, trust_remote_code=False, dtype=torch.bfloat16, max_seq_len=32768, download_dir=None, load_format=LoadFormat.AUTO, tensor_parallel_size=4, pipeline_parallel_size=1, disable_custom_all_reduce=True, quantization=None, enforce_eager=False, kv_cache_dtype=auto, quantization_param_path=None, device_config=cuda, decoding_config=DecodingConfig(guided_decoding_backend='outlines'), observability_config=ObservabilityConfig(otlp_traces_endpoint=None, collect_model_forward_time=False, collect_model_execute_time=False), seed=0, served_model_name=Qwen, num_scheduler_steps=1, chunked_prefill_enabled=False multi_step_stream_outputs=True, enable_prefix_caching=False, use_async_output_proc=True, use_cached_outputs=True, mm_processor_kwargs=None)",
              "corpus 009 (leadawon/structrag:vllm.log@b08137e) line 11")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new EngineStarting(m.group(2), m.group(1)));
              engineConfig(msg, out);
            }
          }),
      rule("arguments", "vllm")
          .startsWith("non-default args:", "args: Namespace(")
          .example("INFO 03-19 06:27:09 api_server.py:529] args: Namespace(host='127.0.0.1', port=1225, uvicorn_log_level='info', allow_credentials=False, allowed_origins=['*'], allowed_methods=['*'], allowed_headers=['*'], api_key=None, lora_modules=None, prompt_adapters=None, chat_template=None, response_role='assistant', ssl_keyfile=None, ssl_certfile=None, ssl_ca_certs=None, ssl_cert_reqs=0, root_path=None, middleware=[], return_tokens_as_token_ids=False, disable_frontend_multiprocessing=False, enable_auto_tool_choice=False, tool_call_parser=None, tool_parser_plugin='', model='/workspace/StructRAG/model/Qwen2.5-32B-Instruct', tokenizer=None, skip_tokenizer_init=False, revision=None, code_revision=None, tokenizer_revision=None, tokenizer_mode='auto', trust_remote_code=False, download_dir=None, load_format='auto', config_format=<ConfigFormat.AUTO: 'auto'>, dtype='auto', kv_cache_dtype='auto', quantization_param_path=None, max_model_len=None, guided_decoding_backend='outlines', distributed_executor_backend=None, worker_use_ray=False, pipeline_parallel_size=1, tensor_parallel_size=4, max_parallel_loading_workers=None, ray_workers_use_nsight=False, block_size=16, enable_prefix_caching=False, disable_sliding_window=False, use_v2_block_manager=False, num_lookahead_slots=0, seed=0, swap_space=4, cpu_offload_gb=0, gpu_memory_utilization=0.9, num_gpu_blocks_override=None, max_num_batched_tokens=None, max_num_seqs=256, max_logprobs=20, disable_log_stats=False, quantization=None, rope_scaling=None, rope_theta=None, enforce_eager=False, max_context_len_to_capture=None, max_seq_len_to_capture=8192, disable_custom_all_reduce=True, tokenizer_pool_size=0, tokenizer_pool_type='ray', tokenizer_pool_extra_config=None, limit_mm_per_prompt=None, mm_processor_kwargs=None, enable_lora=False, max_loras=1, max_lora_rank=16, lora_extra_vocab_size=256, lora_dtype='auto', long_lora_scaling_factors=None, max_cpu_loras=None, fully_sharded_loras=False, enable_prompt_adapter=False, max_prompt_adapters=1, max_prompt_adapter_token=0, device='auto', num_scheduler_steps=1, multi_step_stream_outputs=True, scheduler_delay_factor=0.0, enable_chunked_prefill=None, speculative_model=None, speculative_model_quantization=None, num_speculative_tokens=None, speculative_disable_mqa_scorer=False, speculative_draft_tensor_parallel_size=None, speculative_max_model_len=None, speculative_disable_by_batch_size=None, ngram_prompt_lookup_max=None, ngram_prompt_lookup_min=None, spec_decoding_acceptance_method='rejection_sampler', typical_acceptance_sampler_posterior_threshold=None, typical_acceptance_sampler_posterior_alpha=None, disable_logprobs_during_spec_decoding=None, model_loader_extra_config=None, ignore_patterns=[], preemption_mode=None, served_model_name=['Qwen'], qlora_adapter_name_or_path=None, otlp_traces_endpoint=None, collect_detailed_traces=None, disable_async_output_proc=False, override_neuron_config=None, scheduling_policy='fcfs', disable_log_requests=False, max_log_len=None, disable_fastapi_docs=False)",
              "corpus 009 (leadawon/structrag:vllm.log@b08137e) line 2")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              arguments(msg, out);
            }
          }),
      rule("torch-compile", "vllm")
          .startsWith("torch.compile t")
          .expression("^torch.compile (?:took|takes) ([\\d.]+) s")
          .example("\u001b[0;36m(EngineCore_DP0 pid=165)\u001b[0;0m INFO 02-05 00:07:05 [monitor.py:34] torch.compile takes 50.20 s in total",
              "corpus 012 (TW-10519/VLLM-ROUTER:logs/vllm.log@43179ad) line 113")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.TORCH_COMPILE_SECONDS, num(m.group(1))));
            }
          }),
      rule("start-load", "vllm")
          .startsWith("Starting to load model")
          .expression("^Starting to load model (.+?)\\.\\.\\.")
          .example("INFO 03-19 06:27:23 model_runner.py:1056] Starting to load model /workspace/StructRAG/model/Qwen2.5-32B-Instruct...",
              "corpus 009 (leadawon/structrag:vllm.log@b08137e) line 26")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new WeightsLoading(m.group(1)));
            }
          }),
      rule("platform", "vllm")
          .startsWith("Automatically detected platform")
          .expression("^Automatically detected platform (\\w+)")
          .example("2025-07-20 14:04:30.993 | INFO 07-20 11:04:30 [__init__.py:248] Automatically detected platform cuda.",
              "corpus 000 (seed/triton-vllm-startup-analysis.md) line 11")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new PlatformDetected(m.group(1)));
            }
          }),
      rule("uvicorn-running", "vllm")
          .startsWith("Uvicorn running on")
          .expression("Uvicorn running on (?:socket \\('([^']*)', (\\d+)\\)|https?://(\\[[^\\]]+\\]|[^:/\\s]+):(\\d+))")
          .example("INFO:     Uvicorn running on socket ('0.0.0.0', 1225) (Press CTRL+C to quit)",
              "corpus 009 (leadawon/structrag:vllm.log@b08137e) line 86")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ServiceStarted(ServiceKind.HTTP,
                m.group(1) != null ? m.group(1) : m.group(3),
                Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(4))));
            }
          }),
      rule("vllm-server-starting", "vllm")
          .startsWith("Starting vLLM")
          .expression("^Starting vLLM (?:API )?server(?: \\d+)? on https?://(\\[[^\\]]+\\]|[^:/\\s]+):(\\d+)")
          .example("\u001b[0;36m(APIServer pid=1)\u001b[0;0m INFO 02-05 00:07:28 [api_server.py:1428] Starting vLLM API server 0 on http://0.0.0.0:8000",
              "corpus 012 (TW-10519/VLLM-ROUTER:logs/vllm.log@43179ad) line 125")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ServiceStarted(ServiceKind.HTTP, m.group(1),
                Integer.parseInt(m.group(2))));
            }
          }),
      rule("server-shutdown", "vllm")
          .startsWith("Shutting down", "Application shutdown complete", "[shutdown] ")
          .example("INFO 03-19 06:44:55 launcher.py:57] Shutting down FastAPI HTTP server.",
              "corpus 009 (leadawon/structrag:vllm.log@b08137e) line 140")
          .example("(APIServer pid=1632500) INFO 08-12 04:47:27 [utils.py:612] [shutdown] Process manager: send sigterm "
              + "to process EngineCore", "corpus 209 (phivan3008/meeting-translator:vllm_serve.log@d57f674) line 211")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ShutdownStarted(msg));
            }
          }),
      rule("application-started", "vllm")
          .startsWith("Application startup complete")
          .example("INFO:     Application startup complete.",
              "corpus 009 (leadawon/structrag:vllm.log@b08137e) line 85")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ApplicationStarted());
            }
          }),
      rule("api-server-banner", "vllm")
          .startsWith("vLLM API server version")
          .example("INFO 03-19 06:27:09 api_server.py:528] vLLM API server version 0.6.3.post1",
              "corpus 009 (leadawon/structrag:vllm.log@b08137e) line 1")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new Banner(Program.VLLM));
            }
          }),
      rule("engine-failed", "vllm")
          .startsWith("EngineCore failed to start", "Engine process failed to start",
              "EngineCore encountered a fatal error")
          .example("\u001b[1;36m(EngineCore_DP0 pid=1067763)\u001b[0;0m ERROR 02-23 09:06:43 [core.py:718] EngineCore failed to start.",
              "corpus 201 (HyouinSchoolAcc/1:vllm.log@97742d8) line 15")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new EngineFailed(msg));
            }
          }),
      rule("chunked-prefill", "vllm")
          .startsWith("Chunked prefill", "chunked prefill")
          .contains("hunked prefill is enabled")
          .example("\u001b[0;36m(APIServer pid=1)\u001b[0;0m INFO 02-05 00:05:36 [scheduler.py:230] Chunked prefill is enabled with max_num_batched_tokens=2048.",
              "corpus 012 (TW-10519/VLLM-ROUTER:logs/vllm.log@43179ad) line 80")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new WarningSeen(WarningClass.CHUNKED_PREFILL, msg));
            }
          }),
      // V1 loggers (0.9-0.11): the engine-level count after every rank agreed on the minimum.
      rule("engine-gpu-blocks", "vllm")
          .startsWith("Engine 000: vllm cache_config_info")
          .expression("num_gpu_blocks is: (\\d+)")
          .example("INFO 09-15 22:12:20 [loggers.py:137] Engine 000: vllm cache_config_info with initialization after num_gpu_blocks is: 6627",
              "corpus 215 (B664577/DocAvatar:vllm.log@a3941e6) line 35")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new Blocks(whole(m.group(1)), null));
            }
          }),
      rule("device-name", "vllm")
          .startsWith("Your device '")
          .expression("^Your device '([^']+)' \\(with compute capability")
          .example("(APIServer pid=42624) WARNING 04-26 12:03:38 [model.py:1963] Your device 'Tesla T4' (with compute capability 7.5) doesn't support torch.bfloat16. Falling back to torch.float16 for compatibility.",
              "corpus 206 (mobambas/Agentic-Healthcare-Maps:vllm_server.log@73c4c29) line 10")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new GpuName(0, m.group(1)));
            }
          }),
      rule("attention-backend", "vllm")
          .startsWith("Using ")
          .contains("backend")
          .expression("^Using (\\w+) attention backend|^Using (\\w[\\w ]*?) backend(?:\\.$| on V1 engine)")
          .example("\u001b[1;36m(VllmWorkerProcess pid=1031294)\u001b[0;0m INFO 04-14 08:39:09 cuda.py:230] Using Flash Attention backend.",
              "corpus 010 (daxdelvira/distributed_agent_gc:logs/vllm.log@23e938e) line 16")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.ATTENTION_BACKEND,
                m.group(1) != null ? m.group(1) : m.group(2)));
            }
          }),
      rule("weights-download", "vllm")
          .startsWith("Time spent downloading")
          .expression("^Time spent downloading weights for \\S+: ([\\d.]+) seconds")
          .example("(EngineCore pid=42887) INFO 04-26 12:04:41 [weight_utils.py:581] Time spent downloading weights for Qwen/Qwen2.5-7B-Instruct: 41.892663 seconds",
              "corpus 206 (mobambas/Agentic-Healthcare-Maps:vllm_server.log@73c4c29) line 23")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.WEIGHTS_DOWNLOAD_SECONDS, num(m.group(1))));
            }
          }),
      rule("dynamo-transform", "vllm")
          .startsWith("Dynamo bytecode")
          .expression("^Dynamo bytecode transform time: ([\\d.]+) s")
          .example("\u001b[0;36m(EngineCore_DP0 pid=165)\u001b[0;0m INFO 02-05 00:06:18 [backends.py:703] Dynamo bytecode transform time: 5.10 s",
              "corpus 012 (TW-10519/VLLM-ROUTER:logs/vllm.log@43179ad) line 109")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.DYNAMO_TRANSFORM_SECONDS, num(m.group(1))));
            }
          }),
      rule("free-memory-at-start", "vllm")
          .startsWith("Free memory on device")
          .example("(EngineCore pid=326) INFO 10-06 17:00:41 [gpu_worker.py:955] Free memory on device (78.84/79.25 GiB) on startup. Desired GPU memory utilization is (0.92, 72.91 GiB). Actual usage is 15.26 GiB for consumed memory (weights + non-torch), 1.44 GiB for peak activation, and 0.23 GiB for CUDAGraph memory.",
              "public vLLM log (stored copy, file id 70682754770)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              memoryAtStart(msg, out);
            }
          }),
      rule("wsl", "vllm")
          .startsWith("Using 'pin_memory=False'")
          .contains("WSL")
          .example("(EngineCore pid=26109) WARNING 04-28 11:13:47 [interface.py:525] Using 'pin_memory=False' as WSL is detected. This may slow down the performance.",
              "corpus 014 (sridhar1804/local-ai:logs/vllm.log@d4412cc) line 14")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new WarningSeen(WarningClass.WSL, msg));
            }
          }),
      // A wrapper's echo of the command line: the only name of the model when arguments fail.
      rule("command-echo", "vllm")
          .notAtInfo()
          .when(new Predicate<String>() {
            @Override
            public boolean test(String msg) {
              return msg.contains("vllm.entrypoints.openai.api_server") || msg.contains("vllm serve ");
            }
          })
          .expression("(?:--model[ =]|vllm serve )([^\\s-]\\S*)")
          .example("2025-06-20 20:02:21,014 - __main__ - INFO - Command: python -m vllm.entrypoints.openai.api_server --model Qwen/Qwen3-30B-A3B --host 0.0.0.0 --port 8000 --tensor-parallel-size 4 --pipeline-parallel-size 1 --gpu-memory-utilization 0.85 --max-model-len 32768 --max-num-batched-tokens 8192 --max-num-seqs 256 --swap-space 4 --block-size 16 --served-model-name qwen3-30b --trust-remote-code --enable-chunked-prefill --attention-backend FLASHINFER --enable-metrics --metrics-port 8001",
              "corpus 210 (JerryMouseZ/vlm_qwen3:logs/vllm_server.log@0013878) line 7")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new ServedModel(m.group(1)));
            }
          }),
      // argparse's last word before exiting 2: the server never started.
      rule("argparse-error", "python")
          .notAtInfo()
          .contains(".py: error: ")
          .expression("^[\\w.-]+\\.py: error: ")
          .example("api_server.py: error: unrecognized arguments: --attention-backend FLASHINFER --enable-metrics --metrics-port 8001",
              "corpus 210 (JerryMouseZ/vlm_qwen3:logs/vllm_server.log@0013878) line 144")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new Fatal(ErrorClassifier.classify(msg, ErrorClass.CONFIG), msg));
            }
          }));

  private VllmRules() {}

  private static void blocks(List<TritonEvent> out, Matcher m, String msg, String source) {
    long gpu = whole(m.group(1));
    out.add(new Blocks(gpu, m.group(2) == null ? null : whole(m.group(2))));
    if (gpu == 0) {
      // vLLM V0 raises "No available memory for the cache blocks" next: nothing left for the KV cache.
      out.add(new ErrorSeen(ErrorClass.OOM, msg));
    }
  }

  /** Newer vLLM prints the concurrency on the same line: "GPU KV cache size: N tokens, Maximum concurrency ...". */
  private static void kvCacheTokens(List<TritonEvent> out, Matcher m, String msg, String source) {
    out.add(new KvCacheTokens(whole(m.group(1))));
    Matcher c;
    if (msg.length() > 40 && (c = CONCURRENCY_INLINE.matcher(msg)).find()) {
      out.add(new MaxConcurrency(whole(c.group(1)), num(c.group(2))));
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
    // The engine config is the resolved setting (the arguments' None means "engine default"),
    // and vLLM says nothing else when chunked prefill ends up off.
    m = CHUNKED_PREFILL_OFF.matcher(msg);
    if (m.find()) {
      out.add(new WarningSeen(WarningClass.CHUNKED_PREFILL, "chunked prefill is off (" + m.group() + " in the engine config)"));
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
