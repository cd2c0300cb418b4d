package io.tritonwatch.report;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree of maps, lists, strings, numbers, booleans and nulls as indented JSON, in the
 * layout Jackson's default pretty printer uses (objects one field a line, arrays inline).
 * The summary is only ever such a tree, and `analyze` of a small log would otherwise spend
 * most of its life loading a data-binding library to print it.
 */
final class JsonWriter {

  private static final int CHUNK = 1 << 16;

  /** Built here and handed on in chunks: a Writer's per-call cost is too high for single characters. */
  private final StringBuilder out = new StringBuilder(CHUNK + 1024);
  private final Appendable target;

  private JsonWriter(Appendable target) {
    this.target = target;
  }

  static void write(Object tree, Appendable target) throws IOException {
    write(tree, target, 0);
  }

  /** As if {@code tree} stood {@code depth} objects deep in a larger tree, to be pasted there. */
  static void write(Object tree, Appendable target, int depth) throws IOException {
    JsonWriter w = new JsonWriter(target);
    w.value(tree, depth);
    w.drain();
  }

  private void drain() throws IOException {
    target.append(out);
    out.setLength(0);
  }

  private void value(Object v, int depth) throws IOException {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof SummaryJson.Verbatim r) {
      out.append(r.json());
    } else if (v instanceof Map<?, ?> m) {
      object(m, depth);
    } else if (v instanceof List<?> l) {
      array(l, depth);
    } else if (v instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (v instanceof Double d) {
      number(d);
    } else if (v instanceof Float f) {
      number(f.doubleValue());
    } else if (v instanceof Number n) {
      out.append(n.toString());
    } else if (v instanceof Enum<?> e) {
      string(e.name());
    } else {
      string(v.toString());
    }
  }

  private void number(double d) throws IOException {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      string(Double.toString(d)); // JSON has no such numbers; a string keeps the fact
    } else {
      DecimalText.append(out, d);
    }
  }

  private void object(Map<?, ?> m, int depth) throws IOException {
    if (out.length() >= CHUNK) {
      drain();
    }
    if (m.isEmpty()) {
      out.append("{ }");
      return;
    }
    out.append('{');
    Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<?, ?> e = it.next();
      newline(depth + 1);
      string(String.valueOf(e.getKey()));
      out.append(" : ");
      value(e.getValue(), depth + 1);
      if (it.hasNext()) {
        out.append(',');
      }
    }
    newline(depth);
    out.append('}');
  }

  private void array(List<?> l, int depth) throws IOException {
    if (l.isEmpty()) {
      out.append("[ ]");
      return;
    }
    out.append("[ ");
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      value(l.get(i), depth);
    }
    out.append(" ]");
  }

  private void newline(int depth) throws IOException {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  private void string(String s) throws IOException {
    out.append('"');
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        out.append(s, from, i).append(escape(c));
        from = i + 1;
      }
    }
    out.append(s, from, s.length()).append('"');
  }

  private static final String HEX = "0123456789ABCDEF";

  private static String escape(char c) {
    return switch (c) {
      case '"' -> "\\\"";
      case '\\' -> "\\\\";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      default -> "\\u00" + HEX.charAt(c >> 4) + HEX.charAt(c & 0xf);
    };
  }
}
