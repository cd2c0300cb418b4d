package io.tritonwatch.diagnose;

import io.tritonwatch.stage.ModelState;
import io.tritonwatch.stage.ModelSummary;
import io.tritonwatch.stage.Outcome;
import io.tritonwatch.stage.Problem;
import io.tritonwatch.stage.RememberedFailure;
import io.tritonwatch.stage.Stage;
import io.tritonwatch.stage.StageSpan;
import io.tritonwatch.stage.StartupSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a failure's text and class, with the start-up's own figures, into a diagnosis. */
public final class Diagnoser {

  private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
  /** {name}, {a-b} or {name|what to say when the log does not give it}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z:]+)(?:-([a-zA-Z]+))?(?:\\|([^}]*))?\\}");

  private final Catalogue catalogue;

  public Diagnoser(Catalogue catalogue) {
    this.catalogue = catalogue;
  }

  private static final class Holder {
    static final Diagnoser BUILT_IN = new Diagnoser(Catalogue.builtIn());
  }

  public static Diagnoser builtIn() {
    return Holder.BUILT_IN;
  }

  /**
   * @param errorClass the failure's class (an error's, or a failed model's)
   * @param s the start-up it belongs to, for its stage and figures; may be null
   * @return the first entry's diagnosis, or null when no entry knows the failure
   */
  public Diagnosis of(String text, String errorClass, StartupSummary s) {
    if (text == null) {
      return null;
    }
    for (Entry e : catalogue.failures) {
      if (!e.classes().isEmpty() && (errorClass == null || !e.classes().contains(errorClass))) {
        continue;
      }
      Matcher m = e.text().matcher(text);
      if (m.find()) {
        Map<String, String> vars = vars(s);
        Matcher g = GROUP.matcher(e.text().pattern());
        while (g.find()) {
          String v = m.group(g.group(1));
          if (v != null) {
            vars.put(g.group(1), v);
          }
        }
        return new Diagnosis(e.id(), fill(e.diagnosis(), vars), fill(e.fix(), vars), e.link());
      }
    }
    return null;
  }

  /** What the server's settings mean for a failure of this start-up. */
  List<Diagnosis> settings(StartupSummary s) {
    List<Diagnosis> out = new ArrayList<>();
    for (Entry e : catalogue.settings) {
      Object value = s.figures().get(e.figure());
      if (value != null && e.equals().equals(String.valueOf(value))) {
        Map<String, String> vars = vars(s);
        out.add(new Diagnosis(e.id(), fill(e.diagnosis(), vars), fill(e.fix(), vars), e.link()));
      }
    }
    return out;
  }

  /** What the start-up's warnings and figures say, beyond any failure. */
  public List<Diagnosis> warnings(StartupSummary s) {
    List<Diagnosis> out = new ArrayList<>();
    for (Entry e : catalogue.warnings) {
      boolean applies = false;
      if (e.warning() != null) {
        applies = s.warnings().stream().anyMatch(w -> w.kind().equals(e.warning())
            && (e.text() == null || e.text().matcher(w.text()).find()));
      } else if (e.figure() != null && s.figures().get(e.figure()) instanceof Number n) {
        applies = n.doubleValue() < e.below();
      }
      if (applies) {
        Map<String, String> vars = vars(s);
        out.add(new Diagnosis(e.id(), fill(e.diagnosis(), vars), fill(e.fix(), vars), e.link()));
      }
    }
    return out;
  }

  /**
   * What a reader of the summary should be told, most important first: the diagnosis of each
   * failed model of the latest start-up and of each failure remembered from earlier ones, of the
   * errors of a failed start-up, "no known diagnosis" for a failure none explains, then what
   * the warnings and figures say.
   */
  public List<Diagnosis> summary(StartupSummary s) {
    Map<String, Diagnosis> out = new LinkedHashMap<>();
    boolean failure = false;
    boolean unknown = false;
    for (ModelSummary m : s.models()) {
      if (m.state() == ModelState.FAILED || m.currentState() == ModelState.FAILED) {
        failure = true;
        Diagnosis d = of(m.reason(), m.errorClass(), s);
        if (d != null) {
          out.putIfAbsent(d.id(), d);
        } else {
          unknown = true;
        }
      }
    }
    for (RememberedFailure f : s.rememberedFailures()) {
      failure = true;
      Diagnosis d = of(f.reason(), f.errorClass(), s);
      if (d != null) {
        out.putIfAbsent(d.id(), d);
      } else {
        unknown = true;
      }
    }
    if (s.outcome() == Outcome.FAILED) {
      failure = true;
      boolean found = false;
      for (Problem p : s.errors()) {
        Diagnosis d = of(p.text(), p.kind(), s);
        if (d != null) {
          out.putIfAbsent(d.id(), d);
          found = true;
        }
      }
      unknown |= !found && out.isEmpty();
    }
    if (failure && unknown) {
      out.putIfAbsent(Diagnosis.NONE.id(), Diagnosis.NONE);
    }
    if (failure) {
      settings(s).forEach(d -> out.putIfAbsent(d.id(), d));
    }
    warnings(s).forEach(d -> out.putIfAbsent(d.id(), d));
    return List.copyOf(out.values());
  }

  private static Map<String, String> vars(StartupSummary s) {
    Map<String, String> vars = new HashMap<>();
    if (s == null) {
      return vars;
    }
    vars.put("stage", failedStage(s));
    // What --exit-on-error took down with the bad model: the models this start-up had loaded.
    Set<String> failed = new LinkedHashSet<>();
    int ready = 0;
    for (ModelSummary m : s.models()) {
      if (m.state() == ModelState.FAILED || m.currentState() == ModelState.FAILED) {
        failed.add(m.name());
      } else if (m.state() == ModelState.READY) {
        ready++;
      }
    }
    if (!failed.isEmpty()) {
      vars.put("failedModels", String.join(", ", failed));
    }
    if (ready > 0) {
      vars.put("tookDown", String.format(Locale.ROOT, " and took down the %d model%s that had loaded", ready,
          ready == 1 ? "" : "s"));
    }
    for (Map.Entry<String, Object> f : s.figures().entrySet()) {
      vars.put("fig:" + f.getKey(), String.valueOf(f.getValue()));
    }
    return vars;
  }

  /** The stage the start-up was in when it failed, in words. */
  private static String failedStage(StartupSummary s) {
    Stage before = null;
    for (StageSpan span : s.stages()) {
      if (!span.stage().terminal()) {
        before = span.stage();
      }
    }
    return before == null ? "the start-up" : before.id().replace('_', ' ');
  }

  static String fill(String template, Map<String, String> vars) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String a = vars.get(m.group(1));
      String value;
      if (m.group(2) != null) {
        String b = vars.get(m.group(2));
        value = a == null || b == null ? null : difference(a, b);
      } else {
        value = a;
      }
      String otherwise = m.group(3) != null ? m.group(3) : "(not in the log)";
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? otherwise : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String difference(String a, String b) {
    try {
      return String.format(Locale.ROOT, "%.2f", Double.parseDouble(a) - Double.parseDouble(b));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
