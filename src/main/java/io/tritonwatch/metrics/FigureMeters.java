package io.tritonwatch.metrics;

import io.tritonwatch.parse.Figure;
import java.util.Map;

/**
 * How each figure of the summary is exported: its meter name and base unit, and the factor
 * that turns the summary's unit (GiB, MiB) into the base unit.
 */
final class FigureMeters {

  record Spec(String name, String baseUnit, double scale) {}

  /** Every exported figure but the per-device pools, which carry a label of their own. */
  static final Map<String, Spec> SPECS = specs();

  private static Map<String, Spec> specs() {
    Map<String, Spec> out = new java.util.HashMap<>();
    for (Figure f : Figure.values()) {
      if (f.metric != null && f != Figure.CUDA_POOL_BYTES) {
        out.put(f.json, new Spec(f.metric, f.unit.baseUnit, f.unit.scale));
      }
    }
    return Map.copyOf(out);
  }

  private FigureMeters() {}
}
