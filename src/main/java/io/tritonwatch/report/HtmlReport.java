package io.tritonwatch.report;

import io.tritonwatch.diagnose.Diagnoser;
import io.tritonwatch.diagnose.Diagnosis;
import io.tritonwatch.stage.ModelSummary;
import io.tritonwatch.stage.Problem;
import io.tritonwatch.stage.Service;
import io.tritonwatch.stage.Stage;
import io.tritonwatch.stage.RunSummary;
import io.tritonwatch.stage.StageSpan;
import io.tritonwatch.stage.StartupSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page (inline style, no scripts, no fonts fetched): per start-up, a
 * timeline with one bar per stage on a time axis, the models, the figures and the problems.
 * {@code analyze --format html} writes it for one log; the daemon serves it at {@code /} for
 * every watched container.
 */
public final class HtmlReport {

  /** One section of the page. */
  /** @param expectation what this server's history says is usual, or null */
  public record Section(String title, StartupSummary summary, io.tritonwatch.history.Expectation expectation) {
    public Section(String title, StartupSummary summary) {
      this(title, summary, null);
    }
  }

  private HtmlReport() {}

  public static String render(String title, List<Section> sections) {
    StringBuilder b = new StringBuilder(16 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(title)).append("</title>\n<style>\n").append(STYLE).append("</style></head>\n<body>\n<h1>")
        .append(esc(title)).append("</h1>\n");
    if (sections.isEmpty()) {
      b.append("<p class=\"empty\">No container is watched yet.</p>\n");
    }
    for (Section s : sections) {
      section(b, s);
    }
    b.append("</body></html>\n");
    return b.toString();
  }

  /** Below the timeline: when this server is usually ready, and each stage against its usual length. */
  private static void usual(StringBuilder b, io.tritonwatch.history.Expectation e, StartupSummary s) {
    if (e == null) {
      return;
    }
    b.append("<p class=\"usual\">");
    if (e.usual().ready() != null) {
      b.append(String.format(Locale.ROOT, "Usually ready after <b>%.1f s</b> (90%%: %.1f s)", e.usual().ready().median(),
          e.usual().ready().p90()));
    } else {
      b.append("Usual stage lengths");
    }
    b.append(", from ").append(e.usual().startups()).append(" ready start-ups of this server.</p>\n");
    List<io.tritonwatch.history.Comparison.Row> rows = io.tritonwatch.history.Comparison.of(e, s.stages());
    if (rows.isEmpty()) {
      return;
    }
    b.append("<table class=\"usual\"><tr><th>stage</th><th>this start-up</th><th>usual</th><th>90%</th><th></th></tr>\n");
    for (io.tritonwatch.history.Comparison.Row r : rows) {
      b.append(String.format(Locale.ROOT, "<tr%s><td>%s</td><td>%.1f s</td><td>%.1f s</td><td>%.1f s</td><td>%.2fx%s</td></tr>%n",
          r.slower() ? " class=\"slow\"" : "", r.stage(), r.seconds(), r.usual().median(), r.usual().p90(), r.ratio(),
          r.slower() ? " slower than usual" : ""));
    }
    b.append("</table>\n");
  }

  private static void section(StringBuilder b, Section sec) {
    StartupSummary s = sec.summary();
    String outcome = s.outcome().id();
    b.append("<section class=\"startup\" data-outcome=\"").append(outcome).append("\">\n<h2>")
        .append(esc(sec.title())).append(" <span class=\"verdict ").append(outcome).append("\">")
        .append(outcome.toUpperCase(Locale.ROOT)).append("</span></h2>\n<p>")
        .append(esc(s.program() == null ? "server" : s.program()))
        .append(s.tritonVersion() == null ? "" : " " + esc(s.tritonVersion()))
        .append(" &middot; last stage <b>").append(s.stage().id()).append("</b>");
    if (s.startupSeconds() != null) {
      b.append(String.format(Locale.ROOT, " &middot; start-up %.1f s", s.startupSeconds()));
    }
    if (s.runs().size() > 1) {
      b.append(" &middot; start-up ").append(s.runs().size()).append(" of this log");
    }
    boolean broken = s.outcome() == io.tritonwatch.stage.Outcome.FAILED || !s.rememberedFailures().isEmpty();
    b.append("</p>\n<p class=\"headline").append(broken ? " broken" : "").append("\">").append(esc(TextReport.headline(s))).append("</p>\n");
    diagnoses(b, s);
    startUps(b, s);
    if (s.runs().size() > 1) {
      b.append("<h3>Start-up ").append(s.runs().size()).append(" (the latest)</h3>\n");
    }
    timeline(b, s);
    usual(b, sec.expectation(), s);
    memory(b, s.figures());
    models(b, s.models());
    services(b, s.services());
    figures(b, s.figures());
    problems(b, "Errors", s.errors());
    problems(b, "Warnings", s.warnings());
    b.append("</section>\n");
  }

