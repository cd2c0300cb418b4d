package io.tritonwatch.stage;

import java.time.Instant;

/** One model's mutable state inside a start-up; only the tracker's thread touches it. */
final class ModelRecord {
  final String name;
  String version;
  ModelState state = ModelState.LOADING;
  /** The state when the start-up settled (ready or failed); later unloads do not rewrite it. */
  ModelState settled;
  String backend;
  String reason;
  String errorClass;
  Instant loadingSince;
  final Figures figures = new Figures();

  ModelRecord(String name, String version) {
    this.name = name;
    this.version = version;
  }

  ModelSummary summary() {
    return new ModelSummary(name, version, settled != null ? settled : state, state, backend, reason,
        errorClass, figures.snapshot());
  }
}
