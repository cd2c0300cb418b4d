package io.tritonwatch.stage;

import java.time.Instant;
import java.util.List;

/** A start-up in the sequence of a restarted container's log. */
public record RunSummary(Outcome outcome, Instant start, long startLine, Double startupSeconds,
                         List<ModelSummary> models) {}
