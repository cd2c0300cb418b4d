package io.tritonwatch.parse;

import io.tritonwatch.parse.TritonEvent.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one message (all prefixes already removed) into events: Triton's ASCII tables and
 * banners here, every other line through the {@link RuleTable}; what no rule reads counts as
 * an error or warning by its level. Each rule is guarded by plain prefix tests, so the bulk of
 * a busy log, per-request lines, costs a few {@code startsWith} calls and no expression.
 */
final class MessageRules {

  private MessageRules() {}

  static List<TritonEvent> read(String msg, char severity, String source) {
    List<TritonEvent> out = new ArrayList<>(1);
    if (msg.isEmpty()) {
      return out;
    }
    char first = msg.charAt(0);
    if (first == '+' || first == '|') {
      table(msg, out);
      return out;
    }
    if (first == '=') {
      if (msg.contains("== Triton Inference Server ==")) {
        out.add(new Banner(Program.TRITON));
      } else if (msg.contains("== vLLM ==")) {
        out.add(new Banner(Program.VLLM));
      }
      return out;
    }
    if (!RuleTable.read(msg, severity, source, out)) {
      generic(msg, severity, source, out);
    }
    return out;
  }

  private static void table(String msg, List<TritonEvent> out) {
    String t = msg.strip();
    if (t.startsWith("+") && t.endsWith("+") && onlyBorder(t)) {
      out.add(new TableBorder());
      return;
    }
    if (t.startsWith("|") && t.endsWith("|") && t.length() >= 2) {
      String inner = t.substring(1, t.length() - 1);
      List<String> cells = new ArrayList<>();
      for (String cell : inner.split("\\|", -1)) {
        // Keep inner padding: a wrapped cell continues exactly where the previous row cut it.
        String c = cell.startsWith(" ") ? cell.substring(1) : cell;
        c = c.endsWith(" ") ? c.substring(0, c.length() - 1) : c;
        cells.add(c);
      }
      out.add(new TableRow(cells));
    }
  }

  private static boolean onlyBorder(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c != '+' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static void generic(String msg, char severity, String source, List<TritonEvent> out) {
    if (severity == 'E' && source != null && source.startsWith("model.py:")) {
      // A Python model's own error while it loads: the reason its load is about to fail.
      out.add(new InstanceFailed(msg));
    } else if ((severity == 'E' || severity == 'W') && harmless(msg)) {
      return;
    } else if (severity == 'E' || severity == 'F' || severity == 'C') {
      out.add(new ErrorSeen(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
    } else if (severity == 'W') {
      out.add(new WarningSeen(warningClass(msg), msg));
    } else if (severity == ' ' && msg.startsWith("Error: ")) {
      out.add(new ErrorSeen(ErrorClassifier.classify(msg, ErrorClass.OTHER), msg));
    } else if (msg.contains("WSL is detected") || msg.contains("WSL detected")) {
      out.add(new WarningSeen(WarningClass.WSL, msg));
    }
  }

  /**
   * What some backends print at W or E level without anything being wrong: FasterTransformer's
   * informational output and model-config dump, Caffe2's CPU-feature notice.
   */
  private static boolean harmless(String msg) {
    return msg.startsWith("Get input name:") || msg.startsWith("Get output name:")
        || msg.startsWith("model configuration:")
        || msg.startsWith("CPU feature avx") && msg.contains("binary is not compiled with it");
  }

  static WarningClass warningClass(String msg) {
    if (msg.contains("WSL")) {
      return WarningClass.WSL;
    }
    if (msg.contains("hunked prefill")) {
      return WarningClass.CHUNKED_PREFILL;
    }
    if (msg.contains("CUDA Minor Version Compatibility") || msg.contains("CUDA Forward Compatibility")) {
      return WarningClass.CUDA_COMPAT;
    }
    return WarningClass.OTHER;
  }
}
