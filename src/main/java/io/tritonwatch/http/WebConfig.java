package io.tritonwatch.http;

import io.tritonwatch.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * TLS, client certificates, response headers and basic authentication for the HTTP endpoint,
 * from a file in the layout Prometheus exporters use (exporter-toolkit's web config, as
 * node_exporter reads it). A key the toolkit knows and this endpoint cannot honour is refused
 * with the reason, never ignored: a security setting silently dropped is worse than none.
 * Relative paths are read from the file's folder.
 *
 * @param tls the TLS settings, or null for plain HTTP
 * @param headers response headers every answer carries
 * @param http2 what the file asked for; the endpoint speaks HTTP/1.1 either way
 * @param users user name to bcrypt hash; empty means no authentication
 */
public record WebConfig(TlsSettings tls, Map<String, String> headers, boolean http2, Map<String, String> users) {

  public static final WebConfig NONE = new WebConfig(null, Map.of(), false, Map.of());

  /** The headers the toolkit lets a web config set, and the values it allows (none listed: any). */
  static final Map<String, List<String>> HEADERS = Map.of(
      "Strict-Transport-Security", List.of(),
      "X-Content-Type-Options", List.of("nosniff"),
      "X-Frame-Options", List.of("deny", "sameorigin"),
      "X-XSS-Protection", List.of(),
      "Content-Security-Policy", List.of());

  public WebConfig {
    headers = Map.copyOf(headers);
    users = Map.copyOf(users);
  }

  public boolean tlsOn() {
    return tls != null;
  }

  public static WebConfig load(Path file) throws ConfigException {
    Object root;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (IOException e) {
      throw new ConfigException("web.config_file", "cannot read " + file + ": " + e.getMessage());
    } catch (YAMLException e) {
      throw new ConfigException("web.config_file", file + " is not valid YAML");
    }
    if (root == null) {
      return NONE;
    }
    Map<String, Object> m = mapping(root, "web.config_file", file + ": the top level");
    Path dir = file.toAbsolutePath().getParent();
    TlsSettings tls = null;
    Map<String, String> headers = Map.of();
    boolean http2 = false;
    Map<String, String> users = Map.of();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      switch (e.getKey()) {
        case "tls_server_config" -> tls = TlsSettings.read(mapping(e.getValue(), "tls_server_config", "it"), dir);
        case "http_server_config" -> {
          for (Map.Entry<String, Object> h : mapping(e.getValue(), "http_server_config", "it").entrySet()) {
            switch (h.getKey()) {
              case "headers" -> headers = headers(h.getValue());
              case "http2" -> http2 = bool(h.getValue(), "http_server_config.http2");
              default -> throw unknown("http_server_config." + h.getKey(), file, "headers, http2");
            }
          }
        }
        case "basic_auth_users" -> users = users(e.getValue());
        default -> throw unknown(e.getKey(), file, "tls_server_config, http_server_config, basic_auth_users");
      }
    }
    return new WebConfig(tls, headers, http2, users);
  }

  private static Map<String, String> headers(Object value) throws ConfigException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> h : mapping(value, "http_server_config.headers", "it").entrySet()) {
      String key = "http_server_config.headers." + h.getKey();
      List<String> allowed = HEADERS.get(h.getKey());
      if (allowed == null) {
        throw new ConfigException(key, "this header cannot be set; the ones that can: " + String.join(", ",
            new java.util.TreeSet<>(HEADERS.keySet())));
      }
      String v = String.valueOf(h.getValue());
      if (!allowed.isEmpty() && !allowed.contains(v)) {
        throw new ConfigException(key, "want one of " + allowed + ", got '" + v + "'");
      }
      out.put(h.getKey(), v);
    }
    return out;
  }

  private static Map<String, String> users(Object value) throws ConfigException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> user : mapping(value, "basic_auth_users", "it").entrySet()) {
      String hash = String.valueOf(user.getValue());
      if (!hash.matches("^\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}$")) {
        throw new ConfigException("basic_auth_users." + user.getKey(), "not a bcrypt hash");
      }
      out.put(user.getKey(), hash);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> mapping(Object v, String key, String what) throws ConfigException {
    if (!(v instanceof Map<?, ?> m)) {
      throw new ConfigException(key, what + " must be a mapping");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue());
    }
    return out;
  }

  static boolean bool(Object v, String key) throws ConfigException {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(key, "want true or false, got '" + v + "'");
  }

  static List<String> strings(Object v, String key) throws ConfigException {
    if (!(v instanceof List<?> l)) {
      throw new ConfigException(key, "want a list");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  static ConfigException unknown(String key, Path file, String known) {
    return new ConfigException(key, "unknown key in " + file + " (known here: " + known + ")");
  }

  static String upper(Object v) {
    return String.valueOf(v).strip().toUpperCase(Locale.ROOT);
  }
}
