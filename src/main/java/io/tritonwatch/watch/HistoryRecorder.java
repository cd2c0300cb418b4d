package io.tritonwatch.watch;

import io.tritonwatch.history.Expectation;
import io.tritonwatch.history.History;
import io.tritonwatch.history.StartupRecord;
import io.tritonwatch.history.Usual;
import io.tritonwatch.stage.Outcome;
import io.tritonwatch.stage.RunSummary;
import io.tritonwatch.stage.StartupSummary;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every few seconds, off the line path: each finished start-up of each container goes into
 * the history (once), and each container is told what is usual for it now.
 */
public final class HistoryRecorder implements Runnable {

  private final ContainerRegistry registry;
  private final History history;
  private final String host;
  private final double slowFactor;
  private final double stuckFactor;
  private final double minSeconds;
  private final Set<String> recorded = new HashSet<>();

  public HistoryRecorder(ContainerRegistry registry, History history, String host, double slowFactor,
                         double stuckFactor, double minSeconds) {
    this.registry = registry;
    this.history = history;
    this.host = host;
    this.slowFactor = slowFactor;
    this.stuckFactor = stuckFactor;
    this.minSeconds = minSeconds;
  }

  @Override
  public void run() {
    Set<String> live = new HashSet<>();
    for (WatchedContainer c : registry.all()) {
      StartupSummary s = c.summary();
      String image = c.info().image() == null ? "" : c.info().image();
      for (RunSummary r : s.runs()) {
        if (r.start() == null || r.outcome() == Outcome.INCOMPLETE) {
          continue;
        }
        String key = c.id() + "|" + r.start().toEpochMilli();
        live.add(key);
        if (recorded.add(key)) {
          history.record(StartupRecord.of(r, image, host, c.name()));
        }
      }
      List<String> models = StartupRecord.modelNames(s.models());
      Usual u = history.usual(image, models);
      c.expectation(u == null ? null : new Expectation(u, slowFactor, stuckFactor, minSeconds));
    }
    recorded.retainAll(live); // containers that went, and runs no longer kept
  }
}