  /** Every start-up of a restarted container's log, each with its outcome and first error. */
  private static void startUps(StringBuilder b, StartupSummary s) {
    if (s.runs().size() < 2) {
      return;
    }
    b.append("<table class=\"runs\"><tr><th>#</th><th>start</th><th>outcome</th><th>seconds</th><th>stages</th><th>first error</th></tr>\n");
    int n = 0;
    for (RunSummary r : s.runs()) {
      n++;
      String o = r.outcome().id();
      b.append("<tr data-outcome=\"").append(o).append("\"><td>").append(n).append("</td><td>")
          .append(r.start() == null ? "" : esc(r.start().toString())).append("</td><td><span class=\"verdict ")
          .append(o).append("\">").append(o.toUpperCase(Locale.ROOT)).append("</span></td><td>")
          .append(r.startupSeconds() == null ? "" : String.format(Locale.ROOT, "%.1f", r.startupSeconds()))
          .append("</td><td>");
      miniTimeline(b, r.stages());
      b.append("</td><td>").append(r.errors().isEmpty() ? "" : esc(r.errors().get(0).text())).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  /**
   * A start-up's stages as one stacked bar, each stage as wide as its share of the start-up;
   * the stage a failed start-up ended in is red. The title of each piece says its length.
   */
  private static void miniTimeline(StringBuilder b, List<StageSpan> spans) {
    double total = 0;
    for (StageSpan sp : spans) {
      total += sp.seconds() == null ? 0 : sp.seconds();
    }
    b.append("<span class=\"mini\" title=\"").append(esc(TextReport.stageChain(spans))).append("\">");
    for (int i = 0; i < spans.size(); i++) {
      StageSpan sp = spans.get(i);
      if (sp.stage().terminal()) {
        continue;
      }
      double secs = sp.seconds() == null ? 0 : sp.seconds();
      double width = total <= 0 ? 100.0 / spans.size() : Math.max(2, 100 * secs / total);
      b.append(String.format(Locale.ROOT, "<span class=\"piece %s\" data-stage=\"%s\" style=\"width:%.1f%%\"></span>",
          failedIn(spans, i) ? "failed" : "", sp.stage().id(), width));
    }
    b.append("</span>");
  }

  /** True for the stage a failed start-up was in when it failed: the span right before FAILED. */
  private static boolean failedIn(List<StageSpan> spans, int i) {
    return i + 1 < spans.size() && spans.get(i + 1).stage() == Stage.FAILED;
  }

  /** The usable GPU memory shared out, as the seed analysis reads it, where the log states it. */
  private static void memory(StringBuilder b, Map<String, Object> figures) {
    MemoryBudget m = MemoryBudget.of(figures);
    if (m == null) {
      return;
    }
    double scale = m.scaleGiB();
    b.append("<h3>GPU memory</h3>\n<div class=\"membar\" role=\"img\" aria-label=\"")
        .append(esc(m.text())).append("\">");
    int n = 0;
    for (MemoryBudget.Part p : m.parts()) {
      b.append(String.format(Locale.ROOT, "<span class=\"share s%d\" data-share=\"%s\" style=\"width:%.2f%%\" title=\"%s %s\"></span>",
          n++, esc(p.name()), 100 * p.gib() / scale, esc(p.name()), MemoryBudget.gib(p.gib())));
    }
    for (MemoryBudget.Part p : m.beyond()) {
      b.append(String.format(Locale.ROOT, "<span class=\"share beyond\" data-share=\"%s\" style=\"width:%.2f%%\" title=\"%s %s\"></span>",
          esc(p.name()), 100 * p.gib() / scale, esc(p.name()), MemoryBudget.gib(p.gib())));
    }
    b.append(String.format(Locale.ROOT, "<span class=\"usable\" style=\"left:%.2f%%\" title=\"usable %s\"></span>",
        Math.min(100, 100 * m.usableGiB() / scale), MemoryBudget.gib(m.usableGiB())));
    b.append("</div>\n<p class=\"legend\">");
    n = 0;
    for (MemoryBudget.Part p : m.parts()) {
      b.append("<span class=\"key s").append(n++).append("\"></span>").append(esc(p.name())).append(' ')
          .append(MemoryBudget.gib(p.gib())).append(" &nbsp; ");
    }
    for (MemoryBudget.Part p : m.beyond()) {
      b.append("<span class=\"key beyond\"></span>").append(esc(p.name())).append(' ')
          .append(MemoryBudget.gib(p.gib())).append(" &nbsp; ");
    }
    b.append("| usable ").append(MemoryBudget.gib(m.usableGiB()));
    if (m.totalGiB() != null) {
      b.append(" of ").append(MemoryBudget.gib(m.totalGiB()));
    }
    b.append("</p>\n");
  }

  /** What broke and what to change, before the details. */
  private static void diagnoses(StringBuilder b, StartupSummary s) {
    List<Diagnosis> all = Diagnoser.builtIn().summary(s);
    if (all.isEmpty()) {
      return;
    }
    b.append("<ul class=\"diagnoses\">\n");
    for (Diagnosis d : all) {
      b.append("<li data-diagnosis=\"").append(esc(d.id())).append("\"><b>").append(esc(d.text())).append("</b>");
      if (d.fix() != null) {
        b.append("<br>What to do: ").append(esc(d.fix()));
      }
      if (d.link() != null) {
        b.append(" <a href=\"").append(esc(d.link())).append("\">documentation</a>");
      }
      b.append("</li>\n");
    }
    b.append("</ul>\n");
  }

  private static void timeline(StringBuilder b, StartupSummary s) {
    List<StageSpan> spans = s.stages();
    if (spans.isEmpty() || spans.get(0).start() == null) {
      b.append("<p class=\"empty\">No timed stage yet.</p>\n");
      return;
    }
    Instant t0 = spans.get(0).start();
    double total = 0;
    for (StageSpan sp : spans) {
      double end = Duration.between(t0, sp.start()).toMillis() / 1000.0 + (sp.seconds() == null ? 0 : sp.seconds());
      total = Math.max(total, end);
    }
    total = Math.max(total, 0.001);
    b.append("<div class=\"timeline\" role=\"img\" aria-label=\"stage timeline\">\n");
    for (int i = 0; i < spans.size(); i++) {
      StageSpan sp = spans.get(i);
      double start = Duration.between(t0, sp.start()).toMillis() / 1000.0;
      double secs = sp.seconds() == null ? 0 : sp.seconds();
      double left = 100 * start / total;
      double width = Math.max(0.4, 100 * secs / total);
      b.append(String.format(Locale.ROOT,
          "<div class=\"row\"><span class=\"label\">%s</span><span class=\"track\">"
              + "<span class=\"stage-bar %s\" data-stage=\"%s\" style=\"left:%.3f%%;width:%.3f%%\" title=\"%s: %s\"></span>"
              + "</span><span class=\"secs\">%s</span></div>%n",
          sp.stage().id(), sp.stage() == Stage.FAILED || failedIn(spans, i) ? "failed"
              : sp.stage().terminal() ? "terminal" : "", sp.stage().id(), Math.min(left, 99.6),
          Math.min(width, 100 - Math.min(left, 99.6)), sp.stage().id(),
          sp.seconds() == null ? "current" : String.format(Locale.ROOT, "%.3f s", secs),
          sp.seconds() == null ? "current" : String.format(Locale.ROOT, "%.1f s", secs)));
    }
    b.append(String.format(Locale.ROOT, "<div class=\"axis\"><span>0 s</span><span>%.1f s</span></div>%n", total));
    b.append("</div>\n");
  }

  private static void models(StringBuilder b, List<ModelSummary> models) {
    b.append("<h3>Models</h3>\n");
    if (models.isEmpty()) {
      b.append("<p class=\"empty\">None named in the log.</p>\n");
      return;
    }
    b.append("<table class=\"models\"><tr><th>Model</th><th>Version</th><th>State</th><th>Backend</th><th>Reason</th></tr>\n");
    for (ModelSummary m : models) {
      b.append("<tr><td>").append(esc(m.name())).append("</td><td>").append(esc(m.version() == null ? "-" : m.version()))
          .append("</td><td class=\"state ").append(m.state().name()).append("\">").append(m.state())
          .append("</td><td>").append(esc(m.backend() == null ? "-" : m.backend())).append("</td><td>")
          .append(esc(m.reason() == null ? "" : m.reason())).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void services(StringBuilder b, List<Service> services) {
    if (services.isEmpty()) {
      return;
    }
    b.append("<h3>Services</h3>\n<ul class=\"services\">");
    for (Service s : services) {
      b.append("<li>").append(esc(s.kind())).append(" ").append(esc(s.address())).append(':').append(s.port()).append("</li>");
    }
    b.append("</ul>\n");
  }

  private static void figures(StringBuilder b, Map<String, Object> figures) {
    if (figures.isEmpty()) {
      return;
    }
    b.append("<h3>Figures</h3>\n<table class=\"figures\">\n");
    for (Map.Entry<String, Object> f : figures.entrySet()) {
      b.append("<tr><td>").append(esc(f.getKey())).append("</td><td>")
          .append(esc(TextReport.withUnit(f.getKey(), f.getValue()))).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void problems(StringBuilder b, String title, List<Problem> problems) {
    if (problems.isEmpty()) {
      return;
    }
    b.append("<h3>").append(title).append("</h3>\n<ul class=\"problems\">");
    for (Problem p : problems) {
      String text = p.text().length() > 500 ? p.text().substring(0, 500) + "..." : p.text();
      b.append("<li><span class=\"class\">").append(esc(p.kind())).append("</span> line ").append(p.line())
          .append(": <code>").append(esc(text)).append("</code></li>");
    }
    b.append("</ul>\n");
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String STYLE = """
      body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
      h1{font-size:20px}h2{font-size:17px;margin:0 0 4px}h3{font-size:14px;margin:14px 0 4px}
      section.startup{background:#fff;border:1px solid #ddd;border-radius:6px;padding:14px;margin:0 0 18px}
      .verdict{font-size:12px;padding:2px 6px;border-radius:4px;color:#fff;background:#888}
      .verdict.ready{background:#2e7d32}.verdict.failed{background:#c62828}.verdict.partial{background:#ef6c00}
      .timeline{margin:8px 0}.row{display:flex;align-items:center;height:20px}
      .label{width:150px;font-size:12px;color:#555}.secs{width:70px;text-align:right;font-size:12px;color:#555}
      .track{position:relative;flex:1;height:12px;background:#eef}
      .stage-bar{position:absolute;top:0;height:12px;background:#3f51b5;border-radius:2px}
      .stage-bar.terminal{background:#2e7d32}.stage-bar.failed{background:#c62828}
      .mini{display:inline-flex;width:180px;height:10px;background:#eef;vertical-align:middle}
      .piece{height:10px;background:#3f51b5;border-right:1px solid #fff}.piece.failed{background:#c62828}
      .membar{position:relative;display:flex;height:16px;background:#eee;margin:6px 0;max-width:720px}
      .share{height:16px}.s0{background:#3f51b5}.s1{background:#ef6c00}.s2{background:#8d6e63}.s3{background:#2e7d32}
      .beyond{background:#9c27b0}.usable{position:absolute;top:-3px;height:22px;border-left:2px dashed #222}
      .legend{font-size:12px;color:#555}.key{display:inline-block;width:10px;height:10px;margin-right:4px}
      .axis{display:flex;justify-content:space-between;margin-left:150px;margin-right:70px;font-size:11px;color:#777}
      table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;font-size:13px}
      .state.READY{color:#2e7d32}.state.FAILED{color:#c62828;font-weight:bold}
      .headline{font-weight:bold}.headline.broken{color:#c62828}
      tr.slow td{color:#e65100;font-weight:bold}
      .empty{color:#777}code{white-space:pre-wrap}.class{font-weight:bold}
      """;
}
