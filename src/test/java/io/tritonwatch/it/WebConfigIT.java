package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web config keys node_exporter accepts, against the running daemon and openssl's
 * certificates: a renewed certificate served without a restart, client certificates required
 * and verified, allowed SANs, TLS versions and response headers.
 */
class WebConfigIT {

  @TempDir
  Path dir;

  private static final String NO_DOCKER = "unix:///tmp/tritonwatch-no-such.sock";

  /** A self-signed server certificate for 127.0.0.1 whose subject is CN=name. */
  private void serverCert(String name, Path cert, Path key) throws Exception {
    Docker.must("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
        "-out", cert.toString(), "-subj", "/CN=" + name, "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2");
  }

  /** A certificate signed by the CA in dir (made on first use), with this SAN. */
  private void clientCert(String name, String san) throws Exception {
    if (!Files.exists(dir.resolve("ca.pem"))) {
      Docker.must("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("ca.key").toString(),
          "-out", dir.resolve("ca.pem").toString(), "-subj", "/CN=test-ca", "-days", "2");
    }
    Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=DNS:" + san + "\n");
    Docker.must("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
        "-out", dir.resolve(name + ".csr").toString(), "-subj", "/CN=" + name);
    Docker.must("openssl", "x509", "-req", "-in", dir.resolve(name + ".csr").toString(), "-CA", dir.resolve("ca.pem").toString(),
        "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", dir.resolve(name + ".pem").toString(),
        "-days", "2", "-extfile", dir.resolve(name + ".ext").toString());
  }

