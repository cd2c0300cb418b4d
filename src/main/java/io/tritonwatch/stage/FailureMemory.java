package io.tritonwatch.stage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the start-ups in order and keeps, per model, the last failure not cured by a READY. */
final class FailureMemory {

  private FailureMemory() {}

  /**
   * @param firstNumber the number of the first start-up in {@code runs} (older ones were dropped)
   * @param max models kept at most; the oldest failure goes first
   */
  static List<RememberedFailure> of(List<RunSummary> runs, long firstNumber, int max) {
    Map<String, RememberedFailure> kept = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      RunSummary r = runs.get(i);
      for (ModelSummary m : r.models()) {
        if (m.name().equals("unknown") && m.version() == null) {
          continue; // an instance error that named no model: nothing to remember it by
        }
        String key = m.name() + '\u0000' + (m.version() == null ? "" : m.version());
        if (m.state() == ModelState.FAILED || m.currentState() == ModelState.FAILED) {
          kept.remove(key);
          kept.put(key, new RememberedFailure(m.name(), m.version(), m.reason(), m.errorClass(), end(r),
              (int) (firstNumber + i)));
          if (kept.size() > max) {
            kept.remove(kept.keySet().iterator().next());
          }
        } else if (m.state() == ModelState.READY || m.currentState() == ModelState.READY) {
          kept.remove(key);
          cureOtherVersions(kept, m.name(), r);
        }
      }
    }
    return List.copyOf(new ArrayList<>(kept.values()));
  }

  /**
   * Another version of the model READY in a start-up that did not load the failed version (the
   * version policy moved on) serves the model: the failure is cured too.
   */
  private static void cureOtherVersions(Map<String, RememberedFailure> kept, String name, RunSummary r) {
    kept.values().removeIf(f -> f.model().equals(name) && !loaded(r, name, f.version()));
  }

  private static boolean loaded(RunSummary r, String name, String version) {
    for (ModelSummary m : r.models()) {
      if (m.name().equals(name) && java.util.Objects.equals(m.version(), version)) {
        return true;
      }
    }
    return false;
  }

  private static Instant end(RunSummary r) {
    if (r.start() == null || r.startupSeconds() == null) {
      return r.start();
    }
    return r.start().plusMillis(Math.round(r.startupSeconds() * 1000));
  }
}
