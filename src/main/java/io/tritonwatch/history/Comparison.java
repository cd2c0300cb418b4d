package io.tritonwatch.history;

import io.tritonwatch.stage.RunSummary;
import io.tritonwatch.stage.StageSpan;
import java.util.ArrayList;
import java.util.List;

/** A start-up's ended stages against what is usual for its server. */
public final class Comparison {
  private Comparison() {}

  /**
   * @param usual the stage's median and 90th percentile
   * @param ratio this length over the median
   * @param slower over the slow factor times the 90th percentile
   */
  public record Row(String stage, double seconds, Usual.Spread usual, double ratio, boolean slower) {}

  public static List<Row> of(Expectation e, List<StageSpan> stages) {
    List<Row> out = new ArrayList<>();
    for (StageSpan span : stages) {
      if (span.seconds() == null || span.stage().terminal()) {
        continue;
      }
      String stage = span.stage().id();
      Double ratio = e.ratio(stage, span.seconds());
      if (ratio != null) {
        Double slowAfter = e.slowAfter(stage);
        out.add(new Row(stage, span.seconds(), e.usual().stage(stage), ratio,
            slowAfter != null && span.seconds() > slowAfter));
      }
    }
    return out;
  }

  /**
   * What the earlier ready start-ups of one log say is usual, for comparing its latest start-up
   * with them (a restarted server's log): null when none of them was ready.
   */
  public static Usual ofEarlierRuns(List<RunSummary> runs) {
    List<StartupRecord> earlier = new ArrayList<>();
    for (int i = 0; i < runs.size() - 1; i++) {
      if (runs.get(i).start() != null) {
        earlier.add(StartupRecord.of(runs.get(i), "", "", ""));
      }
    }
    return Usual.of("this log", earlier, 1);
  }
}