  /** A client that trusts any server (the tests read the server's certificate themselves), with an optional certificate. */
  private SSLContext client(String certName) throws Exception {
    TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] c, String a) { }

      @Override
      public void checkServerTrusted(X509Certificate[] c, String a) { }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    KeyManagerFactory kmf = null;
    if (certName != null) {
      String pem = Files.readString(dir.resolve(certName + ".key"));
      byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      Certificate[] chain;
      try (var in = Files.newInputStream(dir.resolve(certName + ".pem"))) {
        chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
      }
      ks.setKeyEntry("c", KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)), new char[0], chain);
      kmf = KeyManagerFactory.getInstance("SunX509");
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {trustAll}, null);
    return ctx;
  }

  /** What one fresh connection saw: the server certificate's subject, the status line and headers, or the failure. */
  private record Seen(String subject, List<String> head, String failure) {
    int status() {
      return head.isEmpty() ? -1 : Integer.parseInt(head.get(0).split(" ")[1]);
    }
  }

  private Seen get(int port, SSLContext ctx, String... protocols) {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      if (protocols.length > 0) {
        s.setEnabledProtocols(protocols);
      }
      s.startHandshake();
      String subject = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
      s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      List<String> head = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      for (String line = r.readLine(); line != null && !line.isEmpty(); line = r.readLine()) {
        head.add(line);
      }
      return new Seen(subject, head, head.isEmpty() ? "no answer" : null);
    } catch (Exception e) {
      return new Seen(null, List.of(), e.toString());
    }
  }

  private Path webConfig(String yaml) throws Exception {
    Path p = dir.resolve("web.yml");
    Files.writeString(p, yaml);
    return p;
  }

  /**
   * (Each look is a new client: a client that resumes its TLS session is shown the session's
   * certificate, whatever the server holds now.)
   *
   * A certificate renewed on disk (written beside, then moved over, as cert-manager and ACME
   * clients do) is served to the next connection without a restart; a broken pair written
   * over it keeps the last good one in service.
   */
  @Test
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    serverCert("first", dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Path web = webConfig("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
    try (Daemon d = Daemon.start("--docker-host", NO_DOCKER, "--web-config-file", web.toString())) {
      SSLContext c = client(null);
      Seen first = get(d.port(), c);
      assertEquals("CN=first", first.subject(), String.valueOf(first.failure()));
      assertEquals(200, first.status());

      serverCert("second", dir.resolve("cert.new"), dir.resolve("key.new"));
      Files.move(dir.resolve("key.new"), dir.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Files.move(dir.resolve("cert.new"), dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Seen second = d.await("the renewed certificate served", java.time.Duration.ofSeconds(30),
          () -> get(d.port(), client(null)), s -> "CN=second".equals(s.subject()));
      assertEquals(200, second.status());

      // A key that is not the certificate's (a renewal caught half-way): the last good pair stays.
      serverCert("third", dir.resolve("cert.new"), dir.resolve("key.new"));
      Files.move(dir.resolve("cert.new"), dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(2500);
      Seen third = get(d.port(), client(null));
      assertEquals("CN=second", third.subject(), "a mismatched pair is not served: " + third.failure());
      assertEquals(200, third.status());
      assertTrue(d.log.stream().anyMatch(l -> l.contains("cannot be used") && l.contains("serving the previous one")),
          String.join("\n", d.log));
    }
  }

  /** RequireAndVerifyClientCert with a CA and allowed SANs: only the CA's certificate naming an allowed SAN gets in. */
  @Test
  void clientCertificatesAreRequiredVerifiedAndMatchedBySan() throws Exception {
    serverCert("server", dir.resolve("cert.pem"), dir.resolve("key.pem"));
    clientCert("scraper", "scraper.example");
    clientCert("intruder", "other.example");
    Docker.must("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("self.key").toString(),
        "-out", dir.resolve("self.pem").toString(), "-subj", "/CN=self", "-addext", "subjectAltName=DNS:scraper.example",
        "-days", "2");
    Path web = webConfig("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
        + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n"
        + "  client_allowed_sans: [scraper.example]\n");
    try (Daemon d = Daemon.start("--docker-host", NO_DOCKER, "--web-config-file", web.toString())) {
      Seen scraper = get(d.port(), client("scraper"));
      assertEquals(200, scraper.status(), String.valueOf(scraper.failure()));
      assertEquals(-1, get(d.port(), client(null)).status(), "no client certificate: refused");
      assertEquals(-1, get(d.port(), client("intruder")).status(), "the CA's certificate for another SAN: refused");
      assertEquals(-1, get(d.port(), client("self")).status(), "the right SAN, not signed by the CA: refused");
    }
  }

  /** min_version TLS13 refuses a TLS 1.2 client; headers from http_server_config are on every answer. */
  @Test
  void versionsAndHeadersAreTheConfigs() throws Exception {
    serverCert("server", dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Path web = webConfig("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS13\n"
        + "http_server_config:\n  http2: true\n  headers:\n    X-Frame-Options: deny\n"
        + "    Strict-Transport-Security: max-age=31536000\n");
    try (Daemon d = Daemon.start("--docker-host", NO_DOCKER, "--web-config-file", web.toString())) {
      SSLContext c = client(null);
      Seen tls13 = get(d.port(), c, "TLSv1.3");
      assertEquals(200, tls13.status(), String.valueOf(tls13.failure()));
      assertTrue(tls13.head().contains("X-frame-options: deny") || tls13.head().contains("X-Frame-Options: deny"),
          tls13.head().toString());
      assertTrue(tls13.head().stream().anyMatch(h -> h.equalsIgnoreCase("Strict-Transport-Security: max-age=31536000")),
          tls13.head().toString());
      Seen tls12 = get(d.port(), c, "TLSv1.2");
      assertNotEquals(200, tls12.status(), "a TLS 1.2 client under min_version TLS13");
      assertTrue(d.log.stream().anyMatch(l -> l.contains("speaks HTTP/1.1")), "http2 is answered, not ignored");
    }
  }

  /** A key the endpoint cannot honour stops the daemon at start with the key and the reason. */
  @Test
  void aWebConfigItCannotHonourIsRefusedAtStart() throws Exception {
    serverCert("server", dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Path web = webConfig("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  curve_preferences: [X25519]\n");
    Process p = new ProcessBuilder("java", "-jar", Daemon.jar(), "watch", "--listen", "127.0.0.1:0", "--docker-host",
        NO_DOCKER, "--web-config-file", web.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.contains("tls_server_config.curve_preferences: not supported"), out);
  }
}
