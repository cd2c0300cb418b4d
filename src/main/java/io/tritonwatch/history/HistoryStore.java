package io.tritonwatch.history;

import java.util.List;

/** Where start-ups are kept between daemon runs. */
public interface HistoryStore extends AutoCloseable {

  /** The kept start-ups, oldest first. */
  List<StartupRecord> load() throws Exception;

  /**
   * Keeps a start-up (once: the same identity, host, container and start again is ignored) and
   * drops the oldest of its identity beyond {@code keep}.
   */
  void append(StartupRecord r, int keep) throws Exception;

  @Override
  void close();
}
