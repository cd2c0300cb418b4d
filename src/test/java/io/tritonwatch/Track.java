package io.tritonwatch;

import io.tritonwatch.parse.LineParser;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.stage.StartupTracker;

/** Tests give the tracker numbered lines of text; the tracker takes them parsed. */
public final class Track {

  private Track() {}

  public static void line(StartupTracker t, LogLine line) {
    t.accept(LineParser.parse(line.number(), line.text()), line.arrival());
  }
}
