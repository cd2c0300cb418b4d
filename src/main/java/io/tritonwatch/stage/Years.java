package io.tritonwatch.stage;

import io.tritonwatch.parse.LineTime;
import java.time.Instant;

/** Moves an instant read in one year to the same day and time of another. */
final class Years {
  private final int from;
  private final int to;

  Years(int from, int to) {
    this.from = from;
    this.to = to;
  }

  Instant apply(Instant t) {
    if (t == null) {
      return null;
    }
    LineTime lt = LineTime.of(t);
    if (lt.year() != from) {
      return t;
    }
    Instant moved = new LineTime(to, lt.month(), lt.day(), lt.hour(), lt.minute(), lt.second(), lt.nanos(),
        lt.offset()).toInstant(to);
    return moved != null ? moved : t; // the 29th of February of a year without one stays
  }
}
