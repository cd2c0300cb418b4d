package io.tritonwatch.pipeline;

import io.tritonwatch.parse.LineParser;
import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.stage.UnreadLine;

/** A noise line's text, kept so the tracker can have it read if it must. */
record UnreadText(long number, String text, long stampNanos) implements UnreadLine {

  @Override
  public ParsedLine read() {
    return LineParser.parse(number, text, stampNanos);
  }

  /** null for no text: a run of one line has no last line of its own. */
  static UnreadText of(long number, String text) {
    return text == null ? null : new UnreadText(number, text, io.tritonwatch.text.Rfc3339.NONE);
  }
}
