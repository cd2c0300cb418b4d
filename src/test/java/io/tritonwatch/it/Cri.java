package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private containerd (Debian's, with its CRI plugin and runc) that runs pods and containers
 * as the kubelet asks it to, through the CRI API (src/test/cri/cri.py), and writes their logs
 * in the kubelet's layout under {@link #logRoot()}. The kubelet's log rotation is done here as
 * its source does it. Skipped with -DskipCriTests=true.
 */
public final class Cri {

  private static final Path DIR = Path.of("target/cri").toAbsolutePath();
  private static String socket;

  private Cri() {}

  public static synchronized void require() throws Exception {
    Assumptions.assumeFalse(Boolean.getBoolean("skipCriTests"), "CRI tests skipped (-DskipCriTests=true)");
    if (socket != null) {
      return;
    }
    Process p = new ProcessBuilder("bash", "src/test/cri/start-containerd.sh", DIR.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("containerd did not start: " + out);
    }
    String[] lines = out.split("\n");
    socket = lines[lines.length - 1].strip();
    Files.createDirectories(logRoot());
    cri("version");
  }

  public static Path logRoot() {
    return DIR.resolve("pods");
  }

  /** One CRI call; its output. */
  public static String cri(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "src/test/cri/cri.py", socket));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("cri " + String.join(" ", args) + ": " + out);
    }
    return out;
  }

  /** A pod sandbox on the host network, its logs under the log root as the kubelet lays them out. */
  public record Pod(String namespace, String name, String uid, String sandbox, Path dir) {
    /** Creates and starts a container of this pod; {@code mounts} are "HOST:PATH", read-only. */
    public String start(String container, int attempt, List<String> mounts, String... command) throws Exception {
      List<String> args = new ArrayList<>(List.of("create", sandbox, name, uid, namespace, dir.toString(), container,
          Integer.toString(attempt), "tritonwatch.local/busybox:1"));
      for (String m : mounts) {
        args.add("-v");
        args.add(m);
      }
      args.addAll(List.of(command));
      String id = cri(args.toArray(String[]::new));
      cri("start", id);
      return id;
    }

    public Path log(String container, int attempt) {
      return dir.resolve(container).resolve(attempt + ".log");
    }

    public void remove() throws Exception {
      cri("stopp", sandbox);
      cri("rmp", sandbox);
    }
  }

  public static Pod pod(String namespace, String name) throws Exception {
    String uid = UUID.randomUUID().toString();
    Path dir = logRoot().resolve(namespace + "_" + name + "_" + uid);
    Files.createDirectories(dir);
    return new Pod(namespace, name, uid, cri("runp", name, uid, namespace, dir.toString()), dir);
  }

  /** The container's state and exit code: "RUNNING 0", "EXITED 1". */
  public static String status(String container) throws Exception {
    return cri("status", container);
  }

  public static void awaitExit(String container) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < end) {
      if (status(container).startsWith("EXITED")) {
        return;
      }
      Thread.sleep(100);
    }
    fail(container + " did not exit: " + status(container));
  }

  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /**
   * Rotates a running container's log as the kubelet does (pkg/kubelet/logs/container_log_manager.go):
   * removes rotated files past {@code maxFiles - 2}, gzips every uncompressed rotated file
   * (through a .gz.tmp, renamed), renames the live file to {@code <attempt>.log.<YYYYMMDD-HHMMSS>}
   * and asks the runtime to reopen it.
   */
  public static void rotate(Path live, String containerId, int maxFiles) throws Exception {
    Path dir = live.getParent();
    String prefix = live.getFileName() + ".";
    List<Path> rotated = new ArrayList<>();
    try (var files = Files.list(dir)) {
      files.filter(f -> f.getFileName().toString().startsWith(prefix) && !f.toString().endsWith(".tmp"))
          .sorted().forEach(rotated::add);
    }
    while (rotated.size() > maxFiles - 2) {
      Files.delete(rotated.remove(0));
    }
    for (Path f : rotated) {
      if (!f.toString().endsWith(".gz")) {
        Path tmp = Path.of(f + ".gz.tmp");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
          Files.copy(f, out);
        }
        Files.move(tmp, Path.of(f + ".gz"), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(f);
      }
    }
    Path target;
    do {
      target = dir.resolve(prefix + LocalDateTime.now(ZoneOffset.UTC).format(SUFFIX));
      if (Files.exists(target) || Files.exists(Path.of(target + ".gz"))) {
        Thread.sleep(200); // one rotation a second at most: the suffix has seconds
        target = null;
      }
    } while (target == null);
    Files.move(live, target);
    try {
      cri("reopen", containerId);
    } catch (IOException e) {
      Files.move(target, live); // as the kubelet does when the runtime cannot reopen
      throw e;
    }
  }
}
