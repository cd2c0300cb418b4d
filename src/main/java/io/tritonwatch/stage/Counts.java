package io.tritonwatch.stage;

import java.util.Map;
import java.util.TreeMap;

/**
 * Monotonic counts across every start-up of one stream, for Prometheus counters: they never
 * go down while the stream lives, restarts included.
 */
public final class Counts {
  private final Map<String, Long> errors = new TreeMap<>();
  private final Map<String, Long> warnings = new TreeMap<>();
  private final Map<String, Long> modelFailures = new TreeMap<>();
  private long modelsOverLimit;
  /** Distinct models with a failure count: each is a series, and a crash loop may name new ones every run. */
  private final int maxModels;

  Counts() {
    this(Integer.MAX_VALUE);
  }

  Counts(int maxModels) {
    this.maxModels = maxModels;
  }

  void error(String kind) {
    increment(errors, kind);
  }

  void warning(String kind) {
    increment(warnings, kind);
  }

  void modelFailure(String name, String version) {
    String key = name + '\u0000' + (version == null ? "" : version);
    if (modelFailures.size() >= maxModels && !modelFailures.containsKey(key)) {
      modelsOverLimit++; // counted in tritonwatch_models_over_limit_total, not as a series of its own
      return;
    }
    increment(modelFailures, key);
  }

  /** A plain read and write: no method reference to link on the first count of a start-up. */
  private static void increment(Map<String, Long> counts, String key) {
    Long n = counts.get(key);
    counts.put(key, n == null ? 1L : n + 1);
  }

  long modelsOverLimit() {
    return modelsOverLimit;
  }

  void modelOverLimit() {
    modelsOverLimit++;
  }

  /** An immutable copy. */
  public Snapshot snapshot() {
    return new Snapshot(Map.copyOf(errors), Map.copyOf(warnings), Map.copyOf(modelFailures), modelsOverLimit);
  }

  /**
   * @param modelFailures keyed by name, NUL, version
   * @param modelsOverLimit model names ignored because the per-container cap was reached
   */
  public record Snapshot(Map<String, Long> errors, Map<String, Long> warnings,
                         Map<String, Long> modelFailures, long modelsOverLimit) {
    public static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of(), 0);
  }
}
