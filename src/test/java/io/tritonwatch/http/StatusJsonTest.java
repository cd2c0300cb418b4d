package io.tritonwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.report.SummaryJson;
import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.watch.ContainerRegistry;
import io.tritonwatch.watch.WatchedContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The cached {@code /status} must read exactly as a fresh rendering of every summary would. */
class StatusJsonTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final String NOISE =
      " I1126 10:00:00.000000 1 infer_request.cc:131] \"[request id: <id_unknown>] Setting state from PENDING to EXECUTING\"";

  /** What /status was before it kept anything: every summary rebuilt and written per request. */
  private static String fresh(ContainerRegistry registry) {
    List<WatchedContainer> all = new ArrayList<>(registry.all());
    all.sort(Comparator.comparing(WatchedContainer::name));
    List<Object> containers = new ArrayList<>();
    for (WatchedContainer c : all) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("name", c.name());
      m.put("namespace", c.info().place().get("namespace"));
      m.put("pod", c.info().place().get("pod"));
      m.put("image", c.info().image());
      m.put("running", c.running());
      m.put("restarts", c.restarts());
      m.put("exitCode", c.exitCode());
      m.put("lastExitCode", c.lastExitCode());
      m.put("lastExitReason", c.lastExitReason());
      m.put("startedAt", c.info().startedAt() == null ? null : c.info().startedAt().toString());
      m.put("logReader", c.logReader());
      m.put("logProblem", c.logProblem());
      m.put("logGaps", c.logGaps());
      m.put("logGapSeconds", c.logGapSeconds());
      m.put("usual", StatusJson.usual(c));
      m.put("summary", SummaryJson.tree(c.summary()));
      containers.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("dockerConnected", registry.sourceConnected());
    root.put("containers", containers);
    return SummaryJson.write(root);
  }

  private static void noise(WatchedContainer c, String text, Instant stamp) {
    io.tritonwatch.watch.Stamped.line(c, text);
  }

  private static WatchedContainer container(String id, String name) {
    return new WatchedContainer(new ContainerInfo(id, name, "nvcr.io/nvidia/tritonserver", Map.of(), false, true, T0,
        null, 0, null), 64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"000-seed-triton-vllm-2.59-ready.log", "001-trt-tensorrt-plan-fail-then-restarts.log",
      "021-quickstart-8-models-ready.log", "024-turbomind-unload-then-exit-tail.log"})
  void readsAsAFreshRenderingAfterEveryLineAndNoise(String log) throws IOException {
    ContainerRegistry registry = new ContainerRegistry();
    WatchedContainer busy = registry.add(container("b1", "busy"));
    WatchedContainer other = registry.add(container("a1", "another"));
    other.accept("I1126 10:00:00.000000 1 server.cc:674] some line", T0);
    StatusJson status = new StatusJson(registry);
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/logs", log));
    Instant t = T0;
    int compared = 0;
    for (int i = 0; i < lines.size(); i++) {
      t = t.plusMillis(7);
      busy.accept(lines.get(i), t);
      assertEquals(fresh(registry), status.renderText(), log + " after line " + (i + 1));
      if (i % 3 == 0) {
        // Noise that changes nothing but the count: the kept text is reused.
        for (int k = 0; k < 1 + i % 5; k++) {
          t = t.plusMillis(1);
          noise(busy, t + NOISE, t);
        }
        assertEquals(fresh(registry), status.renderText(), log + " after noise following line " + (i + 1));
      }
      compared++;
    }
    busy.died(1L, t.plusSeconds(1));
    assertEquals(fresh(registry), status.renderText(), log + " after the exit");
    assertTrue(compared > 5);
  }

  @Test
  void noiseAsTheFirstLineBeginsTheStartUp() {
    ContainerRegistry registry = new ContainerRegistry();
    WatchedContainer c = registry.add(container("c1", "triton"));
    StatusJson status = new StatusJson(registry);
    String before = status.renderText();
    noise(c, T0.plusSeconds(3) + NOISE, T0.plusSeconds(3));
    String after = status.renderText();
    assertEquals(fresh(registry), after);
    assertTrue(after.contains("\"start\" : \"" + T0.plusSeconds(3) + "\""), after);
    assertTrue(before.contains("\"start\" : null"), before);
  }

  @Test
  void aRemovedContainerLeavesAndARestartShows() {
    ContainerRegistry registry = new ContainerRegistry();
    WatchedContainer c = registry.add(container("c1", "triton"));
    registry.add(container("c2", "gone"));
    StatusJson status = new StatusJson(registry);
    c.accept("I1126 10:00:01.000000 1 model_lifecycle.cc:473] \"loading: classnet:1\"", T0.plusSeconds(1));
    status.renderText();
    registry.remove("c2");
    c.restarted(new ContainerInfo("c1", "triton", "nvcr.io/nvidia/tritonserver", Map.of(), false, true,
        T0.plusSeconds(60), null, 1, null));
    String now = status.renderText();
    assertEquals(fresh(registry), now);
    assertTrue(!now.contains("\"gone\""), now);
    assertTrue(now.contains("\"restarts\" : 1"), now);
  }
}
