package io.tritonwatch.report;

import io.tritonwatch.history.Comparison;
import io.tritonwatch.history.Expectation;
import io.tritonwatch.history.Usual;
import io.tritonwatch.diagnose.Diagnoser;
import io.tritonwatch.diagnose.Diagnosis;
import io.tritonwatch.stage.ModelSummary;
import io.tritonwatch.stage.Problem;
import io.tritonwatch.stage.ModelState;
import io.tritonwatch.stage.RememberedFailure;
import io.tritonwatch.stage.RunSummary;
import io.tritonwatch.stage.Service;
import io.tritonwatch.stage.StageSpan;
import io.tritonwatch.stage.StartupSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON summary contract of DESIGN.md: field names are fixed, fields may be added. */
public final class SummaryJson {

  private SummaryJson() {}

  /** JSON text written as it is: a part rendered earlier, pasted into a larger tree. */
  public record Verbatim(String json) {}

  /** @param depth how many objects deep the text will be pasted (see {@link Verbatim}) */
  public static String write(Object tree, int depth) {
    StringBuilder sb = new StringBuilder(4096);
    try {
      JsonWriter.write(tree, sb, depth);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not fail
    }
    return sb.toString();
  }

  public static String write(Object tree) {
    return write(tree, 0);
  }

  /** Streams the JSON: a log of thousands of start-ups must not need its text twice in memory. */
  public static void write(Object tree, OutputStream out) throws IOException {
    JsonWriter.write(tree, new Utf8Target(out));
    out.flush();
  }

  /**
   * The writer's text, a piece at a time, as UTF-8 bytes. A Writer took each piece through
   * three copies and two conversions (to chars, through an encoder); a report of a day's log
   * is megabytes of nearly all-ASCII text, which a String turns into bytes with one copy.
   */
  private static final class Utf8Target implements Appendable {
    private final OutputStream out;

    Utf8Target(OutputStream out) {
      this.out = out;
    }

    @Override
    public Appendable append(CharSequence text) throws IOException {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      return this;
    }

    @Override
    public Appendable append(CharSequence text, int start, int end) throws IOException {
      return append(text.subSequence(start, end));
    }

    @Override
    public Appendable append(char c) throws IOException {
      return append(String.valueOf(c));
    }
  }

  public static Map<String, Object> tree(StartupSummary s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", s.outcome().id());
    out.put("tritonVersion", s.tritonVersion());
    out.put("program", s.program());
    out.put("stage", s.stage().id());
    out.put("stageSince", iso(s.stageSince()));
    out.put("start", iso(s.start()));
    out.put("startupSeconds", s.startupSeconds());
    out.put("serving", s.serving());
    out.put("models", models(s.models(), s));
    out.put("services", services(s.services()));
    out.put("figures", s.figures());
    out.put("stages", stages(s.stages()));
    out.put("errors", problems(s.errors(), s));
    out.put("warnings", problems(s.warnings(), null));
    // Built one at a time while being written: a log of thousands of start-ups would
    // otherwise hold all of them twice, as summaries and as maps.
    List<RunSummary> all = s.runs();
    List<Object> runs = new AbstractList<>() {
      @Override
      public Object get(int i) {
        return run(all.get(i));
      }

      @Override
      public int size() {
        return all.size();
      }
    };
    out.put("runs", runs);
    List<Object> remembered = new ArrayList<>();
    for (RememberedFailure f : s.rememberedFailures()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", f.model());
      m.put("version", f.version());
      m.put("reason", f.reason());
      m.put("class", f.errorClass());
      m.put("at", iso(f.at()));
      m.put("startup", f.startup());
      Diagnosis d = Diagnoser.builtIn().of(f.reason(), f.errorClass(), s);
      m.put("diagnosis", (d == null ? Diagnosis.NONE : d).id());
      remembered.add(m);
    }
    out.put("rememberedFailures", remembered);
    List<Object> diagnoses = new ArrayList<>();
    for (Diagnosis d : Diagnoser.builtIn().summary(s)) {
      diagnoses.add(diagnosis(d));
    }
    out.put("diagnoses", diagnoses);
    out.put("linesRead", s.linesRead());
    return out;
  }

