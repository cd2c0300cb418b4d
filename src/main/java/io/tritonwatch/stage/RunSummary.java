package io.tritonwatch.stage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A start-up in the sequence of a restarted container's log.
 *
 * @param stages its stage timeline, as {@link StartupSummary#stages()} is the latest's
 * @param errors its first errors ({@link #MAX_ERRORS} at most, texts cut at {@link #MAX_TEXT}):
 *     a crash loop keeps hundreds of closed start-ups, and what made each fail is in the first
 */
public record RunSummary(Outcome outcome, Instant start, long startLine, Double startupSeconds,
                         List<ModelSummary> models, List<Service> services, Map<String, Object> figures,
                         List<StageSpan> stages, List<Problem> errors) {

  public static final int MAX_ERRORS = 5;

  RunSummary reYear(Years shift) {
    List<StageSpan> moved = new java.util.ArrayList<>(stages.size());
    for (StageSpan sp : stages) {
      moved.add(new StageSpan(sp.stage(), shift.apply(sp.start()), sp.seconds()));
    }
    return new RunSummary(outcome, shift.apply(start), startLine, startupSeconds, models, services, figures,
        List.copyOf(moved), errors);
  }

  public static final int MAX_TEXT = 1000;

  static List<Problem> firstErrors(List<Problem> all) {
    List<Problem> out = new java.util.ArrayList<>(Math.min(all.size(), MAX_ERRORS));
    for (Problem p : all) {
      if (out.size() == MAX_ERRORS) {
        break;
      }
      out.add(p.text().length() <= MAX_TEXT ? p : new Problem(p.kind(), p.line(), p.text().substring(0, MAX_TEXT)));
    }
    return List.copyOf(out);
  }
}
