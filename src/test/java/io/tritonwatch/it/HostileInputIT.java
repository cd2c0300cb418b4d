package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Containers that print garbage: random bytes, NUL, invalid UTF-8, a 10 MiB line with no
 * newline, lines as fast as the shell can print, ANSI storms, a thousand model names, names
 * and reasons full of quotes and Prometheus-special characters. The daemon must stay up,
 * read the valid line that follows, keep label sets bounded, and keep the exposition valid.
 */
class HostileInputIT extends DockerScenario {

  private static String loading(String model) {
    return "I0720 11:04:26.667375 1 model_lifecycle.cc:473] loading: " + model + ":1";
  }

  @Test
  void garbageNeitherKillsNorBloatsAndTheExpositionStaysValid() throws Exception {
    long t0 = System.nanoTime();
    String label = "tritonwatch.test=" + UUID.randomUUID();
    Path dir = Files.createTempDirectory("tw-hostile");
    String weird = "we\"ird\\\\{name}=\u00fc,le=\"x\"";
    Files.writeString(dir.resolve("run.sh"), String.join("\n",
        "head -c 200000 /dev/urandom",
        "printf '\\n'",
        "printf 'bad utf8 \\303\\050 \\377\\376 nul \\000 end\\n'",
        "head -c 10485760 /dev/zero | tr '\\000' 'x'",
        "printf '\\n'",
        "i=0; while [ $i -lt 2000 ]; do printf '\\033[1;31m\\033[0;0m\\033[2J\\033[?25l'; i=$((i+1)); done; printf '\\n'",
        "yes 'I0720 11:06:38.965050 1 infer_request.cc:131] \"[request id: <id_unknown>] Setting state\"' | head -n 100000",
        "printf '%s\\n' '" + loading(weird) + "'",
        "printf '%s\\n' 'E0720 11:04:27.000000 1 model_lifecycle.cc:621] failed to load '\"'\"'" + weird
            + "'\"'\"' version 1: Internal: \"quoted\" \\\\ back{slash} # not a comment'",
        "printf '%s\\n' '" + loading("sentinel") + "'",
        "i=0; while [ $i -lt 1000 ]; do printf '%s\\n' \"I0720 11:04:26.667375 1 model_lifecycle.cc:473] loading: m$i:1\"; i=$((i+1)); done",
        "sleep 3600", ""));
    String name = "tw-hostile-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label,
        "--limits-max-models-per-container", "50")) {
      containers.add(Docker.runContainer(List.of("--name", name, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/run.sh"));
      String c = "{container=\"" + name + "\"}";
      String m = d.await("all of it read", Duration.ofSeconds(120), d::metrics,
          x -> Daemon.value(x, "tritonwatch_models_over_limit_total" + c) != null
              && Daemon.value(x, "tritonwatch_models_over_limit_total" + c) >= 952);
      JsonNode s = d.status().get("containers").get(0).get("summary");
      assertEquals(50, s.get("models").size(), "model names beyond the cap are counted, not kept");
      List<String> names = new ArrayList<>();
      s.get("models").forEach(x -> names.add(x.get("name").asText()));
      assertTrue(names.contains("sentinel"), "the valid line after the garbage was read: " + names);
      assertTrue(names.contains(weird), names.toString());
      assertTrue(m.contains("tritonwatch_model_failure_info{"), "the odd reason made it into a label");
      assertEquals(200, d.get("/healthz").statusCode());

      Path exposition = dir.resolve("metrics.txt");
      Files.writeString(exposition, m);
      Docker.Result lint = Docker.run("bash", "-c", "promtool check metrics < " + exposition);
      assertEquals(0, lint.code(), "promtool check metrics: " + lint.out() + lint.err());
      long series = m.lines().filter(l -> l.contains(c.substring(1, c.length() - 1))).count();
      assertTrue(series < 1500, "label sets stay bounded: " + series + " series for the container");
      long warnings = d.log.stream().filter(l -> l.contains("limits.max_models_per_container")).count();
      assertEquals(1, warnings, "the cap is logged once");
      assertTrue(d.process.isAlive());
    }
    System.out.printf("scenario hostile input: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /**
   * D7 and D11: forty models fail with a reason of a megabyte each, and a crash loop of five
   * runs fails 150 new model names in each. The daemon, on the shipped 64 MiB heap, keeps each
   * reason cut at 2,000 characters and at most max_models_per_container failure series.
   */
  @Test
  void megabyteReasonsAndEndlessFailingModelsStayBounded() throws Exception {
    String label = "tritonwatch.test=" + UUID.randomUUID();
    Path dir = Files.createTempDirectory("tw-hostile");
    Files.writeString(dir.resolve("long.sh"), String.join("\n",
        "i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo \"I0228 05:45:28.000000 1 model_lifecycle.cc:462] loading: big$i:1\"; done",
        "i=0; while [ $i -lt 40 ]; do i=$((i+1)); { printf \"E0228 05:45:29.000000 1 model_lifecycle.cc:630] failed to load "
            + "'big$i' version 1: Internal: START\"; head -c 1000000 /dev/zero | tr '\\000' x; echo END; }; done",
        "sleep 3600", ""));
    Files.writeString(dir.resolve("many.sh"), String.join("\n",
        "n=$(cat /tmp/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /tmp/n",
        "i=0; while [ $i -lt 150 ]; do i=$((i+1)); echo \"E0228 05:45:29.000000 1 model_lifecycle.cc:630] failed to load "
            + "'run${n}_model_$i' version 1: Internal: boom\"; done",
        "echo 'error: creating server: Internal - failed to load all models'; exit 1", ""));
    String big = "tw-big-" + UUID.randomUUID().toString().substring(0, 8);
    String many = "tw-many-" + UUID.randomUUID().toString().substring(0, 8);
    try (Daemon d = Daemon.start("--select-images", "", "--select-labels", label)) {
      containers.add(Docker.runContainer(List.of("--name", big, "--label", label, "-v", dir + ":/replay:ro"),
          "/bin/sh", "/replay/long.sh"));
      containers.add(Docker.runContainer(List.of("--name", many, "--restart", "on-failure:4", "--label", label,
          "-v", dir + ":/replay:ro"), "/bin/sh", "/replay/many.sh"));
      String cb = "container=\"" + big + "\"";
      String cm = "container=\"" + many + "\"";
      String m = d.await("both read", Duration.ofSeconds(120), d::metrics,
          x -> Double.valueOf(80).equals(Daemon.value(x, "tritonwatch_container_log_lines_total{" + cb + "}"))
              && Double.valueOf(5 * 151).equals(Daemon.value(x, "tritonwatch_container_log_lines_total{" + cm + "}")));
      assertTrue(d.process.isAlive(), "the daemon lives");
      HttpResponse<String> status = d.get("/status");
      assertEquals(200, status.statusCode());
      assertTrue(status.body().length() < 4_000_000, "/status stays small: " + status.body().length() + " bytes");
      for (JsonNode c : new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body()).get("containers")) {
        for (JsonNode model : c.get("summary").get("models")) {
          assertTrue(model.path("reason").asText().length() <= 2000, "a reason is cut at 2,000 characters");
        }
      }
      long failureSeries = m.lines().filter(l -> l.startsWith("tritonwatch_model_load_failures_total{") && l.contains(cm))
          .count();
      assertEquals(200, failureSeries, "failure counters stop at max_models_per_container");
      assertEquals(5 * 150 - 200.0, Daemon.value(m, "tritonwatch_models_over_limit_total{" + cm + "}"),
          "the rest is counted");
    }
  }
}
