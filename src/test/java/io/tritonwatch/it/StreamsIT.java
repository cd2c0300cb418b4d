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

  @Test
  void longLinesTtyAndStderrArriveWhole() throws Exception {
    long t0 = System.nanoTime();
    String big = "m" + "x".repeat(100 * 1024);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label)) {
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
      String m = d.metrics();
      assertTrue(m.contains("model=\"m" + "x".repeat(127) + "\""), "long model names are cut in labels");
      assertFalse(m.contains("x".repeat(200)), "no label holds the whole 100 KiB");
    }
    System.out.printf("scenario long line, TTY, stderr: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void lastLineWithoutNewlineIsReadWhenTheContainerExits() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label)) {
      String name = "tw-nonl-" + tag;
      run(name, List.of("--label", label), "sleep 1\nprintf '%s' '" + loading("unterminated") + "'\n");
      d.await("unterminated line read", Duration.ofSeconds(60), d::status,
          x -> models(x, name).contains("unterminated"));
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
