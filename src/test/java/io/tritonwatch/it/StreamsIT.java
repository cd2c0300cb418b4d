package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What arrives through Docker's log stream: long lines, TTY, stderr; and which containers are followed. */
class StreamsIT extends DockerScenario {

  private static String loading(String model) {
    return "I0720 11:04:26.667375 1 model_lifecycle.cc:473] \"loading: " + model + ":1\"";
  }

  private String run(String name, List<String> extra, String script) throws Exception {
    Path dir = Files.createTempDirectory("tw-stream");
    Files.writeString(dir.resolve("run.sh"), script);
    List<String> args = new ArrayList<>(List.of("--name", name, "-v", dir + ":/replay:ro"));
    args.addAll(extra);
    String id = Docker.runContainer(args, "/bin/sh", "/replay/run.sh");
    containers.add(id);
    return id;
  }

  private static Set<String> models(JsonNode status, String name) {
    Set<String> out = new HashSet<>();
    for (JsonNode c : status.get("containers")) {
      if (c.get("name").asText().equals(name)) {
        for (JsonNode m : c.get("summary").get("models")) {
          out.add(m.get("name").asText());
        }
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void longLinesTtyAndStderrArriveWhole(String reader) throws Exception {
    long t0 = System.nanoTime();
    String big = "m" + "x".repeat(100 * 1024);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label))) {
      String plain = "tw-long-" + tag;
      run(plain, List.of("--label", label),
          "printf '%s\\n' '" + loading(big) + "'\nprintf '%s\\n' '" + loading("after_big") + "' >&2\n"
              + "printf '%s' '" + loading("no_newline_at_end") + "'\nsleep 3600\n");
      String tty = "tw-tty-" + tag;
      run(tty, List.of("--label", label, "-t"), "printf '%s\\n' '" + loading("over_tty") + "'\nsleep 3600\n");
      JsonNode s = d.await("all models seen", Duration.ofSeconds(60), d::status,
          x -> models(x, plain).size() == 2 && models(x, tty).contains("over_tty"));
      assertEquals(Set.of(big, "after_big"), models(s, plain), "the 100 KiB line arrived whole; stderr read");
      assertEquals(Set.of("over_tty"), models(s, tty), "TTY output read, no stray carriage return");
      assertReadBy(reader, s);
      String m = d.metrics();
      assertTrue(m.contains("model=\"m" + "x".repeat(118) + "~" + String.format("%08x", big.hashCode()) + "\""),
          "long model names are cut in labels, and end in a hash of the whole name");
      assertFalse(m.contains("x".repeat(200)), "no label holds the whole 100 KiB");
    }
    System.out.printf("scenario long line, TTY, stderr (%s): %.1f s%n", reader, (System.nanoTime() - t0) / 1e9);
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "api"})
  void lastLineWithoutNewlineIsReadWhenTheContainerExits(String reader) throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start(withReader(reader, "--select-images", "", "--select-labels", label))) {
      String name = "tw-nonl-" + tag;
      run(name, List.of("--label", label), "sleep 1\nprintf '%s' '" + loading("unterminated") + "'\n");
      assertReadBy(reader, d.await("unterminated line read", Duration.ofSeconds(60), d::status,
          x -> models(x, name).contains("unterminated")));
    }
  }

  /** The engine rotates a json-file at max-size: renamed to .1, a new one begun. */
  @Test
  void rotatedLogFilesLoseNoLine() throws Exception {
    long t0 = System.nanoTime();
    int count = 3000;
    String name = "tw-rotate-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start(withReader("file", "--select-images", "", "--select-labels", label,
        "--limits-max-models-per-container", "5000"))) {
      // Connected first: files the engine has rotated away before anyone looks are gone for any reader.
      d.await("connected to the engine", Duration.ofSeconds(30), () -> d.get("/healthz"), r -> r.statusCode() == 200);
      run(name, List.of("--label", label, "--log-opt", "max-size=20k", "--log-opt", "max-file=5"),
          "i=0\nwhile [ $i -lt " + count + " ]; do i=$((i+1)); "
              + "printf 'I0720 11:04:26.667375 1 model_lifecycle.cc:473] loading: n%d:1\\n' $i; "
              + "[ $((i % 25)) -eq 0 ] && usleep 20000; done\nsleep 3600\n");
      // All of it, or as much as a busy machine let the reader keep up with: then it must say so.
      JsonNode s = d.await("all " + count + " numbers, or a gap said", Duration.ofSeconds(60), d::status,
          x -> models(x, name).size() >= count || gaps(x) > 0 && settled(d, name));
      if (models(s, name).size() < count) {
        s = d.status(); // after the reading settled
      }
      assertReadBy("file", s);
      Set<String> seen = models(s, name);
      long lines = s.get("containers").get(0).get("summary").get("linesRead").asLong();
      assertEquals(seen.size(), lines, "no line read twice");
      if (seen.size() < count) {
        System.out.printf("scenario rotation: the reader fell behind, %d of %d lines lost, %d gap(s) said%n",
            count - seen.size(), count, gaps(s));
        assertTrue(gaps(s) > 0, "lines were lost and nothing said so");
        assertTrue(d.metrics().contains("tritonwatch_log_gaps_total{container=\"" + name + "\",reason=\"rotation\"}"));
      } else {
        assertEquals(count, seen.size());
      }
      String files = Docker.must("bash", "-c", "ls $(dirname $(docker inspect -f '{{.LogPath}}' " + name + "))");
      assertTrue(files.contains("-json.log.1"), "the engine rotated: " + files);
    }
    System.out.printf("scenario rotation: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static long gaps(JsonNode status) {
    long n = 0;
    for (JsonNode c : status.get("containers")) {
      n += c.path("logGaps").path("rotation").asLong();
    }
    return n;
  }

  /** The count of lines read has not moved for two seconds. */
  private static boolean settled(Daemon d, String name) {
    try {
      String c = "tritonwatch_container_log_lines_total{container=\"" + name + "\"}";
      Double before = Daemon.value(d.metrics(), c);
      Thread.sleep(2000);
      return before != null && before.equals(Daemon.value(d.metrics(), c));
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * The reader made to fall behind for certain: the daemon is stopped (SIGSTOP) while the
   * container writes fifteen rotations' worth with max-file=3. When it runs again the file it
   * was reading has been deleted with those after it: what is left is read, nothing twice, and
   * the loss is counted and said once.
   */
  @Test
  void aReaderThatFellBehindTheRotationSaysSo() throws Exception {
    String name = "tw-behind-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start(withReader("file", "--select-images", "", "--select-labels", label,
        "--limits-max-models-per-container", "5000"))) {
      d.await("connected to the engine", Duration.ofSeconds(30), () -> d.get("/healthz"), r -> r.statusCode() == 200);
      run(name, List.of("--label", label, "--log-opt", "max-size=20k", "--log-opt", "max-file=3"),
          "i=0\nwhile [ $i -lt 100 ]; do i=$((i+1)); printf 'I0720 11:04:26.667375 1 model_lifecycle.cc:473] loading: n%d:1\\n' $i; done\n"
              + "while [ ! -f /replay/go ]; do usleep 50000; done\n"
              + "while [ $i -lt 3100 ]; do i=$((i+1)); printf 'I0720 11:04:26.667375 1 model_lifecycle.cc:473] loading: n%d:1\\n' $i; done\n"
              + "touch /tmp/done; sleep 3600\n");
      d.await("the first hundred read", Duration.ofSeconds(60), d::status, x -> models(x, name).size() >= 100);
      String dir = Docker.must("bash", "-c", "docker inspect -f '{{range .Mounts}}{{.Source}}{{end}}' " + name);
      Docker.must("kill", "-STOP", Long.toString(d.process.pid()));
      long writing;
      try {
        Files.writeString(Path.of(dir, "go"), "");
        long go = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Docker.run("docker", "exec", name, "sh", "-c", "[ -f /tmp/done ]").code() != 0) {
          assertTrue(System.nanoTime() < deadline, "the container did not finish writing");
          Thread.sleep(200);
        }
        writing = System.nanoTime() - go;
      } finally {
        Docker.must("kill", "-CONT", Long.toString(d.process.pid()));
      }
      d.await("a gap said", Duration.ofSeconds(60), d::status, x -> gaps(x) > 0 && settled(d, name));
      JsonNode s = d.status(); // after the reading settled, not the look that saw the gap
      Set<String> seen = models(s, name);
      long lines = s.get("containers").get(0).get("summary").get("linesRead").asLong();
      assertTrue(seen.size() < 3100, "lines were lost: " + seen.size());
      assertTrue(seen.contains("n3100"), "the newest lines are read: " + seen.size() + " read, "
          + new java.util.TreeSet<>(seen.stream().map(x -> Integer.parseInt(x.substring(1))).toList()).descendingSet()
              .stream().limit(5).toList() + " "
          + Docker.must("bash", "-c", "ls -la $(dirname $(docker inspect -f '{{.LogPath}}' " + name + "))"));
      assertEquals(seen.size(), lines, "no line read twice");
      assertEquals(1, gaps(s));
      // The lost lines were written between "go" and "done": their time is more than none and
      // no more than that (plus the 50 ms the writer may wait before it sees "go").
      double lost = s.get("containers").get(0).path("logGapSeconds").path("rotation").asDouble();
      assertTrue(lost > 0 && lost <= writing / 1e9 + 0.1, "seconds lost " + lost + " of " + writing / 1e9 + " s written");
      assertEquals(lost, Daemon.value(d.metrics(), "tritonwatch_log_gap_seconds_total{container=\"" + name
          + "\",reason=\"rotation\"}"), 1e-6);
      assertEquals(1, d.log.stream().filter(l -> l.contains("may have been lost") && l.contains(name)).count());
      System.out.printf("scenario fell behind: %d of 3100 lines read, %d gap said, %.3f s of log lost of %.3f s written%n",
          seen.size(), gaps(s), lost, writing / 1e9);
    }
  }

  @Test
  void onlySelectedContainersAreFollowedAndOptOutWins() throws Exception {
    long t0 = System.nanoTime();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label,
        "--select-names", "^tw-byname-" + tag)) {
      String script = "printf '%s\\n' '" + loading("m") + "'\nsleep 3600\n";
      String byLabel = "tw-label-" + tag;
      String byName = "tw-byname-" + tag;
      String other = "tw-other-" + tag;
      String optedOut = "tw-optout-" + tag;
      run(byLabel, List.of("--label", label), script);
      run(byName, List.of(), script);
      run(other, List.of(), script);
      run(optedOut, List.of("--label", label, "--label", "tritonwatch.enable=false"), script);
      JsonNode s = d.await("the two selected containers", Duration.ofSeconds(60), d::status,
          x -> models(x, byLabel).contains("m") && models(x, byName).contains("m"));
      Set<String> names = new HashSet<>();
      s.get("containers").forEach(c -> names.add(c.get("name").asText()));
      assertEquals(Set.of(byLabel, byName), names);
      assertFalse(d.metrics().contains(other));
      assertFalse(d.metrics().contains(optedOut));
    }
    System.out.printf("scenario selection: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
