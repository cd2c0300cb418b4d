package io.tritonwatch.stage;

/**
 * An error or warning found in the log.
 *
 * @param kind the error or warning class id of the JSON contract
 * @param line the 1-based line number in the stream
 */
public record Problem(String kind, long line, String text) {}
