package io.tritonwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.stage.StartupSummary;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Docker's exit event often comes before the last lines; the exit must still end the run they belong to. */
class WatchedContainerTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private static WatchedContainer container() {
    return new WatchedContainer(new ContainerInfo("abc", "triton", "img", Map.of(), false, true, T0, null, 0, null), 64);
  }

  static void noise(WatchedContainer c, String text, Instant stamp) {
    Stamped.line(c, text);
  }

  private static String line(Instant at, String glog) {
    return at + " " + glog;
  }

  @Test
  void anOomKilledExitBeforeReadyIsAnOutOfMemoryFailureWithItsReason() {
    WatchedContainer c = container();
    Stamped.line(c, line(T0.plusSeconds(1), "I1126 10:00:01.000000 1 model_lifecycle.cc:473] \"loading: classnet:1\""));
    c.died(null, "OOMKilled", T0.plusSeconds(5));
    StartupSummary s = c.summary();
    assertEquals("failed", s.outcome().id());
    assertEquals("OOMKilled", c.lastExitReason());
    assertEquals(1L, c.counts().errors().get("oom"), "the kernel's kill is an out-of-memory failure, code or not");
    assertEquals("the container exited (OOMKilled) before the server was ready",
        s.errors().get(s.errors().size() - 1).text());
  }

  @Test
  void anExitHeardBeforeTheLastLinesAppliesAfterThem() {
    WatchedContainer c = container();
    c.reading(true);
    Instant exit = T0.plusSeconds(10);
    Stamped.line(c, line(T0.plusSeconds(1), "I1126 10:00:01.000000 1 model_lifecycle.cc:473] \"loading: classnet:1\""));
    c.died(1L, exit);
    // Stamped before the exit: still this run's, read after the event.
    Stamped.line(c, line(T0.plusSeconds(9), "E1126 10:00:09.000000 1 model_lifecycle.cc:638] \"failed to load 'classnet' version 1: "
        + "Internal: unable to load plan file\""));
    c.reading(false);
    StartupSummary s = c.summary();
    assertEquals(1, s.runs().size(), "the exit is no start-up of its own");
    assertEquals("failed", s.outcome().id());
    assertEquals("FAILED", s.models().get(0).state().name());
    assertEquals(1L, c.exitCode());
  }

  @Test
  void aLineStampedAfterTheExitAppliesItFirst() {
    WatchedContainer c = container();
    c.reading(true);
    Stamped.line(c, line(T0.plusSeconds(1), "I1126 10:00:01.000000 1 model_lifecycle.cc:473] \"loading: classnet:1\""));
    c.died(137L, T0.plusSeconds(5));
    assertEquals(1L, c.summary().runs().size());
    assertEquals("incomplete", c.summary().outcome().id(), "held back while the log is read");
    // The next run's first line (a restart by policy, read by the same stream): the exit applies before it.
    noise(c, line(T0.plusSeconds(6), "I1126 10:00:06.000000 1 infer_request.cc:131] \"[request id: 1] Setting state\""),
        T0.plusSeconds(6));
    assertEquals("failed", c.summary().runs().get(0).outcome().id());
  }

  /** A gap's lost time runs from the last line read before it to the first read after it, by the engine's stamps. */
  @Test
  void aGapCountsTheTimeOfLogItLost() {
    WatchedContainer c = container();
    c.reading(true);
    noise(c, line(T0.plusSeconds(1), "I1126 10:00:01.000000 1 infer_request.cc:131] \"[request id: 1] Setting state\""),
        T0.plusSeconds(1));
    c.logGap("rotation");
    assertEquals(Map.of("rotation", 0.0), c.logGapSeconds(), "open until the line after it is read");
    Stamped.line(c, line(T0.plusMillis(5250), "I1126 10:00:05.250000 1 model_lifecycle.cc:473] \"loading: m:1\""));
    assertEquals(Map.of("rotation", 4.25), c.logGapSeconds());
    noise(c, line(T0.plusSeconds(6), "I1126 10:00:06.000000 1 infer_request.cc:131] \"[request id: 2] Setting state\""),
        T0.plusSeconds(6));
    c.logGap("rotation");
    noise(c, line(T0.plusSeconds(9), "I1126 10:00:09.000000 1 infer_request.cc:131] \"[request id: 3] Setting state\""),
        T0.plusSeconds(9));
    assertEquals(Map.of("rotation", 7.25), c.logGapSeconds(), "gaps add up");
    assertEquals(Map.of("rotation", 2L), c.logGaps());
  }

  @Test
  void withNobodyReadingTheExitAppliesAtOnce() {
    WatchedContainer c = container();
    c.died(0L, T0.plusSeconds(1));
    assertEquals("failed", c.summary().outcome().id(), "a server that exits before it was ready failed");
  }

  private static final String LOADING = "I1126 10:00:00.000000 1 model_lifecycle.cc:462] loading: m:1";
  private static String failed(int run) {
    return "E1126 10:00:00.000000 1 model_lifecycle.cc:630] failed to load 'm' version 1: Internal: boom " + run;
  }
  private static final String EXIT = "error: creating server: Internal - failed to load all models";

  private static ContainerInfo started(Instant at, int restartCount) {
    return new ContainerInfo("abc", "triton", "img", Map.of(), false, true, at, null, restartCount, null);
  }

  /**
   * D2: a crash loop faster than the reader. Docker's events (die, start, die, start) all come
   * before the lines of the runs they separate are read; each run is read once, each with its
   * own failure, and the restarts are the start events.
   */
  @Test
  void aCrashLoopFasterThanTheReaderIsReadRunByRun() {
    WatchedContainer c = container();
    c.reading(true);
    Instant[] exits = {T0.plusMillis(100), T0.plusMillis(300), T0.plusMillis(500)};
    // Every event first, as when the follower attaches late.
    c.died(1L, exits[0]);
    c.restarted(started(T0.plusMillis(200), 1));
    c.died(1L, exits[1]);
    c.restarted(started(T0.plusMillis(400), 2));
    c.died(1L, exits[2]);
    // Then the log, in order: each run's three lines are stamped between its start and its exit.
    for (int run = 0; run < 3; run++) {
      Instant t = exits[run].minusMillis(60);
      for (String l : new String[] {LOADING, failed(run + 1), EXIT}) {
        Stamped.line(c, line(t, l));
        t = t.plusMillis(10);
      }
    }
    c.reading(false);
    StartupSummary s = c.summary();
    assertEquals(3, s.runs().size(), "three runs: " + s.runs());
    for (int run = 0; run < 3; run++) {
      assertEquals("failed", s.runs().get(run).outcome().id());
      assertEquals("Internal: boom " + (run + 1), s.runs().get(run).models().get(0).reason());
    }
    assertEquals(2, c.restarts(), "two restarts, as Docker counts them");
    assertEquals(9, c.linesRead());
  }

  /** A run whose lines look like nothing still begins after the exit of the one before. */
  @Test
  void anExitEndsTheRunEvenWhenTheNextRunsFirstLineLooksLikeAnyOther() {
    WatchedContainer c = container();
    c.reading(true);
    Stamped.line(c, line(T0, LOADING));
    c.died(1L, T0.plusMillis(50));
    c.restarted(started(T0.plusMillis(80), 1));
    Stamped.line(c, line(T0.plusMillis(100), LOADING));
    Stamped.line(c, line(T0.plusMillis(110), failed(2)));
    StartupSummary s = c.summary();
    assertEquals(2, s.runs().size());
    assertEquals("failed", s.runs().get(0).outcome().id(), "the first exited before it was ready");
    assertEquals("Internal: boom 2", s.models().get(0).reason());
  }

  /** The engine's events were late: the next run's lines were read first; the exit is history. */
  @Test
  void anExitHeardAfterTheNextRunsLinesDoesNotFailTheNextRun() {
    WatchedContainer c = container();
    c.reading(true);
    Stamped.line(c, line(T0, "== Triton Inference Server =="));
    Stamped.line(c, line(T0.plusMillis(10), failed(1)));
    Stamped.line(c, line(T0.plusSeconds(2), "== Triton Inference Server =="));
    Stamped.line(c, line(T0.plusSeconds(2).plusMillis(10), LOADING));
    c.died(1L, T0.plusSeconds(1));
    c.restarted(started(T0.plusMillis(1500), 1));
    StartupSummary s = c.summary();
    assertEquals(2, s.runs().size());
    assertEquals("incomplete", s.outcome().id(), "the second run is loading, not failed: " + s.errors());
    assertEquals(1L, c.lastExitCode());
    assertEquals(1, c.restarts());
  }
}
