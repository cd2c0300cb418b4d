package io.tritonwatch.stage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Errors or warnings of one start-up. The same text from several ranks or repeated every few
 * seconds is kept once, and the list is capped so a log that repeats errors for weeks stays
 * small; {@link #total()} still counts every occurrence.
 */
final class Problems {
  static final int CAP = 200;
  private static final int MAX_TEXT = 2000;

  private final List<Problem> list = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private long total;
  private final java.util.function.Consumer<String> counter;

  /**
   * A text kept for later (an error, a model's reason) at most {@code MAX_TEXT} characters:
   * a log may print a megabyte on one line, and forty of them must not fill the daemon's heap.
   */
  static String cap(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }

  Problems(java.util.function.Consumer<String> counter) {
    this.counter = counter;
  }

  boolean add(String kind, long line, String text) {
    total++;
    counter.accept(kind);
    String t = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    if (list.size() >= CAP || !seen.add(kind + '\u0000' + t)) {
      return false;
    }
    list.add(new Problem(kind, line, t));
    return true;
  }

  /** Lets a wrapped line finish the text of the latest problem. */
  void extendLast(String more) {
    if (!list.isEmpty()) {
      Problem p = list.remove(list.size() - 1);
      list.add(new Problem(p.kind(), p.line(), p.text() + more));
    }
  }

  boolean hasKind(String kind) {
    for (Problem p : list) {
      if (p.kind().equals(kind)) {
        return true;
      }
    }
    return false;
  }

  long total() {
    return total;
  }

  List<Problem> snapshot() {
    return List.copyOf(list);
  }
}
