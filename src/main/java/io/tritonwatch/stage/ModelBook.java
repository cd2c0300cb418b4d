package io.tritonwatch.stage;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models one start-up names, by name and version, in the order they appear. Triton does
 * not always say the version ("successfully loaded 'x'" since 2.4x), so a lookup by name finds
 * the version being loaded. Bounded: beyond {@code max} names are counted, not kept.
 */
final class ModelBook {

  private final Map<String, ModelRecord> byKey = new LinkedHashMap<>();
  private final int max;
  private final Counts counts;

  ModelBook(int max, Counts counts) {
    this.max = max;
    this.counts = counts;
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  int size() {
    return byKey.size();
  }

  Collection<ModelRecord> all() {
    return byKey.values();
  }

  boolean any(ModelState state) {
    for (ModelRecord m : byKey.values()) {
      if (m.state == state) {
        return true;
      }
    }
    return false;
  }

  /** A model that had failed by the time the start-up settled; later failures are the run's life. */
  boolean anyFailedAtSettle() {
    for (ModelRecord m : byKey.values()) {
      if ((m.settled != null ? m.settled : m.state) == ModelState.FAILED) {
        return true;
      }
    }
    return false;
  }

  boolean anyVersioned() {
    for (ModelRecord m : byKey.values()) {
      if (m.version != null) {
        return true;
      }
    }
    return false;
  }

  boolean anyFailedNamed(String name) {
    for (ModelRecord m : byKey.values()) {
      if (m.name.equals(name) && m.state == ModelState.FAILED) {
        return true;
      }
    }
    return false;
  }

  /** The latest model still loading: the one whose engine prints figures now. */
  ModelRecord lastLoading() {
    ModelRecord found = null;
    for (ModelRecord m : byKey.values()) {
      if (m.state == ModelState.LOADING) {
        found = m;
      }
    }
    return found;
  }

  /** Instance names are the model name plus "_N" (and "_N_M"); the longest match wins. */
  ModelRecord ofInstance(String instance) {
    ModelRecord best = null;
    for (ModelRecord m : byKey.values()) {
      if (instance.startsWith(m.name + "_") && (best == null || m.name.length() > best.name.length())) {
        best = m;
      }
    }
    return best;
  }

  void settle() {
    for (ModelRecord m : byKey.values()) {
      m.settled = m.state;
    }
  }

  /**
   * @param create make the record when the log names a model for the first time
   * @param now when the model was first named (its loading start)
   */
  ModelRecord find(String name, String version, boolean create, Instant now) {
    String key = name + ':' + (version == null ? "" : version);
    ModelRecord m = byKey.get(key);
    if (m != null) {
      return m;
    }
    ModelRecord byName = null;
    for (ModelRecord r : byKey.values()) {
      if (r.name.equals(name) && (version == null || r.version == null)) {
        if (byName == null || r.state == ModelState.LOADING) {
          byName = r;
        }
      }
    }
    if (byName != null) {
      if (byName.version == null && version != null) {
        byKey.remove(byName.name + ':');
        byName.version = version;
        byKey.put(key, byName);
      }
      return byName;
    }
    if (!create) {
      return null;
    }
    if (byKey.size() >= max) {
      // A log that names endless models must not grow memory or label sets without bound.
      counts.modelOverLimit();
      return null;
    }
    m = new ModelRecord(name, version);
    m.loadingSince = now;
    byKey.put(key, m);
    return m;
  }
}
