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
      JsonNode s = d.await("all " + count + " numbers", Duration.ofSeconds(60), d::status,
          x -> models(x, name).size() >= count);
      assertReadBy("file", s);
      Set<String> seen = models(s, name);
      for (int i = 1; i <= count; i++) {
        assertTrue(seen.contains("n" + i), "number " + i + " lost");
      }
      assertEquals(count, seen.size());
      long lines = s.get("containers").get(0).get("summary").get("linesRead").asLong();
      assertEquals(count, lines, "every line read once");
      String files = Docker.must("bash", "-c", "ls $(dirname $(docker inspect -f '{{.LogPath}}' " + name + "))");
      assertTrue(files.contains("-json.log.1"), "the engine rotated: " + files);
    }
    System.out.printf("scenario rotation: %.1f s%n", (System.nanoTime() - t0) / 1e9);
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
