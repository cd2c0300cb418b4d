package io.tritonwatch.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rebuilds the rows of Triton's ASCII tables. A cell too wide for its column continues on the
 * next row with the first cell empty; the pieces are joined exactly as cut, so a word split
 * across rows ("sch" / "edule_policy") comes back whole.
 */
final class TableReader {

  enum Kind { MODELS, OPTIONS, BACKENDS, OTHER }

  /** Receives each completed row. */
  interface Sink {
    void header(Kind kind);

    void row(Kind kind, List<String> cells);
  }

  private final Sink sink;
  private Kind kind;
  private List<StringBuilder> pending;

  TableReader(Sink sink) {
    this.sink = sink;
  }

  void row(List<String> cells) {
    if (kind == null) {
      kind = kindOf(cells);
      sink.header(kind);
      return;
    }
    if (isHeaderAgain(cells)) {
      return;
    }
    boolean continuation = !cells.isEmpty() && cells.get(0).isBlank() && pending != null;
    if (continuation) {
      for (int i = 0; i < cells.size() && i < pending.size(); i++) {
        pending.get(i).append(cells.get(i));
      }
      return;
    }
    flush();
    pending = new ArrayList<>(cells.size());
    for (String c : cells) {
      pending.add(new StringBuilder(c));
    }
  }

  /** A border closes the header (first one) or the table (later ones). */
  void border() {
    flush();
  }

  /** Any line that is not part of a table ends it. */
  void end() {
    flush();
    kind = null;
  }

  boolean inTable() {
    return kind != null;
  }

  private void flush() {
    if (pending != null && kind != null) {
      List<String> cells = new ArrayList<>(pending.size());
      for (StringBuilder b : pending) {
        cells.add(b.toString().strip());
      }
      pending = null;
      sink.row(kind, cells);
    }
    pending = null;
  }

  private boolean isHeaderAgain(List<String> cells) {
    if (pending != null) {
      return false;
    }
    Kind k = kindOf(cells);
    return k != Kind.OTHER && k == kind;
  }

  private static Kind kindOf(List<String> cells) {
    if (cells.isEmpty()) {
      return Kind.OTHER;
    }
    String first = cells.get(0).strip().toLowerCase(Locale.ROOT);
    return switch (first) {
      case "model" -> Kind.MODELS;
      case "option" -> Kind.OPTIONS;
      case "backend" -> Kind.BACKENDS;
      default -> Kind.OTHER;
    };
  }
}
