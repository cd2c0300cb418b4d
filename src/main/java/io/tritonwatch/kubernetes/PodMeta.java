package io.tritonwatch.kubernetes;

import java.time.Instant;
import java.util.Map;

/**
 * What the API server says of one pod on this node: its names, labels and annotations (for
 * selection), and per container its image and how it last ended.
 */
record PodMeta(String namespace, String name, String uid, Map<String, String> labels, Map<String, String> annotations,
               Map<String, Container> containers) {

  /**
   * @param restartCount the kubelet's restart count: the attempt running now
   * @param running whether the current attempt runs
   * @param exitCode the current attempt's exit code once it ended, else null
   * @param lastExitCode how the attempt before it ended (the pod's lastState), or null
   * @param lastReason why it ended ({@code OOMKilled}, {@code Error}, {@code Completed}), or null
   */
  record Container(String image, int restartCount, boolean running, Long exitCode, String reason,
                   Long lastExitCode, String lastReason, Instant lastFinishedAt) {}

  /** Labels and annotations together, as selection reads them (an annotation wins a tie). */
  Map<String, String> selectable() {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.putAll(annotations);
    return all;
  }
}
