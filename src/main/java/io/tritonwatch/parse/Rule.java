package io.tritonwatch.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing a log line can say, as data: which program prints it, the text its message starts
 * with (or contains), the expression that reads it, what it emits, and real lines that show it.
 * The noise screens take their prefixes from the rules, so a rule cannot be written that the
 * screen hides; {@code RuleExamplesTest} runs every example through the whole parser.
 *
 * @param id a stable name, used in test reports
 * @param program who prints the line ("triton", "vllm", "tensorrt", "python", "trtis")
 * @param prefixes the message starts with one of these (empty: any start)
 * @param contains the message contains this (null: no such test)
 * @param test a further cheap test on the message (null: none)
 * @param expression read with {@code lookingAt} when it starts with '^', else with {@code find}
 *     (a message may hold newlines: an expression that must read past them says {@code (?s)});
 *     null when the guard alone decides
 * @param atInfo whether the rule may read an info- or debug-level line (one the screen sees)
 */
public record Rule(String id, String program, List<String> prefixes, String contains, Predicate<String> test,
                   Pattern expression, boolean anchored, boolean atInfo, Emit emit, List<Example> examples) {

  /** Turns a match into events. */
  @FunctionalInterface
  public interface Emit {
    /** @param m the expression's match, or null for a rule without one */
    void to(List<TritonEvent> out, Matcher m, String msg, String source);
  }

  /** A line copied from a real log, and where it comes from. */
  public record Example(String line, String source) {}

  public Rule {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("rule " + id + ": no example line from a real log");
    }
    if (prefixes.isEmpty() && atInfo) {
      throw new IllegalArgumentException("rule " + id + ": it reads info-level lines but names no prefix, "
          + "so the noise screen would hide them; give it prefixes or limit it to other levels");
    }
  }

  /** Whether the message passes the rule's cheap tests (prefix, contains, predicate). */
  boolean guard(String msg, char severity) {
    if (!atInfo && (severity == 'I' || severity == 'D')) {
      return false;
    }
    if (!prefixes.isEmpty()) {
      boolean any = false;
      for (int i = 0; i < prefixes.size() && !any; i++) {
        any = msg.startsWith(prefixes.get(i));
      }
      if (!any) {
        return false;
      }
    }
    return (contains == null || msg.contains(contains)) && (test == null || test.test(msg));
  }

  /** @return the match (or a non-null marker when the rule has no expression), else null */
  Matcher match(String msg) {
    if (expression == null) {
      return NO_EXPRESSION;
    }
    Matcher m = expression.matcher(msg);
    return (anchored ? m.lookingAt() : m.find()) ? m : null;
  }

  private static final Matcher NO_EXPRESSION = Pattern.compile("").matcher("");

  static Builder rule(String id, String program) {
    return new Builder(id, program);
  }

  /** Writes a rule as it reads: where, guard, expression, emit, examples. */
  static final class Builder {
    private final String id;
    private final String program;
    private final List<String> prefixes = new ArrayList<>();
    private String contains;
    private Predicate<String> test;
    private Pattern expression;
    private boolean atInfo = true;
    private final List<Example> examples = new ArrayList<>();

    private Builder(String id, String program) {
      this.id = id;
      this.program = program;
    }

    Builder startsWith(String... p) {
      prefixes.addAll(List.of(p));
      return this;
    }

    Builder contains(String s) {
      contains = s;
      return this;
    }

    Builder when(Predicate<String> t) {
      test = t;
      return this;
    }

    /** The rule reads warnings, errors and headerless lines only. */
    Builder notAtInfo() {
      atInfo = false;
      return this;
    }

    Builder expression(String regex) {
      expression = Pattern.compile(regex);
      return this;
    }

    Builder example(String line, String source) {
      examples.add(new Example(line, source));
      return this;
    }

    Rule emits(Emit emit) {
      boolean anchored = expression != null && expression.pattern().startsWith("^");
      return new Rule(id, program, List.copyOf(prefixes), contains, test, expression, anchored, atInfo, emit,
          List.copyOf(examples));
    }
  }
}
