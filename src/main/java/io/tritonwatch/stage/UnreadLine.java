package io.tritonwatch.stage;

import io.tritonwatch.parse.ParsedLine;

/**
 * A line counted as noise and not read: the tracker reads it only when it must (a start-up's
 * first line, or the time of a following line that carries none), so the reading is left to
 * whoever holds the text.
 */
@FunctionalInterface
public interface UnreadLine {

  ParsedLine read();
}
