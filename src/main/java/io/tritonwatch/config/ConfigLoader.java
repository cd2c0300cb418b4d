package io.tritonwatch.config;

import io.tritonwatch.stage.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the configuration from, in rising precedence: built-in defaults, the YAML file,
 * environment variables, command-line flags. Every key has all three spellings: {@code
 * docker.host} in YAML, {@code TRITONWATCH_DOCKER_HOST} in the environment, {@code
 * --docker-host} as a flag. Unknown keys and bad values are rejected with the key's name.
 */
public final class ConfigLoader {

  /**
   * Every key, in the order of the shipped file. Their defaults are not written here: they are
   * the values of {@code config/tritonwatch.yml}, which the jar carries as {@link #SHIPPED}, so
   * the documented defaults and the ones the daemon runs with cannot drift apart. A key the
   * file leaves commented out (a stage's own stuck threshold) defaults to empty.
   */
  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  /** The shipped configuration file inside the jar. */
  static final String SHIPPED = "/defaults/tritonwatch.yml";

  static {
    for (String key : List.of("listen", "source", "docker.host", "docker.reconnect_min_seconds",
        "docker.reconnect_max_seconds", "docker.log_files", "kubernetes.log_root", "kubernetes.max_files",
        "kubernetes.api", "kubernetes.api_url", "kubernetes.node_name", "select.images", "select.names", "select.labels", "select.opt_out_label",
        "stuck.default_seconds")) {
      DEFAULTS.put(key, "");
    }
    for (Stage s : Stage.values()) {
      if (!s.terminal()) {
        DEFAULTS.put("stuck." + s.id() + "_seconds", "");
      }
    }
    for (String key : List.of("limits.max_models_per_container", "web.config_file", "web.max_requests_per_second",
        "health.file", "history.file", "history.keep_per_server", "history.min_startups", "history.slow_factor",
        "history.stuck_factor", "history.min_stage_seconds", "log.format", "log.level")) {
      DEFAULTS.put(key, "");
    }
    try (InputStream in = ConfigLoader.class.getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException(SHIPPED + " is missing from the jar");
      }
      DEFAULTS.putAll(readYaml(new InputStreamReader(in, StandardCharsets.UTF_8), "the built-in " + SHIPPED));
    } catch (IOException | ConfigException e) {
      throw new IllegalStateException("the built-in defaults " + SHIPPED + ": " + e.getMessage(), e);
    }
  }

  /** The shortest duration any key takes: 10 ms. */
  static final double MIN_SECONDS = 0.01;

  private ConfigLoader() {}

  /**
   * @param file the YAML file, or null for none
   * @param env the process environment
   * @param flags flag values by key ({@code docker.host}), already matched to keys
   */
  public static WatchConfig load(Path file, Map<String, String> env, Map<String, String> flags)
      throws ConfigException {
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    if (file != null) {
      values.putAll(readYaml(file));
    }
    String dockerHost = env.get("DOCKER_HOST");
    if (dockerHost != null && !dockerHost.isBlank()) {
      values.put("docker.host", dockerHost);
    }
    for (String key : DEFAULTS.keySet()) {
      String v = env.get(envName(key));
      if (v != null) {
        values.put(key, v);
      }
    }
    for (Map.Entry<String, String> f : flags.entrySet()) {
      if (!DEFAULTS.containsKey(f.getKey())) {
        throw new ConfigException("--" + flagName(f.getKey()), "unknown flag");
      }
      values.put(f.getKey(), f.getValue());
    }
    return build(values);
  }

  public static String envName(String key) {
    return "TRITONWATCH_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  public static String flagName(String key) {
    return key.replace('.', '-').replace('_', '-');
  }

  /** The key a flag name stands for, or null. */
  public static String keyOfFlag(String flag) {
    for (String key : DEFAULTS.keySet()) {
      if (flagName(key).equals(flag)) {
        return key;
      }
    }
    return null;
  }

  public static Map<String, String> defaults() {
    return Map.copyOf(DEFAULTS);
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> readYaml(Path file) throws ConfigException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return readYaml(r, "config file " + file);
    } catch (IOException e) {
      throw new ConfigException("config file " + file + ": cannot read: " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> readYaml(Reader r, String what) throws ConfigException {
    Object root;
    LoaderOptions options = new LoaderOptions();
    // A key given twice is a slip whose second value would silently win.
    options.setAllowDuplicateKeys(false);
    try {
      root = new Yaml(new SafeConstructor(options)).load(r);
    } catch (MarkedYAMLException e) {
      // "found duplicate key listen" at line 12: the problem and where, not the parser's context.
      throw new ConfigException(what + ": not valid YAML: " + e.getProblem()
          + (e.getProblemMark() == null ? "" : " (line " + (e.getProblemMark().getLine() + 1) + ")"));
    } catch (YAMLException e) {
      throw new ConfigException(what + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, String> flat = new TreeMap<>();
    if (root == null) {
      return flat;
    }
    if (!(root instanceof Map)) {
      throw new ConfigException(what + ": the top level must be a mapping of keys");
    }
    flatten("", (Map<String, Object>) root, flat);
    for (String key : flat.keySet()) {
      if (!DEFAULTS.containsKey(key)) {
        throw new ConfigException(key, "unknown key in " + what);
      }
    }
    return flat;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> map, Map<String, String> out)
      throws ConfigException {
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        if (key.equals("select.labels")) {
          List<String> pairs = new ArrayList<>();
          for (Map.Entry<?, ?> l : m.entrySet()) {
            pairs.add(l.getKey() + "=" + l.getValue());
          }
          out.put(key, String.join("\n", pairs));
        } else {
          flatten(key + ".", (Map<String, Object>) m, out);
        }
      } else if (v instanceof List<?> l) {
        List<String> items = new ArrayList<>();
        for (Object o : l) {
          items.add(String.valueOf(o));
        }
        out.put(key, String.join("\n", items));
      } else {
        out.put(key, v == null ? "" : String.valueOf(v));
      }
    }
  }

  static WatchConfig build(Map<String, String> v) throws ConfigException {
    String listen = v.get("listen").strip();
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException("listen", "want HOST:PORT, got '" + listen + "'");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = intIn("listen", listen.substring(colon + 1), 0, 65535);
    URI docker;
    try {
      docker = URI.create(v.get("docker.host").strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("docker.host", "not a URI: " + e.getMessage());
    }
    if (docker.getScheme() == null || !List.of("unix", "tcp", "http", "https").contains(docker.getScheme())) {
      throw new ConfigException("docker.host", "want unix:///path or tcp://host:port, got '" + docker + "'");
    }
    Duration min = seconds("docker.reconnect_min_seconds", v.get("docker.reconnect_min_seconds"));
    Duration max = seconds("docker.reconnect_max_seconds", v.get("docker.reconnect_max_seconds"));
    if (max.compareTo(min) < 0) {
      throw new ConfigException("docker.reconnect_max_seconds", "must not be below docker.reconnect_min_seconds");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : list(v.get("select.labels"))) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("select.labels", "want KEY=VALUE, got '" + pair + "'");
      }
      labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    String optOut = v.get("select.opt_out_label").strip();
    String optKey = null;
    String optValue = null;
    if (!optOut.isEmpty()) {
      int eq = optOut.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("select.opt_out_label", "want KEY=VALUE, got '" + optOut + "'");
      }
      optKey = optOut.substring(0, eq).strip();
      optValue = optOut.substring(eq + 1).strip();
    }
    Selection selection = new Selection(patterns("select.images", v.get("select.images")),
        patterns("select.names", v.get("select.names")), labels, optKey, optValue);
    Map<Stage, Duration> stuck = new EnumMap<>(Stage.class);
    Duration dflt = seconds("stuck.default_seconds", v.get("stuck.default_seconds"));
    for (Stage s : Stage.values()) {
      if (s.terminal()) {
        continue;
      }
      String key = "stuck." + s.id() + "_seconds";
      String raw = v.get(key);
      stuck.put(s, raw == null || raw.isBlank() ? dflt : seconds(key, raw));
    }
    int maxModels = intIn("limits.max_models_per_container", v.get("limits.max_models_per_container"), 1, 100_000);
    String format = v.get("log.format").strip().toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw new ConfigException("log.format", "want text or json, got '" + format + "'");
    }
    String level = v.get("log.level").strip().toLowerCase(Locale.ROOT);
    if (!List.of("trace", "debug", "info", "warn", "error").contains(level)) {
      throw new ConfigException("log.level", "want trace, debug, info, warn or error, got '" + level + "'");
    }
    String web = v.get("web.config_file").strip();
    String health = v.get("health.file").strip();
    String logFiles = v.get("docker.log_files").strip().toLowerCase(Locale.ROOT);
    if (!logFiles.equals("auto") && !logFiles.equals("off")) {
      throw new ConfigException("docker.log_files", "want auto or off, got '" + logFiles + "'");
    }
    return new WatchConfig(host, port, docker, min, max, selection, stuck, maxModels, format, level,
        web.isEmpty() ? null : java.nio.file.Path.of(web),
        seconds("web.max_requests_per_second", v.get("web.max_requests_per_second")).toNanos() / 1e9,
        logFiles.equals("auto"), health.isEmpty() ? null : java.nio.file.Path.of(health), ConfigSections.history(v),
        ConfigSections.kubernetes(v));
  }

  /**
   * The items of a list value. A YAML list arrives one item a line; an environment variable or
   * a flag separates items by commas, except a comma inside braces, which belongs to a regular
   * expression's repetition ({@code x{1,2}}).
   */
  static List<String> list(String raw) {
    List<String> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    List<String> items = new ArrayList<>();
    if (raw.indexOf('\n') >= 0) {
      items.addAll(List.of(raw.split("\n")));
    } else {
      int depth = 0;
      int from = 0;
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '\\') {
          i++; // an escaped character is no separator
        } else if (c == '{') {
          depth++;
        } else if (c == '}' && depth > 0) {
          depth--;
        } else if (c == ',' && depth == 0) {
          items.add(raw.substring(from, i));
          from = i + 1;
        }
      }
      items.add(raw.substring(from));
    }
    for (String s : items) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  private static List<Pattern> patterns(String key, String raw) throws ConfigException {
    List<Pattern> out = new ArrayList<>();
    for (String s : list(raw)) {
      try {
        out.add(Pattern.compile(s));
      } catch (PatternSyntaxException e) {
        throw new ConfigException(key, "bad pattern '" + s + "': " + e.getDescription());
      }
    }
    return out;
  }

  static int intIn(String key, String raw, int lo, int hi) throws ConfigException {
    try {
      int n = Integer.parseInt(raw.strip());
      if (n < lo || n > hi) {
        throw new ConfigException(key, "must be between " + lo + " and " + hi + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "not a whole number: '" + raw + "'");
    }
  }

  static Duration seconds(String key, String raw) throws ConfigException {
    try {
      double d = Double.parseDouble(raw.strip());
      if (!(d > 0) || d > 1e9) {
        throw new ConfigException(key, "must be a positive number of seconds, got " + raw);
      }
      if (d < MIN_SECONDS) {
        // A reconnect back-off of a picosecond is a busy loop against an absent engine.
        throw new ConfigException(key, "must be at least " + MIN_SECONDS + " s, got " + raw);
      }
      return Duration.ofNanos((long) (d * 1e9));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "not a number of seconds: '" + raw + "'");
    }
  }
}
