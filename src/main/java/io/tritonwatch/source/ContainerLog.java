package io.tritonwatch.source;

import java.time.Instant;

/**
 * One followed container's log, as its reader sees it: where its lines go, and what the reader
 * found out about the reading itself.
 */
public interface ContainerLog extends LineSink {

  String id();

  String name();

  boolean running();

  /** What the last inspect said of the container. */
  ContainerInfo info();

  /** A reader begins (true) or ends (false): exits wait for the last reader's last lines. */
  void reading(boolean begins);

  /** The reader saw the run it read end at this time and another begin. */
  void runEnded(Instant at);

  /** Lines may have been lost for this reason (a rotated file deleted before it was read). */
  void logGap(String reason);

  /** The engine cannot give this log back at all. */
  void logUnreadable(String why);

  /** How the log is read now: {@code file}, {@code api} or {@code none}. */
  void logReader(String how);
}
