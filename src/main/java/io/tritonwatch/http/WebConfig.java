package io.tritonwatch.http;

import io.tritonwatch.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * TLS and basic authentication for the HTTP endpoint, from a file in the layout Prometheus
 * exporters use (exporter-toolkit's web config):
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt     # PEM
 *   key_file: server.key      # PEM, PKCS#8 (openssl's default)
 * basic_auth_users:
 *   prometheus: $2y$10$...    # bcrypt (htpasswd -nBC 10 prometheus)
 * </pre>
 * Relative paths are read from the file's folder.
 *
 * @param users user name to bcrypt hash; empty means no authentication
 */
public record WebConfig(Path certFile, Path keyFile, Map<String, String> users) {

  public static final WebConfig NONE = new WebConfig(null, null, Map.of());

  public boolean tls() {
    return certFile != null;
  }

  @SuppressWarnings("unchecked")
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
    if (!(root instanceof Map)) {
      throw new ConfigException("web.config_file", file + ": the top level must be a mapping");
    }
    Map<String, Object> m = (Map<String, Object>) root;
    Path dir = file.toAbsolutePath().getParent();
    Path cert = null;
    Path key = null;
    Map<String, String> users = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      switch (e.getKey()) {
        case "tls_server_config" -> {
          if (!(e.getValue() instanceof Map<?, ?> tls)) {
            throw new ConfigException("tls_server_config", "must be a mapping with cert_file and key_file");
          }
          for (Map.Entry<?, ?> t : tls.entrySet()) {
            String k = String.valueOf(t.getKey());
            Path p = dir.resolve(String.valueOf(t.getValue()));
            switch (k) {
              case "cert_file" -> cert = p;
              case "key_file" -> key = p;
              default -> throw new ConfigException("tls_server_config." + k, "unknown key in " + file);
            }
          }
          if (cert == null || key == null) {
            throw new ConfigException("tls_server_config", "needs both cert_file and key_file");
          }
          for (Map.Entry<String, Path> need : Map.of("tls_server_config.cert_file", cert,
              "tls_server_config.key_file", key).entrySet()) {
            if (!Files.isReadable(need.getValue())) {
              throw new ConfigException(need.getKey(), "cannot read " + need.getValue());
            }
          }
        }
        case "basic_auth_users" -> {
          if (!(e.getValue() instanceof Map<?, ?> u)) {
            throw new ConfigException("basic_auth_users", "must map user names to bcrypt hashes");
          }
          for (Map.Entry<?, ?> user : u.entrySet()) {
            String hash = String.valueOf(user.getValue());
            if (!hash.matches("^\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}$")) {
              throw new ConfigException("basic_auth_users." + user.getKey(), "not a bcrypt hash");
            }
            users.put(String.valueOf(user.getKey()), hash);
          }
        }
        default -> throw new ConfigException(e.getKey(), "unknown key in " + file);
      }
    }
    return new WebConfig(cert, key, Map.copyOf(users));
  }
}
