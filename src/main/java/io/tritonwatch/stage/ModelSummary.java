package io.tritonwatch.stage;

import java.util.Map;

/** One model's reading, immutable. */
public record ModelSummary(String name, String version, ModelState state, String backend,
                           String reason, String errorClass, Map<String, Object> figures) {}
