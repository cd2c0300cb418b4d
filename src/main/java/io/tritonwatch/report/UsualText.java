package io.tritonwatch.report;

import io.tritonwatch.history.Comparison;
import io.tritonwatch.history.Expectation;
import io.tritonwatch.stage.StageSpan;
import java.util.List;
import java.util.Locale;

/** The text report's comparison of a start-up with what is usual for its server. */
public final class UsualText {
  private UsualText() {}

  /** @param against what the comparison is with, e.g. "5 earlier start-ups in the history of X" */
  public static String render(Expectation e, List<StageSpan> stages, String against) {
    StringBuilder b = new StringBuilder();
    b.append("Compared with ").append(against);
    if (e.usual().ready() != null) {
      b.append(String.format(Locale.ROOT, " (usually ready after %.1f s)", e.usual().ready().median()));
    }
    b.append(":\n");
    List<Comparison.Row> rows = Comparison.of(e, stages);
    if (rows.isEmpty()) {
      b.append("  no stage of this start-up has a usual length to compare with\n");
    }
    for (Comparison.Row r : rows) {
      b.append(String.format(Locale.ROOT, "  %-17s %8.1f s   usual %7.1f s (90%%: %.1f s)   %5.2fx%s%n", r.stage(),
          r.seconds(), r.usual().median(), r.usual().p90(), r.ratio(), r.slower() ? "   slower than usual" : ""));
    }
    return b.toString();
  }
}