  /**
   * What a server's history says is usual, and how these stages (a start-up's) compare: the
   * {@code usual} of {@code /status} and of {@code analyze --history}.
   */
  public static Map<String, Object> usual(Expectation e, List<StageSpan> stages) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("server", e.usual().identity());
    u.put("startups", e.usual().startups());
    u.put("readySeconds", e.usual().ready() == null ? null : spread(e.usual().ready()));
    Map<String, Object> usualStages = new LinkedHashMap<>();
    e.usual().stages().forEach((k, v) -> usualStages.put(k, spread(v)));
    u.put("stages", usualStages);
    List<Object> compared = new ArrayList<>();
    for (Comparison.Row row : Comparison.of(e, stages)) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("stage", row.stage());
      x.put("seconds", row.seconds());
      x.put("ratio", Math.round(row.ratio() * 100) / 100.0);
      x.put("slowerThanUsual", row.slower());
      compared.add(x);
    }
    u.put("latest", compared);
    return u;
  }

  private static Map<String, Object> spread(Usual.Spread s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", s.median());
    m.put("p90", s.p90());
    return m;
  }

  private static Map<String, Object> run(RunSummary r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outcome", r.outcome().id());
    m.put("start", iso(r.start()));
    m.put("startLine", r.startLine());
    m.put("startupSeconds", r.startupSeconds());
    m.put("models", models(r.models(), null));
    m.put("services", services(r.services()));
    m.put("figures", r.figures());
    m.put("stages", stages(r.stages()));
    m.put("errors", problems(r.errors(), null));
    return m;
  }

  private static List<Object> stages(List<StageSpan> spans) {
    List<Object> stages = new ArrayList<>(spans.size());
    for (StageSpan span : spans) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", span.stage().id());
      m.put("start", iso(span.start()));
      m.put("seconds", span.seconds());
      stages.add(m);
    }
    return stages;
  }

  private static List<Object> services(List<Service> list) {
    List<Object> services = new ArrayList<>();
    for (Service svc : list) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", svc.kind());
      m.put("address", svc.address());
      m.put("port", svc.port());
      services.add(m);
    }
    return services;
  }

  /** @param s the start-up the models belong to, whose failed models get a diagnosis; null for none */
  private static List<Object> models(List<ModelSummary> models, StartupSummary s) {
    List<Object> out = new ArrayList<>();
    for (ModelSummary ms : models) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", ms.name());
      m.put("version", ms.version());
      m.put("state", ms.state().name());
      m.put("currentState", ms.currentState().name());
      m.put("backend", ms.backend());
      m.put("reason", ms.reason());
      m.put("errorClass", ms.errorClass());
      if (s != null && (ms.state() == ModelState.FAILED || ms.currentState() == ModelState.FAILED)) {
        Diagnosis d = Diagnoser.builtIn().of(ms.reason(), ms.errorClass(), s);
        m.put("diagnosis", diagnosis(d == null ? Diagnosis.NONE : d));
      }
      m.put("figures", ms.figures());
      out.add(m);
    }
    return out;
  }

  /** @param s the start-up the errors belong to, for their diagnoses; null for none */
  private static List<Object> problems(List<Problem> problems, StartupSummary s) {
    List<Object> out = new ArrayList<>();
    for (Problem p : problems) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("class", p.kind());
      m.put("line", p.line());
      m.put("text", p.text());
      if (s != null) {
        Diagnosis d = Diagnoser.builtIn().of(p.text(), p.kind(), s);
        m.put("diagnosis", d == null ? null : diagnosis(d));
      }
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> diagnosis(Diagnosis d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("text", d.text());
    m.put("fix", d.fix());
    m.put("link", d.link());
    return m;
  }

  static String iso(Instant t) {
    return t == null ? null : InstantText.of(t);
  }
}
