package io.tritonwatch.stage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An immutable reading of the latest start-up, plus every start-up in order in {@code runs}.
 * This is what crosses from the tracker to the report, the metrics and {@code /status}.
 */
public record StartupSummary(
    Outcome outcome,
    String program,
    String tritonVersion,
    Stage stage,
    Instant stageSince,
    Instant start,
    Instant readyAt,
    Double startupSeconds,
    boolean shuttingDown,
    List<ModelSummary> models,
    List<Service> services,
    Map<String, Object> figures,
    List<StageSpan> stages,
    List<Problem> errors,
    List<Problem> warnings,
    List<RunSummary> runs,
    List<RememberedFailure> rememberedFailures,
    long linesRead,
    Instant lastLineTime) {

  /** True while the server is up: the start-up succeeded and no shutdown has begun. */
  public boolean serving() {
    return (outcome == Outcome.READY || outcome == Outcome.PARTIAL) && !shuttingDown;
  }
}
