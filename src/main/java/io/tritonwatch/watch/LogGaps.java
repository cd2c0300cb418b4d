package io.tritonwatch.watch;

import io.tritonwatch.text.Rfc3339;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a container's log is read (file, api, none and why), and where it may have lost lines,
 * by reason: how often, and how much log time, from the engine's stamp on the last line read
 * before each gap to the first read after it. The lines themselves cannot be counted (a
 * deleted file leaves nothing), their time can. Its container's lock guards what it changes.
 */
final class LogGaps {

  private volatile String reader = "api";
  private volatile String problem;
  private final Map<String, Long> counts = new TreeMap<>();
  private final Map<String, Double> seconds = new TreeMap<>();
  /** The reason of a gap whose end is not read yet, and the stamp of the last line before it. */
  private String open;
  private long from = Rfc3339.NONE;

  /**
   * @param lastStamp the engine's stamp on the last line read before the gap
   * @return whether this is the first gap of this reason
   */
  boolean gap(String reason, long lastStamp) {
    Long n = counts.get(reason);
    counts.put(reason, n == null ? 1L : n + 1);
    open = reason;
    from = lastStamp;
    seconds.putIfAbsent(reason, 0.0);
    return n == null;
  }

  /** A line stamped this was read: the first after a gap closes it. */
  void lineAt(long stampNanos) {
    if (open == null) {
      return;
    }
    if (from != Rfc3339.NONE && stampNanos > from) {
      seconds.merge(open, (stampNanos - from) / 1e9, Double::sum);
    }
    open = null;
  }

  /** The engine cannot give the log back at all: read by {@code none}. @return whether it is news */
  boolean unreadable(String why) {
    boolean first = problem == null;
    problem = why;
    reader = "none";
    return first;
  }

  /** @return whether the way of reading changed */
  boolean reader(String how) {
    if (how.equals(reader)) {
      return false;
    }
    reader = how;
    return true;
  }

  String reader() {
    return reader;
  }

  String problem() {
    return problem;
  }

  Map<String, Long> counts() {
    return Map.copyOf(counts);
  }

  Map<String, Double> seconds() {
    return Map.copyOf(seconds);
  }
}
