package io.tritonwatch.stage;

import java.util.Map;

/**
 * One model's reading, immutable.
 *
 * @param state as the start-up left it (READY even if the server later shut down)
 * @param currentState as the log says now (UNLOADED after a shutdown)
 */
public record ModelSummary(String name, String version, ModelState state, ModelState currentState,
                           String backend,
                           String reason, String errorClass, Map<String, Object> figures) {}
