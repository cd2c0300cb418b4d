package io.tritonwatch.config;

import java.util.Locale;
import java.util.Map;

/** The history and kubernetes sections of the configuration, read and checked. */
final class ConfigSections {

  private ConfigSections() {}

  static WatchConfig.HistorySettings history(Map<String, String> v) throws ConfigException {
    String file = v.get("history.file").strip();
    int keep = ConfigLoader.intIn("history.keep_per_server", v.get("history.keep_per_server"), 1, 100_000);
    int min = ConfigLoader.intIn("history.min_startups", v.get("history.min_startups"), 1, 100_000);
    double slow = factor("history.slow_factor", v.get("history.slow_factor"));
    double stuck = factor("history.stuck_factor", v.get("history.stuck_factor"));
    if (stuck < slow) {
      throw new ConfigException("history.stuck_factor", "must be at least history.slow_factor (" + slow + ")");
    }
    if (min > keep) {
      throw new ConfigException("history.min_startups", "must be at most history.keep_per_server (" + keep + ")");
    }
    double minStage = ConfigLoader.seconds("history.min_stage_seconds", v.get("history.min_stage_seconds")).toMillis() / 1000.0;
    return new WatchConfig.HistorySettings(file.isEmpty() ? null : java.nio.file.Path.of(file), keep, min, slow, stuck,
        minStage);
  }
  static WatchConfig.KubernetesSettings kubernetes(Map<String, String> v) throws ConfigException {
    String source = v.get("source").strip().toLowerCase(Locale.ROOT);
    if (!source.equals("docker") && !source.equals("kubernetes")) {
      throw new ConfigException("source", "want docker or kubernetes, got '" + source + "'");
    }
    String root = v.get("kubernetes.log_root").strip();
    if (root.isEmpty()) {
      throw new ConfigException("kubernetes.log_root", "must name the directory of the node's pod logs");
    }
    String api = v.get("kubernetes.api").strip().toLowerCase(Locale.ROOT);
    if (!api.equals("auto") && !api.equals("off")) {
      throw new ConfigException("kubernetes.api", "want auto or off, got '" + api + "'");
    }
    String url = v.get("kubernetes.api_url").strip();
    if (!url.isEmpty() && !url.startsWith("http://") && !url.startsWith("https://")) {
      throw new ConfigException("kubernetes.api_url", "want http://host:port or https://host:port, got '" + url + "'");
    }
    return new WatchConfig.KubernetesSettings(source.equals("kubernetes"), java.nio.file.Path.of(root),
        ConfigLoader.intIn("kubernetes.max_files", v.get("kubernetes.max_files"), 1, 1000), api.equals("auto"),
        v.get("kubernetes.node_name").strip(), url);
  }
  static double factor(String key, String value) throws ConfigException {
    try {
      double f = Double.parseDouble(value.strip());
      if (f >= 1 && f <= 1000) {
        return f;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new ConfigException(key, "want a factor from 1 to 1000, got '" + value + "'");
  }}
