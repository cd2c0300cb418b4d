package io.tritonwatch.parse;

import static io.tritonwatch.parse.Rule.rule;
import static io.tritonwatch.parse.VllmMessages.*;

import io.tritonwatch.parse.Rule.Emit;
import io.tritonwatch.parse.TritonEvent.*;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * vLLM's server lines: the API server and uvicorn coming up, arguments, shutdown, the engine's
 * death, and the settings and figures the server states (device, attention backend, downloads).
 * After {@link VllmRules} in the table.
 */
final class VllmServerRules {

  static final List<Rule> ALL = List.of(
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


  private VllmServerRules() {}
}
