package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code watch --source kubernetes} reading pods that a real containerd (through its CRI API,
 * as a kubelet would ask) runs and logs in the kubelet's layout; the API server's side is a
 * local stub on loopback, named as such, since no API server runs here.
 */
class PodLogsIT {

  private static final Path FAILS_THEN_READY = Path.of("src/test/resources/logs/001-trt-tensorrt-plan-fail-then-restarts.log");

  @BeforeAll
  static void containerd() throws Exception {
    Cri.require();
  }

  private static Daemon daemon(String... more) throws Exception {
    List<String> flags = new ArrayList<>(List.of("--source", "kubernetes", "--kubernetes-log-root",
        Cri.logRoot().toString(), "--select-images", "", "--select-labels", ""));
    flags.addAll(List.of(more));
    return Daemon.start(List.of(), flags.toArray(String[]::new));
  }

  /** The pod's container in /status, or null. */
  private static JsonNode container(JsonNode status, Cri.Pod pod) {
    for (JsonNode x : status.path("containers")) {
      if (x.path("id").asText().equals(pod.uid() + "/triton")) {
        return x;
      }
    }
    return null;
  }

  /**
   * Real start-ups replayed in a pod at a twentieth of their pace: Triton with its vLLM backend
   * ready, a standalone vLLM server ready, and a vLLM server that fails (free memory below its
   * utilisation) and exits.
   */
  @ParameterizedTest
  @CsvSource({"000-seed-triton-vllm-2.59-ready.log,sleep 3600", "014-vllm-standalone-v1-0.19.1-ready.log,sleep 3600",
      "201-vllm-standalone-0.10.2-free-memory-below-utilization-failed.log,exit 1"})
  void aReplayedStartUpReadsAsAnalyzeReadsItWithNamespaceAndPod(String log, String tail) throws Exception {
    Path dir = Files.createTempDirectory("tw-pod-replay");
    dir.toFile().setReadable(true, false);
    List<String> lines = Replay.lines(Path.of("src/test/resources/logs", log), 0, Integer.MAX_VALUE);
    Replay.script(dir, "replay", lines, 20, tail);
    JsonNode want = Summaries.withoutTime(Summaries.analyze(lines));
    Cri.Pod pod = Cri.pod("inference", "replay-" + System.nanoTime() % 100000);
    try (Daemon d = daemon("--kubernetes-api", "off", "--select-names", "^inference/" + pod.name() + "/")) {
      pod.start("triton", 0, List.of(dir + ":/replay"), "/bin/sh", "/replay/replay.sh");
      JsonNode mine = d.await("the pod read as analyze reads the log", Duration.ofSeconds(120),
          () -> container(d.status(), pod),
          x -> x != null && want.equals(Summaries.withoutTime(x.path("summary"))));
      assertEquals("file", mine.path("logReader").asText());
      assertEquals("inference", mine.path("namespace").asText());
      assertEquals(pod.name(), mine.path("pod").asText());
      assertEquals("triton", mine.path("name").asText());
      String outcome = want.path("outcome").asText();
      String m = d.metrics();
      assertEquals(1.0, Daemon.value(m, "tritonwatch_startup_outcome{container=\"triton\",namespace=\"inference\",outcome=\""
          + outcome + "\",pod=\"" + pod.name() + "\"}"), "the outcome series carries namespace and pod");
      assertTrue(d.get("/").body().contains("inference/" + pod.name() + "/triton"), "the page names the pod");
    } finally {
      pod.remove();
    }
  }

