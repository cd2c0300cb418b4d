package io.tritonwatch.stage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A start-up in the sequence of a restarted container's log. */
public record RunSummary(Outcome outcome, Instant start, long startLine, Double startupSeconds,
                         List<ModelSummary> models, List<Service> services, Map<String, Object> figures) {}
