package io.tritonwatch.metrics;

import io.micrometer.core.instrument.Gauge;
import io.tritonwatch.history.Expectation;
import io.tritonwatch.history.Usual;
import io.tritonwatch.stage.Outcome;
import io.tritonwatch.stage.StageSpan;
import io.tritonwatch.stage.StartupSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A container's series of what its server's history says is usual, and how the latest start-up compares. */
final class HistoryMeters {

  private final ContainerMeters owner;

  HistoryMeters(ContainerMeters owner) {
    this.owner = owner;
  }

  /**
   * What this server's history says: each stage's usual length, the usual time to ready and
   * how much of it is left, and how the latest start-up's stages compare (twice the usual
   * weight loading is worth a look even when the start-up succeeded).
   */
  void historyMeters(StartupSummary s, Set<String> want) {
    Expectation e = owner.c.expectation();
    if (e == null) {
      return;
    }
    Usual u = e.usual();
    for (Map.Entry<String, Usual.Spread> st : u.stages().entrySet()) {
      for (String q : List.of("0.5", "0.9")) {
        owner.dyn(want, "expected|" + u.identity() + "|" + st.getKey() + "|" + q, () -> Gauge.builder(
                "tritonwatch.stage.expected", owner.c, w -> q.equals("0.5") ? st.getValue().median() : st.getValue().p90())
            .baseUnit("seconds").tags(owner.base.and("stage", st.getKey(), "quantile", q))
            .description("Usual seconds of each stage for this server: median (0.5) and 90th percentile (0.9) of its "
                + "past ready start-ups")
            .strongReference(true).register(owner.registry));
      }
    }
    if (u.ready() != null) {
      for (String q : List.of("0.5", "0.9")) {
        owner.dyn(want, "expected.ready|" + u.identity() + "|" + q, () -> Gauge.builder("tritonwatch.startup.expected", owner.c,
                w -> q.equals("0.5") ? u.ready().median() : u.ready().p90())
            .baseUnit("seconds").tags(owner.base.and("quantile", q))
            .description("Usual seconds from start to ready for this server: median (0.5) and 90th percentile (0.9)")
            .strongReference(true).register(owner.registry));
      }
      if (s.outcome() == Outcome.INCOMPLETE && s.start() != null) {
        owner.dyn(want, "expected.remaining", () -> Gauge.builder("tritonwatch.startup.expected.remaining", owner.c,
                w -> remaining())
            .baseUnit("seconds").tags(owner.base)
            .description("Seconds until the running start-up is usually ready (0 once past it); absent when it ended")
            .strongReference(true).register(owner.registry));
      }
    }
    for (StageSpan span : s.stages()) {
      Double ratio = span.seconds() == null || span.stage().terminal() ? null : e.ratio(span.stage().id(), span.seconds());
      if (ratio != null) {
        String stage = span.stage().id();
        owner.dyn(want, "ratio|" + u.identity() + "|" + stage, () -> Gauge.builder("tritonwatch.stage.duration.ratio", owner.c,
                w -> ratioOf(stage))
            .tags(owner.base.and("stage", stage))
            .description("The latest start-up's stage length over its usual length (median): 2 is twice as long")
            .strongReference(true).register(owner.registry));
      }
    }
  }

  private double remaining() {
    StartupSummary s = owner.s();
    Expectation e = owner.c.expectation();
    if (e == null || e.usual().ready() == null || s.start() == null || s.outcome() != Outcome.INCOMPLETE) {
      return Double.NaN;
    }
    double sofar = Duration.between(s.start(), Instant.now(owner.clock)).toMillis() / 1000.0;
    return Math.max(0, e.usual().ready().median() - sofar);
  }

  private double ratioOf(String stage) {
    Expectation e = owner.c.expectation();
    for (StageSpan span : owner.s().stages()) {
      if (span.stage().id().equals(stage) && span.seconds() != null && e != null) {
        Double r = e.ratio(stage, span.seconds());
        return r == null ? Double.NaN : r;
      }
    }
    return Double.NaN;
  }
}
