package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped Dockerfile, really built and run as a sidecar. No registry is reachable, so the
 * JRE base is made locally with debootstrap from Debian's packages and imported; it is cached
 * in the engine under a tag with today's date.
 */
class DockerImageIT extends DockerScenario {

  private static final String BASE = "tritonwatch-test/jre17:" + LocalDate.now();
  private static final String IMAGE = "tritonwatch-test/sidecar:it";

  @BeforeAll
  static void images() throws Exception {
    Docker.requireEngineAndImage();
    if (Docker.run("docker", "image", "inspect", BASE).code() != 0) {
      Path root = Files.createTempDirectory("tw-jre");
      long t0 = System.nanoTime();
      Docker.must("debootstrap", "--variant=minbase", "--include=openjdk-17-jre-headless", "bookworm",
          root.toString(), "http://deb.debian.org/debian");
      Docker.must("bash", "-c", "tar -C '" + root + "' -c . | docker import - " + BASE + " && rm -rf '" + root + "'");
      System.out.printf("debootstrapped JRE base in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
    Docker.must("docker", "build", "-q", "--network", "none", "--build-arg", "RUNTIME_BASE=" + BASE,
        "--build-arg", "REVISION=" + revision(), "-t", IMAGE, ".");
  }

  private static String revision() throws Exception {
    Docker.Result r = Docker.run("git", "rev-parse", "HEAD");
    return r.code() == 0 ? r.out().strip() : "unknown";
  }

  @Test
  void sidecarImageWatchesATritonContainerAsNonRootAndTurnsHealthy() throws Exception {
    long t0 = System.nanoTime();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String label = "tritonwatch.test=" + UUID.randomUUID();
    String gid = Docker.must("stat", "-c", "%g", "/var/run/docker.sock");
    String sidecar = Docker.must("docker", "run", "-d", "--network", "host", "--group-add", gid,
        "-v", "/var/run/docker.sock:/var/run/docker.sock:ro",
        "-e", "TRITONWATCH_LISTEN=127.0.0.1:" + port, "-e", "TRITONWATCH_SELECT_IMAGES=",
        "-e", "TRITONWATCH_SELECT_LABELS=" + label, IMAGE);
    containers.add(sidecar);

    Path dir = Files.createTempDirectory("tw-img");
    Replay.script(dir, "seed", Replay.lines(Path.of("src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log"), 0, 100),
        20, "sleep 3600");
    String name = "tw-img-triton-" + UUID.randomUUID().toString().substring(0, 8);
    containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay:ro"),
        "/bin/sh", "/replay/seed.sh"));

    HttpClient http = HttpClient.newHttpClient();
    String series = "tritonwatch_model_ready{container=\"" + name + "\",model=\"llama3_2_1b_local\",version=\"1\"} 1.0";
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (!last.contains(series)) {
      assertTrue(System.nanoTime() < deadline, "model never ready in the sidecar's /metrics; sidecar log:\n"
          + Docker.run("docker", "logs", sidecar).err() + "\nlast scrape:\n" + last);
      try {
        last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (java.io.IOException notYet) {
        // the JVM in the container is still starting
      }
      Thread.sleep(200);
    }
    String health = "";
    while (!health.equals("healthy")) {
      assertTrue(System.nanoTime() < deadline, "health check never passed: " + health);
      health = Docker.must("docker", "inspect", "-f", "{{.State.Health.Status}}", sidecar);
      Thread.sleep(500);
    }
    String said = Docker.run("docker", "logs", sidecar).err();
    assertTrue(said.contains("start-up history: 0 start-ups") && !said.contains("cannot use"),
        "the image's history store is usable by its non-root user: " + said);
    String uids = Docker.must("docker", "top", sidecar, "-o", "pid,uid");
    assertTrue(uids.lines().count() >= 2 && uids.lines().skip(1).allMatch(l -> l.strip().endsWith(" 10001")),
        "runs as 10001, not root: " + uids);
    assertEquals("10001:10001", Docker.must("docker", "inspect", "-f", "{{.Config.User}}", sidecar));
    System.out.printf("scenario sidecar image: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static String awaitHealth(String container, String want) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String health = "";
    while (!health.equals(want)) {
      assertTrue(System.nanoTime() < deadline, "health never " + want + ": " + health + "; log:\n"
          + Docker.run("docker", "logs", container).err());
      health = Docker.must("docker", "inspect", "-f", "{{.State.Health.Status}}", container);
      Thread.sleep(500);
    }
    return health;
  }

  /**
   * The image's health check reads the daemon's health file: it passes with TLS and basic auth
   * on (a check over plain HTTP could not), and fails when the daemon cannot reach Docker.
   */
  @Test
  void theHealthCheckPassesWithTlsAndAuthAndFailsWithoutDocker() throws Exception {
    Path dir = Files.createTempDirectory("tw-img-tls");
    Docker.must("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("key.pem").toString(),
        "-out", dir.resolve("cert.pem").toString(), "-subj", "/CN=127.0.0.1", "-days", "2");
    Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
        + "basic_auth_users:\n  prometheus: '"
        + at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray()) + "'\n");
    Docker.must("chmod", "-R", "a+rX", dir.toString());
    String gid = Docker.must("stat", "-c", "%g", "/var/run/docker.sock");
    String secured = Docker.must("docker", "run", "-d", "--network", "none", "--group-add", gid,
        "-v", "/var/run/docker.sock:/var/run/docker.sock:ro", "-v", dir + ":/web:ro",
        "-e", "TRITONWATCH_WEB_CONFIG_FILE=/web/web.yml", IMAGE);
    containers.add(secured);
    String cut = Docker.must("docker", "run", "-d", "--network", "none", IMAGE);
    containers.add(cut);
    assertEquals("healthy", awaitHealth(secured, "healthy"));
    assertEquals("unhealthy", awaitHealth(cut, "unhealthy"));
    String said = Docker.must("docker", "inspect", "-f", "{{range .State.Health.Log}}{{.ExitCode}} {{end}}", cut);
    assertTrue(said.contains("1"), said);
    assertTrue(Docker.must("docker", "exec", cut, "cat", "/tmp/tritonwatch.health").startsWith("not connected"),
        "the file says why");
  }

