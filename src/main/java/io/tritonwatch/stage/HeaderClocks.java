package io.tritonwatch.stage;

import io.tritonwatch.parse.ParsedLine;
import java.time.Duration;
import java.time.Instant;

/**
 * Two clocks in one log: Triton's glog stamps are UTC, the vLLM backend's Python logger may
 * write local time. Where the log first switches from one header to the other, a jump of a
 * whole number of quarter hours (45 minutes to 14 hours) is the zone between them, not time
 * that passed: the second clock is read shifted onto the first from then on. Decided once per
 * clock, at its first switch, so a real pause later is never mistaken for a zone.
 */
final class HeaderClocks {

  private static final long QUARTER = 900;
  private static final long SLACK = 90;

  private char last;
  private Instant lastTime;
  private long glogOffset;
  private long vllmOffset;
  private boolean glogDecided;
  private boolean vllmDecided;

  /** @return the instant on the log's first header clock */
  Instant align(char clock, Instant raw) {
    if (clock != ParsedLine.GLOG && clock != ParsedLine.VLLM) {
      return raw;
    }
    boolean glog = clock == ParsedLine.GLOG;
    Instant t = raw.plusSeconds(glog ? glogOffset : vllmOffset);
    if (last != 0 && last != clock && !(glog ? glogDecided : vllmDecided)) {
      long diff = Duration.between(lastTime, t).getSeconds();
      long zone = Math.round(diff / (double) QUARTER) * QUARTER;
      if (Math.abs(diff) >= 3 * QUARTER && Math.abs(diff) <= 14 * 3600 && Math.abs(diff - zone) <= SLACK) {
        t = t.minusSeconds(zone);
        if (glog) {
          glogOffset -= zone;
        } else {
          vllmOffset -= zone;
        }
      }
      if (glog) {
        glogDecided = true;
      } else {
        vllmDecided = true;
      }
    }
    last = clock;
    lastTime = t;
    return t;
  }
}
