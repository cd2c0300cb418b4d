package io.tritonwatch.report;

import io.tritonwatch.diagnose.Diagnoser;
import io.tritonwatch.diagnose.Diagnosis;
import io.tritonwatch.parse.Figure;
import io.tritonwatch.stage.ModelState;
import io.tritonwatch.stage.ModelSummary;
import io.tritonwatch.stage.Outcome;
import io.tritonwatch.stage.Problem;
import io.tritonwatch.stage.RememberedFailure;
import io.tritonwatch.stage.RunSummary;
import io.tritonwatch.stage.Service;
import io.tritonwatch.stage.StageSpan;
import io.tritonwatch.stage.StartupSummary;
import java.util.Locale;
import java.util.Map;

/** The human report: a stage timeline, the models, the figures, then problems and a verdict. */
public final class TextReport {

  private TextReport() {}

  public static String render(StartupSummary s) {
    StringBuilder b = new StringBuilder();
    b.append("tritonwatch start-up report\n");
    b.append("  ").append(headline(s)).append('\n');
    for (Diagnosis d : Diagnoser.builtIn().summary(s)) {
      b.append("  - ").append(d.text());
      if (d.fix() != null) {
        b.append("\n    What to do: ").append(d.fix());
      }
      if (d.link() != null) {
        b.append("\n    See ").append(d.link());
      }
      b.append(" [").append(d.id()).append("]\n");
    }
    b.append("  server: ").append(s.program() == null ? "unknown" : s.program())
        .append(s.tritonVersion() == null ? "" : " " + s.tritonVersion()).append('\n');
    if (s.runs().size() > 1) {
      b.append("  start-ups in this log: ").append(s.runs().size()).append(" (this report reads the last)\n");
      startUps(b, s);
    }
    b.append("\nStages\n");
    for (StageSpan span : s.stages()) {
      b.append(String.format(Locale.ROOT, "  %-18s %-26s %s%n", span.stage().id(),
          span.start() == null ? "-" : span.start().toString(),
          span.seconds() == null ? "(current)" : String.format(Locale.ROOT, "%8.3f s", span.seconds())));
    }
    b.append("\nModels\n");
    if (s.models().isEmpty()) {
      b.append("  (none named in the log)\n");
    }
    for (ModelSummary m : s.models()) {
      b.append(String.format(Locale.ROOT, "  %-32s %-8s %-11s %-12s%s%n", m.name(),
          m.version() == null ? "-" : m.version(), m.state(), m.backend() == null ? "-" : m.backend(),
          m.reason() == null ? "" : "  " + m.reason()));
    }
    b.append("\nServices\n");
    if (s.services().isEmpty()) {
      b.append("  (none started)\n");
    }
    for (Service svc : s.services()) {
      b.append(String.format(Locale.ROOT, "  %-8s %s:%d%n", svc.kind(), svc.address(), svc.port()));
    }
    b.append("\nFigures\n");
    for (Map.Entry<String, Object> f : s.figures().entrySet()) {
      b.append(String.format(Locale.ROOT, "  %-24s %s%n", f.getKey(), withUnit(f.getKey(), f.getValue())));
    }
    MemoryBudget budget = MemoryBudget.of(s.figures());
    if (budget != null) {
      b.append("\nGPU memory\n  ").append(budget.text()).append('\n');
    }
    if (!s.rememberedFailures().isEmpty()) {
      b.append("\nFailed and not READY since\n");
      for (RememberedFailure f : s.rememberedFailures()) {
        b.append(String.format(Locale.ROOT, "  %-32s %-8s start-up %-4d %-12s %s%n", f.model(),
            f.version() == null ? "-" : f.version(), f.startup(), f.errorClass() == null ? "-" : f.errorClass(),
            f.reason() == null ? "" : f.reason()));
      }
    }
    section(b, "Errors", s.errors());
    section(b, "Warnings", s.warnings());
    b.append("\nVerdict: ").append(s.outcome().id().toUpperCase(Locale.ROOT));
    if (s.startupSeconds() != null) {
      b.append(String.format(Locale.ROOT, " after %.1f s", s.startupSeconds()));
    }
    b.append(" (last stage: ").append(s.stage().id()).append(")\n");
    return b.toString();
  }

