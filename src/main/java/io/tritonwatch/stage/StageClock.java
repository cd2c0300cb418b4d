package io.tritonwatch.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * When each stage of one start-up began, and which stage it is in. Stages are recorded the
 * first time a line shows them; the current stage only moves forward, and not past a
 * terminal one.
 */
final class StageClock {

  private final Map<Stage, Instant> starts = new EnumMap<>(Stage.class);
  private Stage current = Stage.SERVER_INIT;
  private Instant since;

  Stage current() {
    return current;
  }

  Instant since() {
    return since;
  }

  boolean reached(Stage atLeast) {
    for (Stage s : starts.keySet()) {
      if (s.ordinal() >= atLeast.ordinal()) {
        return true;
      }
    }
    return false;
  }

  void reYear(Years shift) {
    starts.replaceAll((stage, at) -> shift.apply(at));
    since = shift.apply(since);
  }

  /** The first timed line of the start-up: server init begins there. */
  void begin(Instant at) {
    starts.putIfAbsent(Stage.SERVER_INIT, at);
    if (current == Stage.SERVER_INIT) {
      since = at;
    }
  }

  void enter(Stage stage, Instant at) {
    if (at == null) {
      return;
    }
    starts.putIfAbsent(stage, at);
    if (stage == current && since == null) {
      since = at;
    } else if (stage.ordinal() > current.ordinal() && !current.terminal()) {
      current = stage;
      since = at;
    }
  }

  /** A "took N seconds" line says when its stage really began, even if no line marked it. */
  void backdate(Stage stage, double seconds, Instant at) {
    if (at == null) {
      return;
    }
    enter(stage, at);
    Instant candidate = at.minus(Duration.ofNanos((long) (seconds * 1e9)));
    Instant floor = null;
    for (Map.Entry<Stage, Instant> e : starts.entrySet()) {
      if (e.getKey().ordinal() < stage.ordinal() && (floor == null || e.getValue().isAfter(floor))) {
        floor = e.getValue();
      }
    }
    if (floor != null && candidate.isBefore(floor)) {
      candidate = floor;
    }
    Instant existing = starts.get(stage);
    if (existing == null || candidate.isBefore(existing)) {
      starts.put(stage, candidate);
      if (current == stage) {
        since = candidate;
      }
    }
  }

  /** Ready: moves with every further service line, so it marks the last one. */
  void ready(Instant at) {
    current = Stage.READY;
    since = at;
    starts.put(Stage.READY, at);
  }

  void failed(Instant at) {
    if (at != null) {
      starts.putIfAbsent(Stage.FAILED, at);
    }
    if (current != Stage.FAILED) {
      current = Stage.FAILED;
      since = at;
    }
  }

  /** Stages in time order, each lasting until the next began; the current one has no end. */
  List<StageSpan> spans() {
    List<Map.Entry<Stage, Instant>> entries = new ArrayList<>(starts.entrySet());
    entries.sort((a, b) -> {
      int c = a.getValue().compareTo(b.getValue());
      return c != 0 ? c : Integer.compare(a.getKey().ordinal(), b.getKey().ordinal());
    });
    List<StageSpan> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Map.Entry<Stage, Instant> e = entries.get(i);
      Double secs = null;
      if (e.getKey().terminal()) {
        secs = 0.0;
      } else if (i + 1 < entries.size()) {
        secs = StartupRun.seconds(e.getValue(), entries.get(i + 1).getValue());
      }
      out.add(new StageSpan(e.getKey(), e.getValue(), secs));
    }
    return out;
  }
}
