package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives the real Docker engine through its own CLI for test set-up: images, containers,
 * restarts. The daemon under test talks to the same engine through its API. No registry is
 * reachable, so the one image is a static busybox imported from a local root file system.
 */
final class Docker {

  static final String IMAGE = "tritonwatch-test/busybox:2";

  private Docker() {}

  /** Fails (never skips) when no engine answers: a green run must mean these tests ran. */
  static synchronized void requireEngineAndImage() throws Exception {
    Result v = run("docker", "version", "--format", "{{.Server.APIVersion}}");
    if (v.code != 0) {
      fail("no Docker engine answers (start one with .ci/start-dockerd.sh): " + v.err);
    }
    if (run("docker", "image", "inspect", IMAGE).code == 0) {
      return;
    }
    Path root = Files.createTempDirectory("tw-rootfs");
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path busybox = Path.of("/bin/busybox");
    if (!Files.exists(busybox)) {
      fail("/bin/busybox is missing: install Debian's busybox-static");
    }
    Files.copy(busybox, bin.resolve("busybox"));
    for (String tool : List.of("sh", "sleep", "usleep", "printf", "cat", "echo", "seq", "head", "tr", "true", "yes")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("busybox"));
    }
    Files.createDirectories(root.resolve("tmp"));
    Result r = run("bash", "-c", "tar -C '" + root + "' -c . | docker import - " + IMAGE);
    assertEquals(0, r.code, "docker import: " + r.err);
  }

  record Result(int code, String out, String err) {}

  static Result run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + Arrays.toString(cmd));
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip(),
        new String(err, StandardCharsets.UTF_8).strip());
  }

  static String must(String... cmd) throws IOException, InterruptedException {
    Result r = run(cmd);
    if (r.code != 0) {
      fail(String.join(" ", cmd) + " -> " + r.code + ": " + r.err);
    }
    return r.out;
  }

  /** Starts a container of the test image; returns its id. */
  static String runContainer(List<String> dockerArgs, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--network", "none"));
    cmd.addAll(dockerArgs);
    cmd.add(IMAGE);
    cmd.addAll(List.of(command));
    return must(cmd.toArray(String[]::new));
  }

  static void remove(String id) throws Exception {
    run("docker", "rm", "-f", id);
  }
}
