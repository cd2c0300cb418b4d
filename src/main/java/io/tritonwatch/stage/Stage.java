package io.tritonwatch.stage;

import java.util.Locale;

/** The start-up stages of the seed analysis, in the order a healthy start-up passes them. */
public enum Stage {
  SERVER_INIT, CUDA_CHECK, MEMORY_POOLS, MODEL_LOADING, BACKEND_INIT, WEIGHT_LOADING,
  MEMORY_PROFILING, GRAPH_CAPTURE, ENGINE_READY, MODEL_STATUS, SERVICES_STARTED,
  /** Terminal: the server is serving. */
  READY,
  /** Terminal: the start-up failed. */
  FAILED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean terminal() {
    return this == READY || this == FAILED;
  }
}
