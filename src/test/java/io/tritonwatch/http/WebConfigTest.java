package io.tritonwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web config keys node_exporter accepts: each read, or refused with its key and the reason. */
class WebConfigTest {

  @TempDir
  Path dir;

  private WebConfig load(String yaml) throws Exception {
    Files.writeString(dir.resolve("cert.pem"), "x");
    Files.writeString(dir.resolve("key.pem"), "x");
    Files.writeString(dir.resolve("ca.pem"), "x");
    Files.writeString(dir.resolve("web.yml"), yaml);
    return WebConfig.load(dir.resolve("web.yml"));
  }

  private String refused(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
  }

  private static final String CERT = "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n";

  @Test
  void everyTlsKeyOfTheToolkitIsRead() throws Exception {
    WebConfig w = load(CERT + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n"
        + "  client_allowed_sans: [scraper.example, 10.0.0.1]\n"
        + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]\n"
        + "  min_version: TLS12\n  max_version: TLS13\n  prefer_server_cipher_suites: true\n"
        + "http_server_config:\n  http2: true\n  headers:\n    X-Frame-Options: deny\n"
        + "    Strict-Transport-Security: max-age=31536000\n");
    TlsSettings t = w.tls();
    assertEquals(dir.resolve("cert.pem"), t.certFile());
    assertEquals(TlsSettings.ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT, t.clientAuth());
    assertEquals(dir.resolve("ca.pem"), t.clientCaFile());
    assertEquals(List.of("scraper.example", "10.0.0.1"), t.allowedSans());
    assertEquals(2, t.cipherSuites().size());
    assertEquals("TLSv1.2", t.minVersion());
    assertEquals("TLSv1.3", t.maxVersion());
    assertTrue(t.preferServerCipherSuites());
    assertTrue(w.http2());
    assertEquals(Map.of("X-Frame-Options", "deny", "Strict-Transport-Security", "max-age=31536000"), w.headers());
  }

  @Test
  void theOlderNameOfRequireAnyClientCertIsKept() throws Exception {
    assertEquals(TlsSettings.ClientAuth.REQUIRE_ANY_CLIENT_CERT,
        load(CERT + "  client_auth_type: RequireClientCert\n").tls().clientAuth());
  }

  @Test
  void inlineCertificateAndKeyAreRead() throws Exception {
    TlsSettings t = load("tls_server_config:\n  cert: |\n    -----BEGIN CERTIFICATE-----\n  key: |\n    k\n").tls();
    assertTrue(t.certPem().contains("BEGIN CERTIFICATE"));
    assertEquals(null, t.certFile());
  }

  @Test
  void whatCannotBeHonouredIsRefusedWithTheKeyAndTheReason() {
    assertTrue(refused(CERT + "  curve_preferences: [X25519]\n")
        .startsWith("tls_server_config.curve_preferences: not supported"));
    assertTrue(refused(CERT + "  client_auth_type: VerifyClientCertIfGiven\n")
        .startsWith("tls_server_config.client_ca_file: client_auth_type VerifyClientCertIfGiven verifies"));
    assertTrue(refused(CERT + "  client_auth_type: Sometimes\n").startsWith("tls_server_config.client_auth_type: want one of"));
    assertTrue(refused(CERT + "  client_ca_file: ca.pem\n").startsWith("tls_server_config.client_ca_file: set, but"));
    assertTrue(refused(CERT + "  client_allowed_sans: [a]\n").startsWith("tls_server_config.client_allowed_sans: needs"));
    assertTrue(refused(CERT + "  min_version: SSL3\n").startsWith("tls_server_config.min_version: want TLS10"));
    assertTrue(refused(CERT + "  min_version: TLS13\n  max_version: TLS12\n").contains("above max_version"));
    assertTrue(refused(CERT + "  cert: inline\n").startsWith("tls_server_config.cert_file: give one of"));
    assertTrue(refused("tls_server_config:\n  cert_file: cert.pem\n").startsWith("tls_server_config.key_file: give one"));
    assertTrue(refused(CERT + "  key_file: missing.pem\n").startsWith("tls_server_config.key_file: cannot read"));
    assertTrue(refused(CERT + "  prefer_server_cipher_suites: maybe\n").contains("want true or false"));
    assertTrue(refused(CERT + "  cipher_suite: []\n").startsWith("tls_server_config.cipher_suite: unknown key"));
    assertTrue(refused("http_server_config:\n  headers:\n    Server: tw\n")
        .startsWith("http_server_config.headers.Server: this header cannot be set"));
    assertTrue(refused("http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n")
        .startsWith("http_server_config.headers.X-Content-Type-Options: want one of [nosniff]"));
    assertTrue(refused("http_server_config:\n  keepalive: true\n").startsWith("http_server_config.keepalive: unknown"));
    assertTrue(refused("basic_auth_users:\n  p: plain\n").startsWith("basic_auth_users.p: not a bcrypt hash"));
    assertTrue(refused("rate_limit: {}\n").startsWith("rate_limit: unknown key"));
    assertTrue(refused("- a\n").contains("the top level must be a mapping"));
  }

  @Test
  void anEmptyFileIsNoTlsAndNoAuthentication() throws Exception {
    WebConfig w = load("");
    assertFalse(w.tlsOn());
    assertTrue(w.users().isEmpty());
  }
}
