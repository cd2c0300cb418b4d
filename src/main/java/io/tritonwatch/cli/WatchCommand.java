package io.tritonwatch.cli;

import java.io.PrintStream;

/** {@code tritonwatch watch}: the daemon. */
final class WatchCommand {
  private WatchCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("tritonwatch watch: not available in this build yet");
    return 69;
  }
}
