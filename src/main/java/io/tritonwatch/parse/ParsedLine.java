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
 */
public record ParsedLine(long number, LineTime time, char severity, boolean structured,
                         String message, List<TritonEvent> events) {

  /** The same reading for the line at another number (a piece of a log read on its own). */
  public ParsedLine renumbered(long lineNumber) {
    return new ParsedLine(lineNumber, time, severity, structured, message, events);
  }

  public boolean recognised() {
    return !events.isEmpty();
  }
}
