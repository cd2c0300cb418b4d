package io.tritonwatch.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.parse.Figure;
import io.tritonwatch.parse.LogLine;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tracker's bookkeeping: problems, counts, figures, run limits, time resolution. */
class TrackerPartsTest {

  @Test
  void problemsAreDedupedCappedAndCounted() {
    StringBuilder counted = new StringBuilder();
    Problems p = new Problems(counted::append);
    assertTrue(p.add("cuda", 1, "same"));
    assertFalse(p.add("cuda", 2, "same"));
    assertTrue(p.add("oom", 3, "same"));
    assertEquals(3, p.total());
    assertEquals("cudacudaoom", counted.toString());
    p.extendLast(" more");
    assertEquals("same more", p.snapshot().get(1).text());
    assertTrue(p.hasKind("oom"));
    assertFalse(p.hasKind("config"));
    for (int i = 0; i < 500; i++) {
      p.add("other", i, "text " + i);
    }
    assertEquals(Problems.CAP, p.snapshot().size());
    assertEquals(503, p.total());
    Problems longText = new Problems(k -> { });
    longText.add("other", 1, "x".repeat(5000));
    assertEquals(2000, longText.snapshot().get(0).text().length());
  }

  @Test
  void countsAndFigures() {
    Counts c = new Counts();
    c.error("cuda");
    c.error("cuda");
    c.warning("wsl");
    c.modelFailure("m", null);
    c.modelFailure("m", "1");
    c.modelOverLimit();
    Counts.Snapshot s = c.snapshot();
    assertEquals(2L, s.errors().get("cuda"));
    assertEquals(1L, s.warnings().get("wsl"));
    assertEquals(1L, s.modelFailures().get("m\u0000"));
    assertEquals(1L, s.modelFailures().get("m\u00001"));
    assertEquals(1, s.modelsOverLimit());
    assertEquals(1, c.modelsOverLimit());

    Figures f = new Figures();
    assertTrue(f.isEmpty());
    f.put(Figure.DTYPE, null);
    assertTrue(f.isEmpty());
    f.put(Figure.MAX_CONCURRENCY, 1.0);
    f.putIfAbsent(Figure.MAX_CONCURRENCY, 2.0);
    f.putIfAbsent(Figure.GPU_NAME, null);
    f.cudaPool(3, 64L);
    assertFalse(f.isEmpty());
    assertEquals(1.0, f.get(Figure.MAX_CONCURRENCY));
    assertEquals(Map.of("3", 64L), f.snapshot().get("cudaPoolBytes"));
    assertNull(f.snapshot().get("b"));
  }

  @Test
  void runsBeyondTheLimitAreDroppedButCounted() {
    StartupTracker t = new StartupTracker(2024, 10, 2);
    long n = 0;
    for (int run = 0; run < 5; run++) {
      io.tritonwatch.Track.line(t, new LogLine(++n, "== Triton Inference Server ==", null));
      io.tritonwatch.Track.line(t, new LogLine(++n, "I0720 1" + run + ":00:00.000000 1 model_lifecycle.cc:473] loading: m:1", null));
    }
    assertEquals(5, t.runCount());
    assertEquals(3, t.summary().runs().size(), "two closed and the current");
    assertEquals(10, t.linesRead());
  }

  @Test
  void yearComesFromAFullStampElseArrivalElseTheDefault() {
    StartupTracker t = new StartupTracker(2030);
    io.tritonwatch.Track.line(t, new LogLine(1, "I0720 10:00:00.000000 1 model_lifecycle.cc:473] loading: m:1", null));
    assertEquals(Instant.parse("2030-07-20T10:00:00Z"), t.summary().start());

    StartupTracker a = new StartupTracker(2030);
    io.tritonwatch.Track.line(a, new LogLine(1, "I0720 10:00:00.000000 1 model_lifecycle.cc:473] loading: m:1",
        Instant.parse("2026-07-20T10:00:01Z")));
    assertEquals(Instant.parse("2026-07-20T10:00:00Z"), a.summary().start());

    StartupTracker v = new StartupTracker(2030);
    io.tritonwatch.Track.line(v, new LogLine(1, "2025-07-20 14:00:00.000 | I0720 11:00:00.000000 1 model_lifecycle.cc:473] loading: m:1", null));
    io.tritonwatch.Track.line(v, new LogLine(2, "I0720 11:00:05.000000 1 model_lifecycle.cc:849] successfully loaded 'm'", null));
    assertEquals(2025, v.summary().lastLineTime().atZone(java.time.ZoneOffset.UTC).getYear());
  }

  @Test
  void noiseCountsAndEndsTablesButTakesNoTime() {
    StartupTracker t = new StartupTracker(2024);
    io.tritonwatch.Track.line(t, new LogLine(1, "I0720 10:00:00.000000 1 model_lifecycle.cc:473] loading: m:1", null));
    t.noise();
    io.tritonwatch.Track.line(t, new LogLine(3, "I0720 10:00:09.000000 1 infer_request.cc:131] \"[request id] x\"", null));
    assertEquals(3, t.linesRead());
    assertEquals(Instant.parse("2024-07-20T10:00:09Z"), t.summary().lastLineTime(), "noise time kept for later");
    t.restart(Instant.parse("2024-07-20T11:00:00Z"));
    io.tritonwatch.Track.line(t, new LogLine(4, "I0720 11:00:01.000000 1 model_lifecycle.cc:473] loading: m:1", null));
    assertEquals(2, t.summary().runs().size());
  }
}
