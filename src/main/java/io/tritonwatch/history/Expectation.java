package io.tritonwatch.history;

/**
 * A server's usual start-up and how far from it is too far: a stage running longer than
 * {@code slowFactor} times its usual (90th percentile) is slower than usual, longer than
 * {@code stuckFactor} times it is stuck. Where a stage has no history, null: the configured
 * threshold judges it.
 *
 * @param minSeconds no stage is slow before this many seconds (nor stuck before this times
 *     stuckFactor / slowFactor): a stage that usually takes 0.05 s and takes 1 s is noise
 */
public record Expectation(Usual usual, double slowFactor, double stuckFactor, double minSeconds) {

  /** Seconds after which this stage counts as slower than usual, or null without its history. */
  public Double slowAfter(String stage) {
    Usual.Spread s = usual.stage(stage);
    return s == null ? null : Math.max(minSeconds, slowFactor * s.p90());
  }

  /** Seconds after which this stage counts as stuck, or null without its history. */
  public Double stuckAfter(String stage) {
    Usual.Spread s = usual.stage(stage);
    return s == null ? null : Math.max(minSeconds * stuckFactor / slowFactor, stuckFactor * s.p90());
  }

  /** This duration of a stage against its usual (median), or null without its history. */
  public Double ratio(String stage, double seconds) {
    Usual.Spread s = usual.stage(stage);
    return s == null || s.median() <= 0 ? null : seconds / s.median();
  }
}
