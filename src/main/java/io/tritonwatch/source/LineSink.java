package io.tritonwatch.source;

/** Where every source of lines writes: Docker's log API and json-file, saved logs, the demo. */
@FunctionalInterface
public interface LineSink {

  /** One whole line; {@code line} and its bytes may be reused once this returns. */
  void line(RawLine line);
}
