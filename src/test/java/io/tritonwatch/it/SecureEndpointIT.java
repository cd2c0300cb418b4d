package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import at.favre.lib.crypto.bcrypt.BCrypt;

/** TLS and basic authentication from a web config file; method, size and rate limits. */
class SecureEndpointIT {

  private static String auth(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
  }

  @Test
  void tlsBasicAuthAndLimits() throws Exception {
    Path dir = Files.createTempDirectory("tw-tls");
    Docker.must("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("key.pem").toString(),
        "-out", dir.resolve("cert.pem").toString(), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-days", "2");
    Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
        + "basic_auth_users:\n  prometheus: '" + BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, "s3cret".toCharArray()) + "'\n");

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(dir.resolve("cert.pem"))) {
      trust.setCertificateEntry("tw", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(3)).build();

    try (Daemon d = Daemon.start("--docker-host", "unix:///tmp/tritonwatch-no-such.sock",
        "--web-config-file", dir.resolve("web.yml").toString())) {
      int port = d.port();
      URI metrics = URI.create("https://127.0.0.1:" + port + "/metrics");
      HttpResponse<String> ok = https.send(HttpRequest.newBuilder(metrics).header("Authorization", auth("prometheus", "s3cret"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertTrue(ok.body().contains("tritonwatch_docker_connected"));
      assertEquals(401, https.send(HttpRequest.newBuilder(metrics).header("Authorization", auth("prometheus", "wrong"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(401, https.send(HttpRequest.newBuilder(metrics).header("Authorization", auth("nobody", "s3cret"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      HttpResponse<String> none = https.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, none.statusCode());
      assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));

      boolean plainRefused;
      try {
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        plainRefused = plain.statusCode() != 200 && !plain.body().contains("tritonwatch_");
      } catch (IOException e) {
        plainRefused = true;
      }
      assertTrue(plainRefused, "plain HTTP against the TLS port gets no metrics");

      assertEquals(405, https.send(HttpRequest.newBuilder(metrics).header("Authorization", auth("prometheus", "s3cret"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      HttpResponse<String> withBody = https.send(HttpRequest.newBuilder(metrics).header("Authorization", auth("prometheus", "s3cret"))
          .method("GET", HttpRequest.BodyPublishers.ofString("y".repeat(10_000))).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(413, withBody.statusCode());
      assertFalse(withBody.body().contains("Exception"), "no stack traces in answers");

    }
  }

  @Test
  void aRequestFloodIsRateLimited() throws Exception {
    try (Daemon d = Daemon.start("--docker-host", "unix:///tmp/tritonwatch-no-such.sock",
        "--web-max-requests-per-second", "2")) {
      java.util.Map<Integer, Integer> seen = new java.util.TreeMap<>();
      for (int i = 0; i < 30; i++) {
        seen.merge(d.get("/metrics").statusCode(), 1, Integer::sum);
      }
      assertTrue(seen.getOrDefault(429, 0) > 0, "rate limited: " + seen);
      assertTrue(seen.getOrDefault(200, 0) >= 4, "the burst passes: " + seen);
      Thread.sleep(1500);
      assertEquals(200, d.get("/metrics").statusCode(), "tokens come back");
    }
  }

  /** A GET over a plain socket from a chosen loopback address: the status code, or -1. */
  private static int rawGet(int port, String from, String path, String authorization) throws Exception {
    try (java.net.Socket sock = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"), port,
        java.net.InetAddress.getByName(from), 0)) {
      sock.setSoTimeout(10_000);
      sock.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String status = new java.io.BufferedReader(new java.io.InputStreamReader(sock.getInputStream())).readLine();
      return status == null ? -1 : Integer.parseInt(status.split(" ")[1]);
    }
  }

  /**
   * Forty half-sent requests (the request line and no end of headers), held open: the
   * endpoints still answer at once, and the server closes the half-sent ones within its
   * request time (10 s), so nothing is held for ever.
   */
  @Test
  void halfSentRequestsNeitherStarveTheEndpointNorLinger() throws Exception {
    try (Daemon d = Daemon.start("--docker-host", "unix:///tmp/tritonwatch-no-such.sock")) {
      List<java.net.Socket> held = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          java.net.Socket sock = new java.net.Socket("127.0.0.1", d.port());
          sock.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes());
          held.add(sock);
        }
        Thread.sleep(500);
        for (String path : List.of("/healthz", "/metrics", "/status")) {
          long t0 = System.nanoTime();
          int code = rawGet(d.port(), "127.0.0.1", path, null);
          assertTrue(code == 200 || code == 503, path + " answered " + code);
          assertTrue(System.nanoTime() - t0 < 8_000_000_000L, path + " waited for the half-sent requests");
        }
        // The server lets them go: each socket sees its end (or a reset) within the request time.
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (java.net.Socket sock : held) {
          sock.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          int r;
          try {
            r = sock.getInputStream().read();
          } catch (java.net.SocketException reset) {
            r = -1;
          }
          assertTrue(r == -1 || r == 'H', "a half-sent request is closed (or answered), not held: " + r);
        }
      } finally {
        for (java.net.Socket sock : held) {
          sock.close();
        }
      }
      assertEquals(404, rawGet(d.port(), "127.0.0.1", "/metricsXYZ", null), "a context is its exact path");
      assertEquals(404, rawGet(d.port(), "127.0.0.1", "/status.json", null));
    }
  }

  /**
   * The limit is per client, and a scraper whose credentials were verified is not limited: a
   * flood of anonymous and wrong-password requests, from another address and from its own,
   * does not cost it a scrape.
   */
  @Test
  void aFloodNeverPushesOutAScraperWithCredentials() throws Exception {
    Path dir = Files.createTempDirectory("tw-auth");
    Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  prometheus: '"
        + BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray()) + "'\n");
    try (Daemon d = Daemon.start("--docker-host", "unix:///tmp/tritonwatch-no-such.sock",
        "--web-config-file", dir.resolve("web.yml").toString(), "--web-max-requests-per-second", "2")) {
      java.util.Map<Integer, Integer> flood = new java.util.TreeMap<>();
      for (int i = 0; i < 30; i++) {
        flood.merge(rawGet(d.port(), "127.0.0.2", "/metrics", null), 1, Integer::sum);
      }
      assertTrue(flood.getOrDefault(429, 0) > 0 && flood.getOrDefault(401, 0) > 0, "the flood is limited: " + flood);
      assertEquals(200, rawGet(d.port(), "127.0.0.1", "/metrics", auth("prometheus", "s3cret")),
          "another address has its own bucket");
      java.util.Map<Integer, Integer> own = new java.util.TreeMap<>();
      for (int i = 0; i < 30; i++) {
        own.merge(rawGet(d.port(), "127.0.0.1", "/metrics", auth("prometheus", "wrong" + i)), 1, Integer::sum);
      }
      assertTrue(own.getOrDefault(429, 0) > 0, "wrong passwords from the scraper's address are limited: " + own);
      for (int i = 0; i < 10; i++) {
        assertEquals(200, rawGet(d.port(), "127.0.0.1", "/metrics", auth("prometheus", "s3cret")),
            "verified credentials pass whatever else that address sent");
      }
    }
  }

  /** A scraper that accepts gzip gets it; the process series are there in their standard names, lint-clean. */
  @Test
  void metricsAreGzippedWhenAskedAndCarryTheProcessSeries() throws Exception {
    try (Daemon d = Daemon.start("--docker-host", "unix:///tmp/tritonwatch-no-such.sock")) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + d.port() + "/metrics");
      HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
      String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))
          .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      HttpResponse<String> plain = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
      assertTrue(zipped.body().length * 3 < plain.body().length(), zipped.body().length + " vs " + plain.body().length());
      for (String series : List.of("process_start_time_seconds ", "process_cpu_seconds_total ",
          "process_resident_memory_bytes ", "process_open_fds ", "process_max_fds ", "tritonwatch_build_info{")) {
        assertTrue(text.contains("\n" + series), series + " missing");
      }
      Path exposition = Files.createTempFile("tw-metrics", ".txt");
      Files.writeString(exposition, text);
      Docker.Result lint = Docker.run("bash", "-c", "promtool check metrics < " + exposition);
      assertEquals(0, lint.code(), "promtool check metrics: " + lint.out() + lint.err());
    }
  }

  @Test
  void badWebConfigIsRejectedNamingTheKey() throws Exception {
    Path f = Files.createTempFile("web", ".yml");
    Files.writeString(f, "basic_auth_users:\n  prometheus: plaintext\n");
    Process p = new ProcessBuilder(List.of("java", "-jar", Daemon.jar(), "watch", "--web-config-file", f.toString()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(78, p.waitFor());
    assertTrue(out.contains("basic_auth_users.prometheus: not a bcrypt hash"), out);
  }
}
