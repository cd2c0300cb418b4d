package io.tritonwatch.http;

import io.tritonwatch.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code tls_server_config} of a web config, with the names and values of
 * exporter-toolkit: certificate and key as files (re-read when they change) or inline, client
 * certificates, versions, cipher suites. Curve preferences are refused: Java 17 offers no
 * per-server choice of groups.
 *
 * @param certFile PEM certificate chain, or null when {@code certPem} is given
 * @param certPem the chain inline ({@code cert}), or null
 * @param clientCaFile PEM certificates client certificates are verified against, or null
 * @param clientCaPem the same inline ({@code client_ca}), or null
 * @param allowedSans a client certificate must name one of these (empty: any)
 * @param cipherSuites TLS 1.2 suites to offer (empty: Java's defaults); TLS 1.3 suites are
 *     always offered, as Go does
 * @param minVersion e.g. {@code TLSv1.2}; null for Java's default
 * @param maxVersion e.g. {@code TLSv1.3}; null for Java's default
 */
public record TlsSettings(Path certFile, Path keyFile, String certPem, String keyPem, ClientAuth clientAuth,
                          Path clientCaFile, String clientCaPem, List<String> allowedSans, List<String> cipherSuites,
                          String minVersion, String maxVersion, boolean preferServerCipherSuites) {

  /** exporter-toolkit's client_auth_type values. */
  public enum ClientAuth {
    NO_CLIENT_CERT("NoClientCert", false, false, false),
    REQUEST_CLIENT_CERT("RequestClientCert", true, false, false),
    REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert", true, true, false),
    VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven", true, false, true),
    REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert", true, true, true);

    final String name;
    final boolean asks;
    final boolean requires;
    final boolean verifies;

    ClientAuth(String name, boolean asks, boolean requires, boolean verifies) {
      this.name = name;
      this.asks = asks;
      this.requires = requires;
      this.verifies = verifies;
    }

    static ClientAuth of(String s) throws ConfigException {
      if (s.equals("RequireClientCert")) {
        return REQUIRE_ANY_CLIENT_CERT; // the toolkit's older name
      }
      for (ClientAuth a : values()) {
        if (a.name.equals(s)) {
          return a;
        }
      }
      List<String> names = new ArrayList<>();
      for (ClientAuth a : values()) {
        names.add(a.name);
      }
      throw new ConfigException("tls_server_config.client_auth_type", "want one of " + names + ", got '" + s + "'");
    }
  }

  private static final Map<String, String> VERSIONS = Map.of(
      "TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");
  static final List<String> ORDER = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  public TlsSettings {
    allowedSans = List.copyOf(allowedSans);
    cipherSuites = List.copyOf(cipherSuites);
  }

  static TlsSettings read(Map<String, Object> m, Path dir) throws ConfigException {
    Path cert = null;
    Path key = null;
    String certPem = null;
    String keyPem = null;
    ClientAuth auth = ClientAuth.NO_CLIENT_CERT;
    Path ca = null;
    String caPem = null;
    List<String> sans = List.of();
    List<String> suites = List.of();
    String min = null;
    String max = null;
    boolean prefer = false;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String k = "tls_server_config." + e.getKey();
      Object v = e.getValue();
      switch (e.getKey()) {
        case "cert_file" -> cert = readable(dir.resolve(String.valueOf(v)), k);
        case "key_file" -> key = readable(dir.resolve(String.valueOf(v)), k);
        case "cert" -> certPem = String.valueOf(v);
        case "key" -> keyPem = String.valueOf(v);
        case "client_auth_type" -> auth = ClientAuth.of(String.valueOf(v).strip());
        case "client_ca_file" -> ca = readable(dir.resolve(String.valueOf(v)), k);
        case "client_ca" -> caPem = String.valueOf(v);
        case "client_allowed_sans" -> sans = WebConfig.strings(v, k);
        case "cipher_suites" -> suites = WebConfig.strings(v, k);
        case "min_version" -> min = version(v, k);
        case "max_version" -> max = version(v, k);
        case "prefer_server_cipher_suites" -> prefer = WebConfig.bool(v, k);
        case "curve_preferences" -> throw new ConfigException(k,
            "not supported: Java 17 chooses key-exchange groups for the whole process; remove the key, or start "
                + "the JVM with -Djdk.tls.namedGroups=x25519,secp256r1,...");
        default -> throw new ConfigException(k, "unknown key (known here: cert_file, key_file, cert, key, "
            + "client_auth_type, client_ca_file, client_ca, client_allowed_sans, cipher_suites, min_version, "
            + "max_version, prefer_server_cipher_suites)");
      }
    }
    if ((cert == null) == (certPem == null)) {
      throw new ConfigException("tls_server_config.cert_file", "give one of cert_file and cert");
    }
    if ((key == null) == (keyPem == null)) {
      throw new ConfigException("tls_server_config.key_file", "give one of key_file and key");
    }
    if (auth.verifies && ca == null && caPem == null) {
      throw new ConfigException("tls_server_config.client_ca_file", "client_auth_type " + auth.name
          + " verifies client certificates: it needs client_ca_file (or client_ca)");
    }
    if (!auth.verifies && (ca != null || caPem != null)) {
      throw new ConfigException("tls_server_config.client_ca_file", "set, but client_auth_type " + auth.name
          + " verifies no client certificate; use VerifyClientCertIfGiven or RequireAndVerifyClientCert");
    }
    if (!sans.isEmpty() && !auth.requires) {
      throw new ConfigException("tls_server_config.client_allowed_sans", "needs a client_auth_type that requires a "
          + "certificate (RequireAnyClientCert or RequireAndVerifyClientCert): with " + auth.name
          + " a client without one would pass");
    }
    if (min != null && max != null && ORDER.indexOf(min) > ORDER.indexOf(max)) {
      throw new ConfigException("tls_server_config.min_version", "is above max_version");
    }
    return new TlsSettings(cert, key, certPem, keyPem, auth, ca, caPem, sans, suites, min, max, prefer);
  }

  private static String version(Object v, String key) throws ConfigException {
    String java = VERSIONS.get(WebConfig.upper(v));
    if (java == null) {
      throw new ConfigException(key, "want TLS10, TLS11, TLS12 or TLS13, got '" + v + "'");
    }
    return java;
  }

  private static Path readable(Path p, String key) throws ConfigException {
    if (!Files.isReadable(p)) {
      throw new ConfigException(key, "cannot read " + p);
    }
    return p;
  }
}