  /** OCI labels; JAVA_OPTS changes one JVM flag and keeps the measured others. */
  @Test
  void labelsAndJavaOptions() throws Exception {
    String labels = Docker.must("docker", "image", "inspect", "-f", "{{json .Config.Labels}}", IMAGE);
    for (String l : List.of("\"org.opencontainers.image.licenses\":\"Apache-2.0\"",
        "\"org.opencontainers.image.version\":\"0.1.0\"", "org.opencontainers.image.revision",
        "org.opencontainers.image.source", "org.opencontainers.image.created")) {
      assertTrue(labels.contains(l), l + " in " + labels);
    }
    String defaults = Docker.must("docker", "run", "--rm", "--network", "none", "-e", "JAVA_OPTS=-XX:+PrintFlagsFinal",
        IMAGE, "--version");
    assertTrue(defaults.matches("(?s).*MaxHeapSize\\s+=\\s+67108864\\s.*"), "64 MiB heap by default");
    assertTrue(defaults.matches("(?s).*UseSerialGC\\s+=\\s+true\\s.*"));
    assertTrue(defaults.contains("tritonwatch 0.1.0"), "the command line still reaches the program");
    String bigger = Docker.must("docker", "run", "--rm", "--network", "none",
        "-e", "JAVA_OPTS=-Xmx128m -XX:+PrintFlagsFinal", IMAGE, "--version");
    assertTrue(bigger.matches("(?s).*MaxHeapSize\\s+=\\s+134217728\\s.*"), "JAVA_OPTS wins");
    assertTrue(bigger.matches("(?s).*UseSerialGC\\s+=\\s+true\\s.*"), "the other flags stay");
  }

  @Test
  void composeFileIsValid() throws Exception {
    Docker.Result r = Docker.run("docker-compose", "-f", "config/compose.yml", "config", "-q");
    assertEquals(0, r.code(), r.out() + r.err());
  }
}
