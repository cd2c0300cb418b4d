package io.tritonwatch.kubernetes;

import java.nio.file.Path;

/**
 * Where the kubelet keeps a container's log on its node:
 * {@code <root>/<namespace>_<pod>_<uid>/<container>/<attempt>.log}, rotated files beside it as
 * {@code <attempt>.log.<YYYYMMDD-HHMMSS>} and, compressed, with {@code .gz}. A static pod's
 * directory carries its config hash in place of the API's uid.
 *
 * @param attempt the container's restart count when the file was made
 */
record PodLogPath(String namespace, String pod, String uid, String container, int attempt) {

  /** The container across its attempts: one watched container. */
  String key() {
    return uid + "/" + container;
  }

  /**
   * A log file's place, or null if the names are not the kubelet's. Namespaces and pod names are
   * DNS labels (no '_'), so the directory's first and last '_' divide it.
   */
  static PodLogPath of(String podDir, String container, String file) {
    int first = podDir.indexOf('_');
    int last = podDir.lastIndexOf('_');
    if (first <= 0 || last <= first + 1 || last == podDir.length() - 1 || !file.endsWith(".log")) {
      return null;
    }
    String n = file.substring(0, file.length() - ".log".length());
    if (n.isEmpty() || n.length() > 9 || !n.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return new PodLogPath(podDir.substring(0, first), podDir.substring(first + 1, last), podDir.substring(last + 1),
        container, Integer.parseInt(n));
  }

  Path file(Path root) {
    return root.resolve(namespace + "_" + pod + "_" + uid).resolve(container).resolve(attempt + ".log");
  }
}
