package io.tritonwatch.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The known failures, read once from {@code diagnoses.yml} on the class path: data, so that a
 * new entry is one edit and its example lines. A malformed entry stops the program naming the
 * entry and the key; the catalogue is part of the build, not user input.
 */
public final class Catalogue {

  private static final Set<String> FAILURE_KEYS = Set.of("id", "classes", "text", "diagnosis", "fix", "link",
      "examples", "counterexamples");
  private static final Set<String> WARNING_KEYS = Set.of("id", "warning", "text", "figure", "below", "diagnosis",
      "fix", "link", "examples");
  private static final Set<String> SETTING_KEYS = Set.of("id", "figure", "equals", "diagnosis", "fix", "link",
      "examples");

  final List<Entry> failures;
  final List<Entry> warnings;
  /** What a server setting means for a failure, told beside the failure's own diagnosis. */
  final List<Entry> settings;

  private Catalogue(List<Entry> failures, List<Entry> warnings, List<Entry> settings) {
    this.failures = List.copyOf(failures);
    this.warnings = List.copyOf(warnings);
    this.settings = List.copyOf(settings);
  }

  private static final class Holder {
    static final Catalogue BUILT_IN = load("/diagnoses.yml");
  }

  /** The catalogue the program ships, read at first use. */
  public static Catalogue builtIn() {
    return Holder.BUILT_IN;
  }

  public List<String> ids() {
    List<String> out = new ArrayList<>();
    failures.forEach(e -> out.add(e.id()));
    warnings.forEach(e -> out.add(e.id()));
    settings.forEach(e -> out.add(e.id()));
    return out;
  }

  @SuppressWarnings("unchecked")
  static Catalogue load(String resource) {
    Map<String, Object> root;
    try (InputStream in = Catalogue.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " on the class path");
      }
      root = CatalogueReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Entry> failures = new ArrayList<>();
    List<Entry> warnings = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) root.getOrDefault("failures", List.of())) {
      failures.add(entry(m, FAILURE_KEYS, ids));
    }
    for (Map<String, Object> m : (List<Map<String, Object>>) root.getOrDefault("warnings", List.of())) {
      warnings.add(entry(m, WARNING_KEYS, ids));
    }
    List<Entry> settings = new ArrayList<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) root.getOrDefault("settings", List.of())) {
      Entry e = entry(m, SETTING_KEYS, ids);
      if (e.figure() == null || e.equals() == null) {
        throw new IllegalStateException("diagnoses.yml " + e.id() + ": a setting needs figure and equals");
      }
      settings.add(e);
    }
    return new Catalogue(failures, warnings, settings);
  }

  @SuppressWarnings("unchecked")
  private static Entry entry(Map<String, Object> m, Set<String> keys, Set<String> ids) {
    String id = String.valueOf(m.get("id"));
    for (String k : m.keySet()) {
      if (!keys.contains(k)) {
        throw new IllegalStateException("diagnoses.yml " + id + "." + k + ": unknown key");
      }
    }
    if (!id.matches("[a-z][a-z0-9_]*") || !ids.add(id)) {
      throw new IllegalStateException("diagnoses.yml " + id + ".id: must be a new lower-case slug");
    }
    for (String required : List.of("diagnosis", "fix", "examples")) {
      if (m.get(required) == null) {
        throw new IllegalStateException("diagnoses.yml " + id + "." + required + ": missing");
      }
    }
    Pattern text = null;
    if (m.get("text") != null) {
      try {
        text = Pattern.compile(String.valueOf(m.get("text")));
      } catch (PatternSyntaxException e) {
        throw new IllegalStateException("diagnoses.yml " + id + ".text: " + e.getDescription());
      }
    }
    Set<String> classes = new LinkedHashSet<>();
    for (Object c : (List<Object>) m.getOrDefault("classes", List.of())) {
      classes.add(String.valueOf(c));
    }
    Double below = m.get("below") == null ? null : ((Number) m.get("below")).doubleValue();
    return new Entry(id, Set.copyOf(classes), text, (String) m.get("warning"), (String) m.get("figure"), below,
        m.get("equals") == null ? null : String.valueOf(m.get("equals")),
        String.valueOf(m.get("diagnosis")), String.valueOf(m.get("fix")), (String) m.get("link"),
        examples(m.get("examples")), examples(m.get("counterexamples")));
  }

  @SuppressWarnings("unchecked")
  private static List<Entry.Example> examples(Object list) {
    List<Entry.Example> out = new ArrayList<>();
    if (list != null) {
      for (Map<String, Object> e : (List<Map<String, Object>>) list) {
        out.add(new Entry.Example(String.valueOf(e.get("text")), String.valueOf(e.get("source"))));
      }
    }
    return List.copyOf(out);
  }
}
