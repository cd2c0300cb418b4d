package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/tritonwatch's class-data archive for analyze: kept only from a run that read a log, since
 * it is kept until the jar changes and one recorded by a run that stopped early slows every
 * later run.
 */
class LauncherArchiveIT {

  private static final Path LAUNCHER = Path.of("bin/tritonwatch");
  private static final Path LOG = Path.of("src/test/resources/logs/002-trt-tensorrt-single-ready.log");

  @TempDir
  Path dir;
  private Path jar;
  private Path archive;

  private record Run(int code, String out) {}

  @BeforeEach
  void copyTheJar() throws IOException {
    jar = dir.resolve("tritonwatch.jar");
    Files.copy(Path.of(Daemon.jar()), jar);
    archive = dir.resolve("tritonwatch-analyze.jsa");
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("TRITONWATCH_JAR", jar.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "analyze did not end");
    return new Run(p.exitValue(), out);
  }

  @Test
  void aRunThatStopsAtABadOptionOrAMissingFileLeavesNoArchive() throws Exception {
    Run missing = run(Map.of(), "analyze", dir.resolve("no-such.log").toString());
    assertEquals(66, missing.code(), missing.out());
    assertTrue(missing.out().contains("no such file"), missing.out());
    assertFalse(Files.exists(archive), "archive kept from a run that read nothing");

    Run badOption = run(Map.of(), "analyze", "--no-such-option", LOG.toString());
    assertEquals(64, badOption.code(), badOption.out());
    assertFalse(Files.exists(archive), "archive kept from a run that stopped at its options");
  }

  @Test
  void aRunThatReadsALogWritesTheArchiveAndLaterRunsUseIt() throws Exception {
    Run first = run(Map.of(), "analyze", LOG.toString());
    assertEquals(0, first.code(), first.out());
    assertTrue(first.out().contains("triton 2.36.0"), first.out());
    assertTrue(Files.size(archive) > 0, "no archive after a run that read a log");
    FileTime written = Files.getLastModifiedTime(archive);

    Run second = run(Map.of(), "analyze", LOG.toString());
    assertEquals(first, second);
    assertEquals(written, Files.getLastModifiedTime(archive), "the archive was made again");
  }

  @Test
  void standardInputReachesAnalyzeWhileTheArchiveIsWritten() throws Exception {
    Process p = start(Map.of(), "analyze", "-");
    try (OutputStream in = p.getOutputStream()) {
      in.write(Files.readAllBytes(LOG));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("triton 2.36.0"), out);
    assertTrue(Files.exists(archive));
  }

  @Test
  void javaOptsTurnTheArchiveOff() throws Exception {
    Run r = run(Map.of("JAVA_OPTS", "-XX:+UseSerialGC -Xmx64m"), "analyze", LOG.toString());
    assertEquals(0, r.code(), r.out());
    assertFalse(Files.exists(archive), "JAVA_OPTS replaces the flags, the archive's among them");
  }

  /** Ctrl-C reaches the whole foreground group: the shell and java. */
  @Test
  void anInterruptedRunLeavesNoArchive() throws Exception {
    Process p = start(Map.of(), "analyze", "-");
    // Standard input stays open, so analyze is still reading when the signal comes.
    p.getOutputStream().write(Files.readAllBytes(LOG));
    p.getOutputStream().flush();
    ProcessHandle java = awaitJava(p);
    // Long enough for the JVM to be in main with its signal handlers, which write the archive
    // on the way out; the assertion below does not depend on it being long enough.
    Thread.sleep(1500);
    signal("INT", java.pid() == p.pid() ? new long[] {p.pid()} : new long[] {p.pid(), java.pid()});
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not end after Ctrl-C");
    assertEquals(130, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertFalse(Files.exists(archive), "archive kept from an interrupted run");
  }

  private static ProcessHandle awaitJava(Process p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (p.toHandle().info().command().orElse("").endsWith("java")) {
        return p.toHandle(); // the launcher exec'd it
      }
      var child = p.toHandle().children().filter(h -> h.info().command().orElse("").endsWith("java")).findFirst();
      if (child.isPresent()) {
        return child.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the launcher started no java");
  }

  private static void signal(String name, long... pids) throws Exception {
    for (long pid : pids) {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
      assertEquals(0, kill.waitFor());
    }
  }
}
