package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Least privilege: the shipped nginx socket proxy allows only the GETs tritonwatch needs, and
 * the whole watch scenario (start-up read, restart counted, removal) works through it.
 */
class SocketProxyIT extends DockerScenario {

  private Process nginx;

  @AfterEach
  void cleanUp() throws Exception {
    for (String c : containers) {
      Docker.remove(c);
    }
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Path startProxy() throws Exception {
    return startProxy(null);
  }

  /** @param tcpPort a loopback port to listen on instead of the proxy's unix socket, or null */
  private Path startProxy(Integer tcpPort) throws Exception {
    Path dir = Files.createTempDirectory("tw-proxy");
    String conf = Files.readString(Path.of("config/socket-proxy/nginx.conf")).replace("/run/tritonwatch", dir.toString());
    if (tcpPort != null) {
      String unix = "listen unix:" + dir.resolve("docker.sock") + ";";
      assertTrue(conf.contains(unix), "the shipped config listens on " + unix);
      conf = conf.replace(unix, "listen 127.0.0.1:" + tcpPort + ";");
    }
    Files.writeString(dir.resolve("nginx.conf"), conf);
    nginx = new ProcessBuilder("nginx", "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off; user root;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    Path sock = dir.resolve("docker.sock");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (tcpPort == null ? !Files.exists(sock) : !listening(tcpPort)) {
      assertTrue(System.nanoTime() < deadline && nginx.isAlive(), "nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
      Thread.sleep(50);
    }
    return sock;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A container that replays the seed log's first 100 lines, then stays up. */
  private void startSeed(String name, String label) throws Exception {
    Path dir = Files.createTempDirectory("tw-replay");
    Replay.script(dir, "seed", Replay.lines(Path.of("src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log"), 0, 100),
        20, "sleep 3600");
    containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay:ro"),
        "/bin/sh", "/replay/seed.sh"));
  }

  private static String status(Path sock, String method, String path) throws Exception {
    return Docker.must("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", sock.toString(),
        "-X", method, "http://docker" + path);
  }

  @Test
  void onlyTheNeededGetsPassAndWatchWorksThroughTheProxy() throws Exception {
    long t0 = System.nanoTime();
    Path sock = startProxy();
    assertEquals("200", status(sock, "GET", "/v1.41/version"));
    assertEquals("200", status(sock, "GET", "/v1.41/containers/json"));
    assertEquals("403", status(sock, "POST", "/v1.41/containers/create"));
    assertEquals("403", status(sock, "GET", "/v1.41/images/json"));
    assertEquals("403", status(sock, "DELETE", "/v1.41/containers/anything"));
    assertEquals("403", status(sock, "POST", "/v1.41/containers/anything/exec"));
    assertEquals("403", status(sock, "GET", "/v1.41/info"));

    String label = "tritonwatch.test=" + UUID.randomUUID();
    String name = "tw-proxy-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--docker-host", "unix://" + sock, "--select-images", "", "--select-labels", label)) {
      startSeed(name, label);
      String c = "{container=\"" + name + "\"}";
      d.await("ready through the proxy", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_server_ready" + c)));
      Docker.must("docker", "restart", "-t", "1", name);
      d.await("restart counted through the proxy", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_container_restarts_total" + c))
              && Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_server_ready" + c)));
      Docker.remove(name);
      d.await("series gone", Duration.ofSeconds(30), d::metrics, x -> !x.contains(name));
      assertEquals(200, d.get("/healthz").statusCode());
    }
    System.out.printf("scenario socket proxy: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The engine reached over TCP, as a socket proxy on a port offers it (tcp://proxy:2375):
   * discovery, events and inspect through docker-java and the log streams through the raw
   * reader, all in plain HTTP.
   */
  @Test
  void watchWorksWithTheEngineOnALoopbackPort() throws Exception {
    long t0 = System.nanoTime();
    int port = freePort();
    startProxy(port);
    String label = "tritonwatch.test=" + UUID.randomUUID();
    String name = "tw-tcp-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--docker-host", "tcp://127.0.0.1:" + port, "--docker-log-files", "off",
        "--select-images", "", "--select-labels", label)) {
      startSeed(name, label);
      String c = "{container=\"" + name + "\"}";
      d.await("ready over tcp", Duration.ofSeconds(60), d::metrics,
          x -> Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_server_ready" + c)));
      Docker.remove(name);
      d.await("series gone", Duration.ofSeconds(30), d::metrics, x -> !x.contains(name));
      assertEquals(200, d.get("/healthz").statusCode());
    }
    System.out.printf("scenario engine over tcp: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
