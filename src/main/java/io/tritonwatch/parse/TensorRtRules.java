package io.tritonwatch.parse;

import static io.tritonwatch.parse.Rule.rule;

import io.tritonwatch.parse.Rule.Emit;
import io.tritonwatch.parse.TritonEvent.FigureSeen;
import java.util.List;
import java.util.regex.Matcher;

/** Figures printed by TensorRT and TensorRT-LLM while an engine loads. */
final class TensorRtRules {

  static final List<Rule> ALL = List.of(
      rule("trt-engine-size", "tensorrt")
          .startsWith("Loaded engine size")
          .expression("^Loaded engine size: (\\d+) MiB")
          .example("I1002 10:50:23.486923 1 logging.cc:46] Loaded engine size: 203 MiB",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 34")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.ENGINE_SIZE_MIB, Long.parseLong(m.group(1))));
            }
          }),
      rule("trt-deserialize", "tensorrt")
          .startsWith("Deserialize required")
          .expression("^Deserialize required (\\d+) microseconds")
          .example("I0808 00:47:38.340470 13668 logging.cc:49] Deserialize required 2160270 microseconds.",
              "corpus 219 (triton-inference-server/server:qa/L0_perf_nomodel/baseline/19.07/min_latency_grpc/plan_sbatch1_instance1.serverlog@d0f8503) line 19")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.TRT_DESERIALIZE_MICROSECONDS,
                Long.parseLong(m.group(1))));
            }
          }),
      rule("trtllm-mpi-size", "tensorrt")
          .startsWith("MPI size")
          .expression("^MPI size: (\\d+), rank: \\d+")
          .example("[TensorRT-LLM][INFO] MPI size: 4, rank: 0",
              "corpus 033 (triton-inference-server/tensorrtllm_backend#396, issue description ('Can't launch tensorrtllm_backend triton server in 24.02-trtllm-python-py3')) line 1")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.MPI_WORLD_SIZE, Long.parseLong(m.group(1))));
            }
          }),
      rule("trtllm-kv-pages", "tensorrt")
          .startsWith("Max KV cache pages")
          .expression("^Max KV cache pages per sequence: (\\d+)")
          .example("[TensorRT-LLM][INFO] Max KV cache pages per sequence: 125",
              "corpus 034 (triton-inference-server/tensorrtllm_backend#576, issue description by dhruvmullick ('Unable to launch triton server with TP'; same text also in #577)) line 13")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.MAX_KV_PAGES_PER_SEQUENCE,
                Long.parseLong(m.group(1))));
            }
          }),
      rule("trtllm-paged-memory", "tensorrt")
          .startsWith("Memory usage when calculating")
          .expression("^Memory usage when calculating max tokens in paged kv cache: total: ([\\d.]+) GiB, "
              + "available: ([\\d.]+) GiB")
          .example("[TensorRT-LLM][INFO] Memory usage when calculating max tokens in paged kv cache: total: 79.14 GiB, available: 74.69 GiB",
              "corpus 034 (triton-inference-server/tensorrtllm_backend#576, issue description by dhruvmullick ('Unable to launch triton server with TP'; same text also in #577)) line 6")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.TOTAL_GPU_MEMORY_GIB, Double.parseDouble(m.group(1))));
              out.add(new FigureSeen(Figure.AVAILABLE_GPU_MEMORY_GIB, Double.parseDouble(m.group(2))));
            }
          }),
      rule("trtllm-primary-pool", "tensorrt")
          .startsWith("Number of blocks in KV cache primary pool")
          .expression("^Number of blocks in KV cache primary pool: (\\d+)")
          .example("[TensorRT-LLM][INFO] Number of blocks in KV cache primary pool: 17210",
              "corpus 034 (triton-inference-server/tensorrtllm_backend#576, issue description by dhruvmullick ('Unable to launch triton server with TP'; same text also in #577)) line 9")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.KV_PRIMARY_POOL_BLOCKS,
                Long.parseLong(m.group(1))));
            }
          }),
      rule("trtllm-secondary-pool", "tensorrt")
          .startsWith("Number of blocks in KV cache secondary pool")
          .expression("^Number of blocks in KV cache secondary pool: (\\d+)")
          .example("[TensorRT-LLM][INFO] Number of blocks in KV cache secondary pool: 10728, onboard blocks to primary memory before reuse: true",
              "corpus 034 (triton-inference-server/tensorrtllm_backend#576, issue description by dhruvmullick ('Unable to launch triton server with TP'; same text also in #577)) line 10")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.KV_SECONDARY_POOL_BLOCKS,
                Long.parseLong(m.group(1))));
            }
          }),
      rule("trtllm-kv-bytes", "tensorrt")
          .startsWith("Allocate ")
          .expression("^Allocate (\\d+) bytes for k/v cache")
          .example("[TensorRT-LLM][INFO] Allocate 956301312 bytes for k/v cache. ",
              "corpus 032 (triton-inference-server/tensorrtllm_backend#366, issue description) line 1")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.KV_CACHE_BYTES, Long.parseLong(m.group(1))));
            }
          }),
      rule("trtllm-kv-tokens", "tensorrt")
          .startsWith("Using ")
          .expression("^Using (\\d+) total tokens in paged KV cache, and (\\d+) blocks per sequence")
          .example("[TensorRT-LLM][INFO] Using 29184 total tokens in paged KV cache, and 272 blocks per sequence",
              "corpus 032 (triton-inference-server/tensorrtllm_backend#366, issue description) line 2")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.KV_CACHE_TOKENS, Long.parseLong(m.group(1))));
              out.add(new FigureSeen(Figure.BLOCKS_PER_SEQUENCE, Long.parseLong(m.group(2))));
            }
          }),
      rule("trt-memory-change", "tensorrt")
          .startsWith("[MemUsageChange]")
          .expression("now: CPU \\d+, GPU (\\d+) \\(MiB\\)")
          .example("I1002 10:50:23.617269 1 logging.cc:46] [MemUsageChange] TensorRT-managed allocation in engine deserialization: CPU +0, GPU +198, now: CPU 0, GPU 198 (MiB)",
              "corpus 001 (ElinLiu0/StudentBehaviorDetection:logs/triton.log@70bfc30) line 35")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new FigureSeen(Figure.TENSORRT_GPU_MIB, Long.parseLong(m.group(1))));
            }
          }));

  private TensorRtRules() {}
}
