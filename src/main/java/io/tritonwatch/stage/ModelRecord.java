package io.tritonwatch.stage;

import java.time.Instant;

/** One model's mutable state inside a start-up; only the tracker's thread touches it. */
final class ModelRecord {
  final String name;
  String version;
  ModelState state = ModelState.LOADING;
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
    return new ModelSummary(name, version, state, backend, reason, errorClass, figures.snapshot());
  }
}
