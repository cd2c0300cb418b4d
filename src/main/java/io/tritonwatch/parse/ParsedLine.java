package io.tritonwatch.parse;

import java.util.List;

/**
 * What the parser read from one line.
 *
 * @param time the line's own timestamp, or null when it carries none
 * @param severity glog/vLLM level letter ('I', 'W', 'E', 'F') or ' ' when the line has none
 * @param structured true when the line had a log header (glog, vLLM or uvicorn), so it cannot
 *     be the wrapped tail of the previous line
 * @param message the message with every prefix, colour and quote removed
 * @param clock whose clock the time is: {@link #OUTER} (Docker's or a viewer's stamp), {@link #GLOG},
 *     {@link #VLLM} (a log header's), or ' ' when the line has no time
 */
public record ParsedLine(long number, LineTime time, char severity, boolean structured,
                         String message, List<TritonEvent> events, char clock) {

  public static final char OUTER = 'O';
  public static final char GLOG = 'G';
  public static final char VLLM = 'V';

  public ParsedLine(long number, LineTime time, char severity, boolean structured, String message,
                    List<TritonEvent> events) {
    this(number, time, severity, structured, message, events, time == null ? ' ' : OUTER);
  }

  /** The same reading for the line at another number (a piece of a log read on its own). */
  public ParsedLine renumbered(long lineNumber) {
    return new ParsedLine(lineNumber, time, severity, structured, message, events, clock);
  }

  public boolean recognised() {
    return !events.isEmpty();
  }
}