  @Test
  void restartsAreNewRunsWithTheExitCodesTheApiServerStubGives() throws Exception {
    Path dir = Files.createTempDirectory("tw-pod-restarts");
    dir.toFile().setReadable(true, false);
    List<String> fail = Replay.lines(FAILS_THEN_READY, 0, 95);
    List<String> ready = Replay.lines(FAILS_THEN_READY, 95, 181);
    Replay.script(dir, "fail", fail, 20, "exit 3");
    Replay.script(dir, "ready", ready, 20, "sleep 3600");
    Cri.Pod pod = Cri.pod("inference", "loop-" + System.nanoTime() % 100000);
    List<String> queries = Collections.synchronizedList(new ArrayList<>());
    int[] restarts = {0};
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/api/v1/pods", x -> {
      queries.add(x.getRequestURI().getRawQuery());
      boolean watch = x.getRequestURI().getRawQuery().contains("watch=1");
      String podJson = """
          {"metadata":{"name":"%s","namespace":"inference","uid":"%s","resourceVersion":"%d","labels":{"tritonwatch.enable":"true"}},
           "spec":{"nodeName":"node-a","containers":[{"name":"triton","image":"nvcr.io/nvidia/tritonserver:24.01-py3"}]},
           "status":{"containerStatuses":[{"name":"triton","restartCount":%d,"state":{"running":{}},
             "lastState":{"terminated":{"exitCode":3,"reason":"Error"}}}]}}"""
          .formatted(pod.name(), pod.uid(), 10 + restarts[0], restarts[0]).replace("\n", "");
      if (watch) {
        try {
          Thread.sleep(300); // a watch that ends at once, as a server's timeout would: listed again
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = (watch ? "{\"type\":\"MODIFIED\",\"object\":" + podJson + "}\n"
          : "{\"metadata\":{\"resourceVersion\":\"" + (10 + restarts[0]) + "\"},\"items\":[" + podJson + "]}")
          .getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    stub.start();
    try (Daemon d = daemon("--kubernetes-api", "auto", "--kubernetes-api-url",
        "http://127.0.0.1:" + stub.getAddress().getPort(), "--kubernetes-node-name", "node-a",
        "--select-labels", "tritonwatch.enable=true")) {
      // The kubelet's way: attempt N runs, exits, and attempt N+1 is created with the restart count.
      for (int attempt = 0; attempt < 2; attempt++) {
        String id = pod.start("triton", attempt, List.of(dir + ":/replay"), "/bin/sh", "/replay/fail.sh");
        Cri.awaitExit(id);
        assertEquals("EXITED 3", Cri.status(id));
        restarts[0] = attempt + 1;
      }
      pod.start("triton", 2, List.of(dir + ":/replay"), "/bin/sh", "/replay/ready.sh");
      String c = "{container=\"triton\",namespace=\"inference\",pod=\"" + pod.name() + "\"}";
      String m = d.await("ready after two restarts", Duration.ofSeconds(120), d::metrics,
          x -> Double.valueOf(1.0).equals(Daemon.value(x, "tritonwatch_server_ready" + c)));
      assertEquals(2.0, Daemon.value(m, "tritonwatch_container_restarts_total" + c));
      assertEquals(3.0, Daemon.value(m, "tritonwatch_startups_total" + c));
      assertEquals(3.0, Daemon.value(m, "tritonwatch_container_last_exit_code" + c));
      assertTrue(m.contains("tritonwatch_container_info{container=\"triton\",id=\"" + pod.uid().substring(0, 12)
          + "\",image=\"nvcr.io/nvidia/tritonserver:24.01-py3\""), "the image the API server stub gave");
      assertEquals("Error", container(d.status(), pod).path("lastExitReason").asText(), "the pod status's reason");
      // A daemon that starts now, after the restarts, reads the chain of attempts from the start
      // and reaches the same state.
      int all = 2 * fail.size() + ready.size();
      JsonNode early = Summaries.withoutTime(d.await("every line of the three attempts read", Duration.ofSeconds(60),
          () -> container(d.status(), pod).path("summary"), x -> x.path("linesRead").asInt() == all));
      try (Daemon late = daemon("--kubernetes-api", "auto", "--kubernetes-api-url",
          "http://127.0.0.1:" + stub.getAddress().getPort(), "--kubernetes-node-name", "node-a",
          "--select-labels", "tritonwatch.enable=true")) {
        late.await("the late daemon read all three attempts", Duration.ofSeconds(60), () -> container(late.status(), pod),
            x -> x != null && early.equals(Summaries.withoutTime(x.path("summary"))));
        String lm = late.metrics();
        assertEquals(3.0, Daemon.value(lm, "tritonwatch_startups_total" + c));
        assertEquals(2.0, Daemon.value(lm, "tritonwatch_container_restarts_total" + c));
      }
      assertTrue(queries.size() >= 2, "listed and watched: " + queries);
      for (String q : queries) {
        assertTrue(q.startsWith("fieldSelector=spec.nodeName%3Dnode-a"), "every request carries the node: " + q);
      }
    } finally {
      stub.stop(0);
      pod.remove();
    }
  }
}
