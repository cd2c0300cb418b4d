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
    Docker.must("docker", "build", "-q", "--network", "none", "--build-arg", "RUNTIME_BASE=" + BASE, "-t", IMAGE, ".");
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
    String uids = Docker.must("docker", "top", sidecar, "-o", "pid,uid");
    assertTrue(uids.lines().count() >= 2 && uids.lines().skip(1).allMatch(l -> l.strip().endsWith(" 10001")),
        "runs as 10001, not root: " + uids);
    assertEquals("10001:10001", Docker.must("docker", "inspect", "-f", "{{.Config.User}}", sidecar));
    System.out.printf("scenario sidecar image: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void composeFileIsValid() throws Exception {
    Docker.Result r = Docker.run("docker-compose", "-f", "config/compose.yml", "config", "-q");
    assertEquals(0, r.code(), r.out() + r.err());
  }
}
