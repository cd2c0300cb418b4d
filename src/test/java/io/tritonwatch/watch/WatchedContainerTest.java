package io.tritonwatch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tritonwatch.stage.StartupSummary;
import java.nio.charset.StandardCharsets;
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
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    c.noise(b, b.length, stamp.getEpochSecond() * 1_000_000_000L + stamp.getNano());
  }

  private static String line(Instant at, String glog) {
    return at + " " + glog;
  }

  @Test
  void anExitHeardBeforeTheLastLinesAppliesAfterThem() {
    WatchedContainer c = container();
    c.reading(true);
    Instant exit = T0.plusSeconds(10);
    c.accept(line(T0.plusSeconds(1), "I1126 10:00:01.000000 1 model_lifecycle.cc:473] \"loading: classnet:1\""), null,
        T0.plusSeconds(1));
    c.died(1L, exit);
    // Stamped before the exit: still this run's, read after the event.
    c.accept(line(T0.plusSeconds(9), "E1126 10:00:09.000000 1 model_lifecycle.cc:638] \"failed to load 'classnet' version 1: "
        + "Internal: unable to load plan file\""), null, T0.plusSeconds(9));
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
    c.accept(line(T0.plusSeconds(1), "I1126 10:00:01.000000 1 model_lifecycle.cc:473] \"loading: classnet:1\""), null,
        T0.plusSeconds(1));
    c.died(137L, T0.plusSeconds(5));
    assertEquals(1L, c.summary().runs().size());
    assertEquals("incomplete", c.summary().outcome().id(), "held back while the log is read");
    // The next run's first line (a restart by policy, read by the same stream): the exit applies before it.
    noise(c, line(T0.plusSeconds(6), "I1126 10:00:06.000000 1 infer_request.cc:131] \"[request id: 1] Setting state\""),
        T0.plusSeconds(6));
    assertEquals("failed", c.summary().runs().get(0).outcome().id());
  }

  @Test
  void withNobodyReadingTheExitAppliesAtOnce() {
    WatchedContainer c = container();
    c.died(0L, T0.plusSeconds(1));
    assertEquals("failed", c.summary().outcome().id(), "a server that exits before it was ready failed");
  }
}
