package io.tritonwatch.report;

import io.tritonwatch.parse.Figure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the GPU memory of a start-up went, as the seed analysis reads vLLM's profile line:
 * weights, activation peak, non-torch memory and the KV cache share the usable memory (total
 * times gpu_memory_utilization); CUDA graphs are captured after it is shared out, so they are
 * shown beyond it.
 *
 * @param usableGiB what the engine may use: its own "available"/"can use" figure, or total
 *     times utilisation
 * @param totalGiB the device's total, or null when the log does not state it
 * @param parts the shares in the order the engine takes them
 * @param beyond what was taken after the budget was shared out (graph capture), or empty
 */
public record MemoryBudget(double usableGiB, Double totalGiB, List<Part> parts, List<Part> beyond) {

  /** One share of the budget. */
  public record Part(String name, double gib) {}

  private static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;

  /** @return the budget of a start-up's figures, or null when they do not state one */
  public static MemoryBudget of(Map<String, Object> figures) {
    Double total = number(figures, Figure.TOTAL_GPU_MEMORY_GIB);
    Double utilisation = number(figures, Figure.GPU_MEMORY_UTILIZATION);
    Double usable = number(figures, Figure.AVAILABLE_GPU_MEMORY_GIB);
    if (usable == null && total != null && utilisation != null) {
      usable = total * utilisation;
    }
    if (usable == null) {
      usable = number(figures, Figure.REQUESTED_GPU_MEMORY_GIB);
    }
    if (usable == null || usable <= 0) {
      return null;
    }
    List<Part> parts = new ArrayList<>(4);
    add(parts, "weights", number(figures, Figure.WEIGHTS_GIB));
    add(parts, "activation peak", number(figures, Figure.ACTIVATION_PEAK_GIB));
    add(parts, "non-torch", number(figures, Figure.NON_TORCH_GIB));
    Double kv = number(figures, Figure.KV_CACHE_GIB);
    Double kvBytes = number(figures, Figure.KV_CACHE_BYTES);
    add(parts, "KV cache", kv != null ? kv : kvBytes == null ? null : kvBytes / BYTES_PER_GIB);
    // One share alone is no budget: it says nothing about where the rest went.
    if (parts.size() < 2) {
      return null;
    }
    List<Part> beyond = new ArrayList<>(1);
    add(beyond, "graph capture", number(figures, Figure.GRAPH_CAPTURE_GIB));
    return new MemoryBudget(usable, total, List.copyOf(parts), List.copyOf(beyond));
  }

  public double sharedGiB() {
    double sum = 0;
    for (Part p : parts) {
      sum += p.gib();
    }
    return sum;
  }

  /** The length of a drawn bar: the device, or whatever the shares add up to if more. */
  public double scaleGiB() {
    double all = sharedGiB();
    for (Part p : beyond) {
      all += p.gib();
    }
    return Math.max(Math.max(all, usableGiB), totalGiB == null ? 0 : totalGiB);
  }

  /** "14.40 GiB usable of 16.00 GiB: weights 2.32 GiB, ... = 14.39 GiB; graph capture 0.22 GiB beyond it". */
  public String text() {
    StringBuilder b = new StringBuilder(160);
    b.append(gib(usableGiB)).append(" usable");
    if (totalGiB != null) {
      b.append(" of ").append(gib(totalGiB));
    }
    b.append(": ");
    for (int i = 0; i < parts.size(); i++) {
      b.append(i == 0 ? "" : " + ").append(parts.get(i).name()).append(' ').append(gib(parts.get(i).gib()));
    }
    b.append(" = ").append(gib(sharedGiB()));
    for (Part p : beyond) {
      b.append("; ").append(p.name()).append(' ').append(gib(p.gib())).append(" beyond it");
    }
    return b.toString();
  }

  static String gib(double v) {
    return String.format(Locale.ROOT, "%.2f GiB", v);
  }

  private static void add(List<Part> parts, String name, Double gib) {
    if (gib != null && gib >= 0) {
      parts.add(new Part(name, gib));
    }
  }

  private static Double number(Map<String, Object> figures, Figure f) {
    return figures.get(f.json) instanceof Number n ? n.doubleValue() : null;
  }
}
