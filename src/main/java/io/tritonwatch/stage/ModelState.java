package io.tritonwatch.stage;

/** A model's life within one start-up. */
public enum ModelState {
  LOADING, READY, FAILED, UNAVAILABLE, UNLOADING, UNLOADED
}
