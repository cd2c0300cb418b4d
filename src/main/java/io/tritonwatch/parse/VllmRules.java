package io.tritonwatch.parse;

import static io.tritonwatch.parse.Rule.rule;
import static io.tritonwatch.parse.VllmMessages.*;

import io.tritonwatch.parse.Rule.Emit;
import io.tritonwatch.parse.TritonEvent.*;
import java.util.List;
import java.util.regex.Matcher;

/**
 * vLLM's engine lines: weights, memory profiling, the KV cache, graph capture, the engine's
 * start. They read the same inside Triton's vLLM backend and in a standalone {@code vllm
 * serve}; V0 and V1 engines differ in wording, both are read. The server's own lines are in
 * {@link VllmServerRules}; what both read out of a message, in {@link VllmMessages}.
 */
final class VllmRules {

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
          }));

  private VllmRules() {}
}