  /**
   * What happened, in one line, before the details: the outcome of the last start-up, the
   * models that failed in it or failed before and are not READY since, and how many start-ups
   * the log holds.
   */
  static String headline(StartupSummary s) {
    StringBuilder h = new StringBuilder(s.outcome().id().toUpperCase(Locale.ROOT));
    int runs = s.runs().size();
    if (s.outcome() == Outcome.INCOMPLETE && runs > 0) {
      h.append(": start-up ").append(runs).append(" in progress, ").append(s.stage().id());
    } else if (s.startupSeconds() != null) {
      h.append(String.format(Locale.ROOT, " after %.1f s", s.startupSeconds()));
    }
    int failedRuns = 0;
    for (RunSummary r : s.runs()) {
      if (r.outcome() == Outcome.FAILED) {
        failedRuns++;
      }
    }
    if (runs > 1) {
      h.append(" (").append(runs).append(" start-ups, ").append(failedRuns).append(" failed)");
    }
    for (RememberedFailure f : s.rememberedFailures()) {
      h.append("; ").append(f.model()).append(f.version() == null ? "" : ":" + f.version())
          .append(f.startup() == runs ? " failed" : " failed in start-up " + f.startup());
      if (f.reason() != null) {
        String reason = f.reason().length() > 160 ? f.reason().substring(0, 160) + "..." : f.reason();
        h.append(" (").append(reason).append(')');
      }
    }
    return h.toString();
  }

  private static final int FIRST_RUNS = 5;
  private static final int LAST_RUNS = 20;

  /** Every start-up of the log, one line each and its first error: the story of a crash loop. */
  private static void startUps(StringBuilder b, StartupSummary s) {
    b.append("\nStart-ups\n");
    int n = 0;
    int total = s.runs().size();
    for (RunSummary r : s.runs()) {
      n++;
      // A long log keeps its first and its latest start-ups here; the JSON has every one.
      if (total > FIRST_RUNS + LAST_RUNS && n > FIRST_RUNS && n <= total - LAST_RUNS) {
        if (n == FIRST_RUNS + 1) {
          b.append("  ... ").append(total - FIRST_RUNS - LAST_RUNS)
              .append(" start-ups not listed (--format json has them all)\n");
        }
        continue;
      }
      b.append(String.format(Locale.ROOT, "  %-3d line %-7d %-26s %-10s %s", n, r.startLine(),
          r.start() == null ? "-" : r.start().toString(), r.outcome().id().toUpperCase(Locale.ROOT),
          r.startupSeconds() == null ? "" : String.format(Locale.ROOT, "after %.1f s", r.startupSeconds())));
      for (ModelSummary m : r.models()) {
        if (m.state() == ModelState.FAILED || m.currentState() == ModelState.FAILED) {
          b.append("; ").append(m.name()).append(m.version() == null ? "" : ":" + m.version()).append(" failed");
        }
      }
      b.append('\n');
      if (!r.stages().isEmpty()) {
        b.append("      stages: ").append(stageChain(r.stages())).append('\n');
      }
      if (!r.errors().isEmpty()) {
        String text = r.errors().get(0).text().replace('\n', ' ');
        b.append("      ").append(r.errors().get(0).kind()).append(": ")
            .append(text.length() > 200 ? text.substring(0, 200) + "..." : text).append('\n');
      }
    }
  }

  /** "server_init 0.2 s > model_loading 1.4 s > failed": where each start-up spent its time and ended. */
  static String stageChain(java.util.List<StageSpan> spans) {
    StringBuilder b = new StringBuilder(spans.size() * 24);
    for (StageSpan sp : spans) {
      b.append(b.length() == 0 ? "" : " > ").append(sp.stage().id());
      if (!sp.stage().terminal()) {
        b.append(sp.seconds() == null ? " (current)" : String.format(Locale.ROOT, " %.1f s", sp.seconds()));
      }
    }
    return b.toString();
  }

  private static void section(StringBuilder b, String title, java.util.List<Problem> problems) {
    b.append('\n').append(title).append('\n');
    if (problems.isEmpty()) {
      b.append("  (none)\n");
    }
    for (Problem p : problems) {
      String text = p.text().replace('\n', ' ');
      if (text.length() > 300) {
        text = text.substring(0, 300) + "...";
      }
      b.append(String.format(Locale.ROOT, "  line %-6d %-18s %s%n", p.line(), p.kind(), text));
    }
  }

  static String withUnit(String key, Object value) {
    if (value instanceof Map<?, ?> perDevice) {
      // The per-device CUDA pools: "device 0: 67108864 bytes (64 MiB)", not a map's toString.
      StringBuilder b = new StringBuilder();
      for (Map.Entry<?, ?> e : perDevice.entrySet()) {
        b.append(b.length() == 0 ? "" : ", ").append("device ").append(e.getKey()).append(": ")
            .append(withUnit(key, e.getValue()));
      }
      return b.toString();
    }
    String v = String.valueOf(value);
    Figure f = Figure.of(key);
    if (f == null) {
      return v;
    }
    return switch (f.unit) {
      case GIB -> v + " GiB";
      case MIB -> v + " MiB";
      case SECONDS -> v + " s";
      case MICROSECONDS -> v + " us";
      case BYTES -> value instanceof Number n
          ? v + " bytes (" + String.format(Locale.ROOT, "%.0f MiB", n.doubleValue() / (1 << 20)) + ")" : v;
      case FACTOR -> v + "x";
      case TOKENS -> v + " tokens";
      default -> v;
    };
  }
}
