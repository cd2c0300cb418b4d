package io.tritonwatch.stage;

import io.tritonwatch.parse.Figure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures a start-up printed, by their JSON names. Numbers keep the unit their name
 * says (GiB, seconds, bytes); text facts (GPU name, repository path) sit beside them.
 */
public final class Figures {

  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, Long> cudaPoolBytes = new TreeMap<>();

  public void put(Figure figure, Object value) {
    if (value != null) {
      values.put(figure.json, value);
    }
  }

  public void putIfAbsent(Figure figure, Object value) {
    if (value != null) {
      values.putIfAbsent(figure.json, value);
    }
  }

  /** A pool the options table states, for a log that starts after the pools' own lines. */
  public void cudaPoolIfAbsent(int device, long bytes) {
    cudaPoolBytes.putIfAbsent(Integer.toString(device), bytes);
  }

  public void cudaPool(int device, long bytes) {
    cudaPoolBytes.put(Integer.toString(device), bytes);
  }

  public Object get(Figure figure) {
    return values.get(figure.json);
  }

  public boolean isEmpty() {
    return values.isEmpty() && cudaPoolBytes.isEmpty();
  }

  /** An immutable copy, with the per-device pools under {@code cudaPoolBytes}. */
  public Map<String, Object> snapshot() {
    if (cudaPoolBytes.isEmpty()) {
      return FrozenMap.copyOf(values);
    }
    Map<String, Object> out = new LinkedHashMap<>(values);
    out.put("cudaPoolBytes", FrozenMap.copyOf(cudaPoolBytes));
    return FrozenMap.copyOf(out);
  }
}
