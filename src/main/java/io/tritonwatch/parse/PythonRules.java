package io.tritonwatch.parse;

import static io.tritonwatch.parse.Rule.rule;

import io.tritonwatch.parse.Rule.Emit;
import io.tritonwatch.parse.TritonEvent.*;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * The shapes of a Python traceback, at any level: vLLM logs a failed engine's traceback line
 * by line at ERROR and then prints it raw; Triton's Python backend prints a stub's. The
 * tracker folds each traceback into one failure.
 */
final class PythonRules {

  private static final TritonEvent TRACEBACK_START = new TracebackStart();
  private static final TritonEvent TRACEBACK_FRAME = new TracebackFrame();
  private static final TritonEvent EXCEPTION_CHAINED = new ExceptionChained();
  private static final TritonEvent EXCEPTION_IGNORED = new ExceptionIgnored();

  static final List<Rule> ALL = List.of(
      rule("traceback-start", "python")
          .startsWith("Traceback (most recent call last)")
          .example("Traceback (most recent call last):",
              "corpus 010 (daxdelvira/distributed_agent_gc:logs/vllm.log@23e938e) line 158")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(TRACEBACK_START);
            }
          }),
      rule("traceback-frame", "python")
          .startsWith("File \"")
          .expression("^File \"[^\"]*\", line \\d+")
          .example("  File \"/storage/home/hcoda1/7/avandevoorde3/.conda/envs/dummy_agent/lib/python3.12/site-packages/torch/_dynamo/utils.py\", line 542, in <lambda>",
              "corpus 010 (daxdelvira/distributed_agent_gc:logs/vllm.log@23e938e) line 159")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(TRACEBACK_FRAME);
            }
          }),
      rule("exception-chained", "python")
          .startsWith("The above exception was the direct cause", "During handling of the above exception")
          .example("(EngineCore_DP0 pid=39535) ERROR 03-03 19:38:29 [core.py:708] The above exception was the direct "
              + "cause of the following exception:", "public vLLM V1 log (stored copy, file id 53815542336)")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(EXCEPTION_CHAINED);
            }
          }),
      rule("exception-ignored", "python")
          .startsWith("Exception ignored in")
          .example("Exception ignored in: <function ExactWeakKeyDictionary.__setitem__.<locals>.<lambda> at 0x155411f453a0>",
              "corpus 010 (daxdelvira/distributed_agent_gc:logs/vllm.log@23e938e) line 157")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(EXCEPTION_IGNORED);
            }
          }),
      // The last line of a traceback: "ValueError: ...", "torch.OutOfMemoryError: ...".
      rule("python-exception", "python")
          .notAtInfo()
          .when(new Predicate<String>() {
            @Override
            public boolean test(String msg) {
              return mayBeException(msg);
            }
          })
          .expression("^(?:[A-Za-z_]\\w*\\.)*[A-Z]\\w*(?:Error|Exception)(?:: .*)?$")
          .example("(EngineCore_DP0 pid=6940) ValueError: Free memory on device cuda:1 (19.77/22.05 GiB) on startup is "
              + "less than desired GPU memory utilization (0.9, 19.84 GiB). Decrease GPU memory utilization or reduce GPU "
              + "memory used by other processes.", "pytorch/pytorch#175666 (vLLM V1)")
          .example("OSError: [Errno 98] Address already in use",
              "corpus 210 (JerryMouseZ/vlm_qwen3:logs/vllm_server.log@0013878) line 178")
          .example("\u001b[1;36m(EngineCore_DP0 pid=1067763)\u001b[0;0m ERROR 02-23 09:06:43 [core.py:718] ValueError: Free memory on device (16.01/93.0 GiB) on startup is less than desired GPU memory utilization (0.8, 74.4 GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.",
              "corpus 201 (HyouinSchoolAcc/1:vllm.log@97742d8) line 40")
          .emits(new Emit() {
            @Override
            public void to(List<TritonEvent> out, Matcher m, String msg, String src) {
              out.add(new PythonException(ErrorClassifier.classify(msg, TritonEvent.ErrorClass.OTHER), msg));
              if (msg.contains(" GiB")) {
                VllmMessages.memoryAtStart(msg, out); // figures an out-of-memory exception states
              }
            }
          }));

  private PythonRules() {}

  /**
   * What the exception expression cannot match without. A banner's lines have no severity and
   * each tried the expression; a search for two words is cheaper, above all while the code is
   * still interpreted.
   */
  private static boolean mayBeException(String msg) {
    return msg.contains("Error: ") || msg.contains("Exception: ") || msg.endsWith("Error")
        || msg.endsWith("Exception");
  }
}
