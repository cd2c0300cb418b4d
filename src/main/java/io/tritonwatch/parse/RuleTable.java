package io.tritonwatch.parse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Every rule, in the order they are tried, indexed by the first character of their prefixes:
 * a message is offered only to the rules that can match its first character (and to those
 * with no prefix), and the first rule that matches decides.
 */
final class RuleTable {

  static final List<Rule> ALL = all();

  private static final Rule[][] BY_FIRST = new Rule[128][];
  private static final Rule[] ANY_START;

  static {
    List<Rule> anyStart = new ArrayList<>();
    for (Rule r : ALL) {
      if (r.prefixes().isEmpty()) {
        anyStart.add(r);
      }
    }
    ANY_START = anyStart.toArray(new Rule[0]);
    for (int c = 0; c < 128; c++) {
      List<Rule> list = new ArrayList<>();
      for (Rule r : ALL) {
        if (r.prefixes().isEmpty() || startsWithChar(r, (char) c)) {
          list.add(r);
        }
      }
      BY_FIRST[c] = list.toArray(new Rule[0]);
    }
  }

  private RuleTable() {}

  private static List<Rule> all() {
    List<Rule> out = new ArrayList<>();
    out.addAll(PythonRules.ALL);
    out.addAll(TritonRules.ALL);
    out.addAll(VllmRules.ALL);
    out.addAll(VllmServerRules.ALL);
    out.addAll(TensorRtRules.ALL);
    Set<String> ids = new LinkedHashSet<>();
    for (Rule r : out) {
      if (!ids.add(r.id())) {
        throw new IllegalStateException("two rules named " + r.id());
      }
    }
    return List.copyOf(out);
  }

  private static boolean startsWithChar(Rule r, char c) {
    for (String p : r.prefixes()) {
      if (p.charAt(0) == c) {
        return true;
      }
    }
    return false;
  }

  /** The message starts every info-level rule can read: what the noise screens let through. */
  static List<String> screenPrefixes() {
    Set<String> out = new LinkedHashSet<>();
    for (Rule r : ALL) {
      if (r.atInfo()) {
        out.addAll(r.prefixes());
      }
    }
    return List.copyOf(out);
  }

  /** The rule that reads a message, for tests and reports; null when none does. */
  static Rule matching(String msg, char severity) {
    if (msg.isEmpty()) {
      return null;
    }
    List<TritonEvent> scratch = new ArrayList<>(2);
    char c = msg.charAt(0);
    for (Rule r : c < 128 ? BY_FIRST[c] : ANY_START) {
      if (r.guard(msg, severity)) {
        Matcher m = r.match(msg);
        if (m != null) {
          r.emit().to(scratch, r.expression() == null ? null : m, msg, null);
          if (!scratch.isEmpty()) {
            return r;
          }
        }
      }
    }
    return null;
  }

  /** @return whether a rule matched and emitted something */
  static boolean read(String msg, char severity, String source, List<TritonEvent> out) {
    char c = msg.charAt(0);
    Rule[] candidates = c < 128 ? BY_FIRST[c] : ANY_START;
    for (Rule r : candidates) {
      if (r.guard(msg, severity)) {
        Matcher m = r.match(msg);
        if (m != null) {
          int before = out.size();
          r.emit().to(out, r.expression() == null ? null : m, msg, source);
          if (out.size() > before) {
            return true; // a rule that matched but found nothing to say lets the next one try
          }
        }
      }
    }
    return false;
  }
}
