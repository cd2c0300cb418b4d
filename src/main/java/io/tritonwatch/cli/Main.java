package io.tritonwatch.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point. {@link #run} takes its streams and returns the exit status so that tests drive
 * the real command; only {@link #main} exits the JVM.
 */
public final class Main {

  public static final int USAGE = 64;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.in, System.out, System.err);
    if (code >= 0) {
      System.exit(code);
    }
  }

  /** @return the exit status, or -1 when a daemon was started and keeps the JVM alive */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    String command = args.length == 0 || args[0].startsWith("-") ? "watch" : args[0];
    String[] rest = args.length == 0 || args[0].startsWith("-") ? args : Arrays.copyOfRange(args, 1, args.length);
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      out.println("tritonwatch " + Version.full());
      return 0;
    }
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(usage());
      return 0;
    }
    return switch (command) {
      case "analyze" -> AnalyzeCommand.run(rest, in, out, err);
      case "watch" -> WatchCommand.run(rest, out, err);
      case "demo" -> DemoCommand.run(rest, out, err);
      case "healthcheck" -> HealthCheck.run(rest, out, err);
      case "help", "--help", "-h" -> {
        out.print(usage());
        yield 0;
      }
      default -> {
        err.println("tritonwatch: unknown command '" + command + "'");
        err.print(usage());
        yield USAGE;
      }
    };
  }

  static String usage() {
    return """
        Usage: tritonwatch [COMMAND] [OPTIONS]

        Commands:
          watch     follow Triton and vLLM containers through Docker and serve metrics (default)
          analyze   read a saved log (FILE or -) and print the start-up report
          demo      replay bundled real start-ups and serve the same endpoints, no Docker needed
          healthcheck  whether a running daemon is healthy (its health file, or /healthz), for container health checks

        Run 'tritonwatch COMMAND --help' for the options of a command; --version prints the version.
        """;
  }
}
