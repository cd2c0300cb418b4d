package io.tritonwatch.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is usual, learnt from past start-ups and kept in a SQLite file across daemon runs. */
class HistoryTest {

  @TempDir
  Path dir;

  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  static StartupRecord ready(int i, double weights) {
    return new StartupRecord("vllm/vllm-openai:v0.8.5", List.of("qwen"), "host-a", "llm", "ready",
        T0.plusSeconds(600L * i), 30 + weights, Map.of("server_init", 2.0, "weight_loading", weights),
        Map.of("weightsGiB", 2.3));
  }

  @Test
  void theUsualIsTheMedianAndNinetiethPercentileOfReadyStartUps() {
    List<StartupRecord> past = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      past.add(ready(i, i * 10.0)); // weights 10, 20, ... 100 s
    }
    past.add(new StartupRecord("vllm/vllm-openai:v0.8.5", List.of("qwen"), "host-a", "llm", "failed", T0, 1.0,
        Map.of("weight_loading", 0.5), Map.of()));
    Usual u = Usual.of("x", past, 3);
    assertEquals(10, u.startups(), "failed start-ups end early and teach nothing");
    assertEquals(50.0, u.stage("weight_loading").median(), "nearest rank: the 5th of 10");
    assertEquals(90.0, u.stage("weight_loading").p90());
    assertEquals(80.0, u.ready().median());
    assertNull(Usual.of("x", past.subList(0, 2), 3), "too little history judges nothing");
    Expectation e = new Expectation(u, 1.5, 3, 30);
    assertEquals(135.0, e.slowAfter("weight_loading"));
    assertEquals(270.0, e.stuckAfter("weight_loading"));
    assertEquals(30.0, e.slowAfter("server_init"), "a 2 s stage is not slow before 30 s");
    assertEquals(60.0, e.stuckAfter("server_init"), "nor stuck before 60 s");
    assertEquals(2.0, e.ratio("weight_loading", 100.0));
    assertNull(e.stuckAfter("graph_capture"), "a stage without history falls back to the thresholds");
  }

  @Test
  void aStoreKeepsTheLastOfEachServerAcrossRunsAndEachStartUpOnce() throws Exception {
    Path file = dir.resolve("history.db");
    History h = History.open(file, 5, 3);
    assertNull(h.problem());
    for (int i = 1; i <= 8; i++) {
      h.record(ready(i, 20));
    }
    h.record(ready(8, 20)); // the same start-up again (a re-read log): kept once
    h.close();
    History again = History.open(file, 5, 3);
    List<StartupRecord> kept = again.of(ready(1, 20).identity());
    assertEquals(5, kept.size(), "the last five of the server");
    assertEquals(T0.plusSeconds(600L * 4), kept.get(0).start());
    assertEquals(Map.of("server_init", 2.0, "weight_loading", 20.0), kept.get(4).stageSeconds());
    assertEquals(Map.of("weightsGiB", 2.3), kept.get(4).figures());
    Usual u = again.usual("vllm/vllm-openai:v0.8.5", List.of());
    assertNotNull(u, "a start-up that named no model yet is judged by the image's latest server");
    assertEquals(5, u.startups());
    again.close();
  }

  @Test
  void aStoreThatCannotBeUsedIsSaidAndTheHistoryLivesInMemory() throws Exception {
    Path notADir = dir.resolve("file");
    Files.writeString(notADir, "x");
    History h = History.open(notADir.resolve("history.db"), 5, 1);
    assertNotNull(h.problem());
    h.record(ready(1, 20));
    assertEquals(1, h.usual("vllm/vllm-openai:v0.8.5", List.of("qwen")).startups());
    h.close();

    Path garbage = dir.resolve("garbage.db");
    Files.write(garbage, "this is not a database, whatever its name says ".repeat(200).getBytes());
    History g = History.open(garbage, 5, 1);
    assertTrue(g.problem() != null && g.problem().contains(garbage.toString()), String.valueOf(g.problem()));
    g.close();
    assertTrue(Files.readString(garbage).startsWith("this is not a database"), "a file that is not ours is left alone");
  }

  /** 10,000 start-ups of 500 servers, 20 kept each: the file stays small. */
  @Test
  void tenThousandStartUpsKeepTheFileSmall() throws Exception {
    Path file = dir.resolve("big.db");
    try (SqliteStore s = SqliteStore.open(file, false)) {
      for (int i = 0; i < 10_000; i++) {
        StartupRecord r = ready(i, 20 + i % 7);
        s.append(new StartupRecord("img" + (i % 500), r.models(), r.host(), r.container(), r.outcome(), r.start(),
            r.startupSeconds(), r.stageSeconds(), r.figures()), 20);
      }
      assertEquals(10_000, s.load().size(), "500 servers x 20 kept");
      assertEquals("ok", s.integrity());
    }
    long bytes = Files.size(file) + (Files.exists(Path.of(file + "-wal")) ? Files.size(Path.of(file + "-wal")) : 0);
    System.out.printf("history: 10,000 start-ups of 500 servers, 20 kept each: %,d bytes on disk%n", bytes);
    assertTrue(bytes < 8L << 20, bytes + " bytes");
    try (SqliteStore s = SqliteStore.open(file, false)) {
      for (int i = 0; i < 100; i++) {
        s.append(ready(10_000 + i, 20), 20);
      }
      assertEquals(10_020, s.load().size(), "a new server's 100 start-ups: its last 20 kept");
    }
  }
}
