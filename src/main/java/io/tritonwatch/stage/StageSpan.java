package io.tritonwatch.stage;

import java.time.Instant;

/** When a stage began and how long it lasted; seconds is null while the stage is current. */
public record StageSpan(Stage stage, Instant start, Double seconds) {}
