package io.tritonwatch.cli;

import java.io.PrintStream;

/** {@code tritonwatch demo}. */
final class DemoCommand {
  private DemoCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("tritonwatch demo: not available in this build yet");
    return 69;
  }
}
