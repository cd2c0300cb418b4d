package io.tritonwatch.stage;

import java.util.Locale;

/** How a start-up ended, as far as the log says. */
public enum Outcome {
  READY, FAILED,
  /** The server came up but at least one model did not. */
  PARTIAL,
  /** The log ends (so far) before the outcome is known. */
  INCOMPLETE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
