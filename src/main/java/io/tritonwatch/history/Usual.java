package io.tritonwatch.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is normal for one server: each stage's median and 90th percentile over its past ready
 * start-ups (failed ones end early and would make a stage look short). Known only from
 * {@code minStartups} start-ups on; below that, the configured thresholds judge.
 *
 * @param identity whose history this is
 * @param startups how many ready start-ups it was learnt from
 * @param stages stage id to its spread, for stages that ended in every one of them or most
 * @param ready the spread of the whole start-up, start to ready
 */
public record Usual(String identity, int startups, Map<String, Spread> stages, Spread ready) {

  /** A median and a high percentile, in seconds. */
  public record Spread(double median, double p90, int samples) {}

  public Usual {
    stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
  }

  /** @return null when fewer than {@code minStartups} ready start-ups are known */
  public static Usual of(String identity, List<StartupRecord> history, int minStartups) {
    List<StartupRecord> ready = new ArrayList<>();
    for (StartupRecord r : history) {
      if (r.ready()) {
        ready.add(r);
      }
    }
    if (ready.size() < Math.max(1, minStartups)) {
      return null;
    }
    Map<String, List<Double>> byStage = new LinkedHashMap<>();
    List<Double> totals = new ArrayList<>();
    for (StartupRecord r : ready) {
      r.stageSeconds().forEach((stage, s) -> byStage.computeIfAbsent(stage, k -> new ArrayList<>()).add(s));
      if (r.startupSeconds() != null) {
        totals.add(r.startupSeconds());
      }
    }
    Map<String, Spread> stages = new LinkedHashMap<>();
    byStage.forEach((stage, values) -> {
      if (values.size() >= Math.max(1, minStartups)) {
        stages.put(stage, spread(values));
      }
    });
    return new Usual(identity, ready.size(), stages, totals.size() >= Math.max(1, minStartups) ? spread(totals) : null);
  }

  /** Nearest-rank percentiles: with a handful of start-ups, an interpolated one would invent values. */
  static Spread spread(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    return new Spread(rank(v, 0.5), rank(v, 0.9), v.size());
  }

  private static double rank(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  public Spread stage(String stage) {
    return stages.get(stage);
  }
}
