package io.tritonwatch.parse;

import java.time.Instant;

/**
 * One physical line as it reached us.
 *
 * @param number 1-based line number within the stream
 * @param text the decoded line without its terminator
 * @param arrival when the line arrived (Docker's timestamp when following live), or null for
 *     a saved log
 */
public record LogLine(long number, String text, Instant arrival) {}
