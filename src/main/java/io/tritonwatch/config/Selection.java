package io.tritonwatch.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which containers are watched. The opt-out label always wins; otherwise a container is
 * watched when a label, its image repository or its name matches.
 */
public record Selection(List<Pattern> images, List<Pattern> names, Map<String, String> labels,
                        String optOutKey, String optOutValue) {

  public boolean selects(String image, String name, Map<String, String> containerLabels) {
    Map<String, String> ls = containerLabels == null ? Map.of() : containerLabels;
    if (optOutKey != null && optOutValue.equals(ls.get(optOutKey))) {
      return false;
    }
    for (Map.Entry<String, String> l : labels.entrySet()) {
      if (l.getValue().equals(ls.get(l.getKey()))) {
        return true;
      }
    }
    String repository = repositoryOf(image == null ? "" : image);
    for (Pattern p : images) {
      if (p.matcher(repository).find()) {
        return true;
      }
    }
    String n = name == null ? "" : name;
    for (Pattern p : names) {
      if (p.matcher(n).find()) {
        return true;
      }
    }
    return false;
  }

  /** "nvcr.io/nvidia/tritonserver:24.07-py3@sha256:..." -> "nvcr.io/nvidia/tritonserver". */
  static String repositoryOf(String image) {
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    if (colon > slash) {
      s = s.substring(0, colon);
    }
    return s;
  }
}
