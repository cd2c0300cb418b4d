package io.tritonwatch.cli;

import io.tritonwatch.config.ConfigLoader;
import io.tritonwatch.history.Comparison;
import io.tritonwatch.history.Expectation;
import io.tritonwatch.history.SqliteStore;
import io.tritonwatch.history.StartupRecord;
import io.tritonwatch.history.Usual;
import io.tritonwatch.report.UsualText;
import io.tritonwatch.diagnose.Catalogue;
import io.tritonwatch.input.TextLines;
import io.tritonwatch.pipeline.ChunkedFeed;
import io.tritonwatch.report.HtmlReport;
import io.tritonwatch.report.SummaryJson;
import io.tritonwatch.report.TextReport;
import io.tritonwatch.stage.Outcome;
import io.tritonwatch.stage.StartupSummary;
import io.tritonwatch.stage.StartupTracker;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** {@code tritonwatch analyze [--format text|json|html] [FILE|-]}. */
final class AnalyzeCommand {

  static final int READY = 0;
  static final int FAILED = 1;
  static final int INCOMPLETE = 2;
  static final int NO_INPUT = 66;

  private AnalyzeCommand() {}

  /**
   * The report needs the diagnosis catalogue only at the end, but reading it (its resource
   * opens the jar, which nothing else does in a run whose classes come from the archive) is a
   * noticeable part of a short run: it is read meanwhile, on a thread of its own.
   */
  private static void preloadDiagnoses() {
    Thread t = new Thread(new Runnable() {
      @Override
      public void run() {
        Catalogue.builtIn();
      }
    }, "diagnoses");
    t.setDaemon(true);
    t.start();
  }

  static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    // Stamps without a zone are read as UTC, so the year is UTC's too; and the local zone
    // would cost reading the time-zone database at every start. LocalDate, not
    // Year: Year's class builds a date formatter, which starts the method-handle machinery.
    return run(args, stdin, out, err, LocalDate.now(ZoneOffset.UTC).getYear());
  }

  /** @param defaultYear the year for logs whose stamps carry none (glog, vLLM) */
  static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err, int defaultYear) {
    String format = "text";
    String file = null;
    String history = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        out.print(usage());
        return 0;
      } else if (a.equals("--version")) {
        out.println("tritonwatch " + Version.get());
        return 0;
      } else if (a.equals("--format") || a.equals("-f")) {
        if (i + 1 >= args.length) {
          err.println("tritonwatch analyze: --format needs a value: text, json or html");
          return Main.USAGE;
        }
        format = args[++i];
      } else if (a.equals("--history")) {
        if (i + 1 >= args.length) {
          err.println("tritonwatch analyze: --history needs the daemon's history file");
          return Main.USAGE;
        }
        history = args[++i];
      } else if (a.startsWith("--format=")) {
        format = a.substring("--format=".length());
      } else if (a.startsWith("-") && !a.equals("-")) {
        err.println("tritonwatch analyze: unknown option '" + a + "'");
        err.print(usage());
        return Main.USAGE;
      } else if (file == null) {
        file = a;
      } else {
        err.println("tritonwatch analyze: one log at a time; got '" + file + "' and '" + a + "'");
        return Main.USAGE;
      }
    }
    if (!format.equals("text") && !format.equals("json") && !format.equals("html")) {
      err.println("tritonwatch analyze: --format must be text, json or html, not '" + format + "'");
      return Main.USAGE;
    }
    preloadDiagnoses();
    StartupTracker tracker = new StartupTracker(defaultYear);
    try (InputStream in = open(file, stdin)) {
      try (ChunkedFeed feed = new ChunkedFeed(tracker, Runtime.getRuntime().availableProcessors(),
          TextLines.DEFAULT_MAX_CHARS, ChunkedFeed.CHUNK_BYTES)) {
        feed.read(in);
      }
    } catch (NoSuchFileException e) {
      err.println("tritonwatch analyze: no such file: " + file);
      return NO_INPUT;
    } catch (AccessDeniedException e) {
      err.println("tritonwatch analyze: permission denied: " + file);
      return NO_INPUT;
    } catch (IOException e) {
      err.println("tritonwatch analyze: cannot read " + (file == null ? "stdin" : file) + ": " + e.getMessage());
      return NO_INPUT;
    }
    StartupSummary summary = tracker.summary();
    Compared compared;
    try {
      compared = compared(summary, history);
    } catch (IOException e) {
      err.println("tritonwatch analyze: --history " + history + ": " + e.getMessage());
      return NO_INPUT;
    }
    return report(format, file, history, summary, compared, out, err);
  }

  /** Writes the report in its format; the exit code says the outcome (or that writing failed). */
  private static int report(String format, String file, String history, StartupSummary summary, Compared compared,
                            PrintStream out, PrintStream err) {
    if (format.equals("json")) {
      try {
        java.util.Map<String, Object> tree = SummaryJson.tree(summary);
        if (history != null) {
          tree.put("usual", compared == null ? null : SummaryJson.usual(compared.expectation(), summary.stages()));
        }
        SummaryJson.write(tree, out);
      } catch (IOException e) {
        err.println("tritonwatch analyze: cannot write the report: " + e.getMessage());
        return NO_INPUT;
      }
      out.println();
    } else if (format.equals("html")) {
      String name = file == null || file.equals("-") ? "standard input" : Path.of(file).getFileName().toString();
      out.print(HtmlReport.render("tritonwatch: " + name, List.of(new HtmlReport.Section(name, summary,
          compared == null ? null : compared.expectation()))));
    } else {
      out.print(TextReport.render(summary));
      if (compared != null) {
        out.print("\n" + UsualText.render(compared.expectation(), summary.stages(), compared.against()));
      } else if (history != null) {
        out.println("\nThe history has no ready start-up of a server with these models to compare with.");
      }
    }
    out.flush();
    return exitCode(summary.outcome());
  }

  /** What the latest start-up is compared with, and in words. */
  private record Compared(Expectation expectation, String against) {}

  /**
   * With a history file: the server in it with the latest start-up's models (the most start-ups
   * if several images served them). Without: the log's own earlier ready start-ups, if any.
   */
  private static Compared compared(StartupSummary s, String historyFile) throws IOException {
    io.tritonwatch.config.WatchConfig.HistorySettings hs;
    try {
      hs = ConfigLoader.load(null, Map.of(), Map.of()).history(); // the daemon's defaults judge as it would
    } catch (io.tritonwatch.config.ConfigException e) {
      throw new IllegalStateException("the built-in defaults: " + e.getMessage(), e);
    }
    double slow = hs.slowFactor();
    double stuck = hs.stuckFactor();
    double min = hs.minStageSeconds();
    if (historyFile == null) {
      Usual u = Comparison.ofEarlierRuns(s.runs());
      return u == null ? null : new Compared(new Expectation(u, slow, stuck, min),
          u.startups() + " earlier ready start-up" + (u.startups() == 1 ? "" : "s") + " in this log");
    }
    java.util.Set<String> models = new java.util.TreeSet<>();
    s.models().forEach(m -> models.add(m.name()));
    java.util.Map<String, java.util.List<StartupRecord>> byIdentity = new java.util.HashMap<>();
    for (StartupRecord r : SqliteStore.read(Path.of(historyFile))) {
      if (new java.util.TreeSet<>(r.models()).equals(models)) {
        byIdentity.computeIfAbsent(r.identity(), k -> new java.util.ArrayList<>()).add(r);
      }
    }
    java.util.Map.Entry<String, java.util.List<StartupRecord>> best = null;
    for (var e : byIdentity.entrySet()) {
      if (best == null || e.getValue().size() > best.getValue().size()) {
        best = e;
      }
    }
    Usual u = best == null ? null : Usual.of(best.getKey(), best.getValue(), 1);
    return u == null ? null : new Compared(new Expectation(u, slow, stuck, min),
        u.startups() + " ready start-up" + (u.startups() == 1 ? "" : "s") + " of " + u.identity() + " in " + historyFile);
  }

  static int exitCode(Outcome outcome) {
    return switch (outcome) {
      case READY -> READY;
      case FAILED, PARTIAL -> FAILED;
      case INCOMPLETE -> INCOMPLETE;
    };
  }

  private static InputStream open(String file, InputStream stdin) throws IOException {
    if (file == null || file.equals("-")) {
      return new BufferedInputStream(stdin, 1 << 16);
    }
    Path p = Path.of(file);
    if (Files.isDirectory(p)) {
      throw new IOException("is a directory");
    }
    InputStream in;
    try {
      // Not Files.newInputStream: its channel reads through a direct buffer and copies again.
      in = new FileInputStream(p.toFile());
    } catch (FileNotFoundException e) {
      in = Files.newInputStream(p); // throws the precise reason: no such file, access denied
    }
    return new BufferedInputStream(in, 1 << 16);
  }

  static String usage() {
    return """
        Usage: tritonwatch analyze [--format text|json|html] [--history FILE] [FILE|-]

        Reads a saved Triton or vLLM log (a file, or standard input when FILE is - or absent)
        and prints the start-up report.

          -f, --format text|json|html   [text]
                 text: verdict, every start-up with its stages, models, figures, errors
                 json: the summary contract (docs/summary-json.md)
                 html: a self-contained page with the stage timeline and GPU memory budget
          --history FILE  compare the latest start-up with the ready start-ups of the same
                          models in the daemon's history file (history.file); without it, a log
                          of several start-ups is compared with its own earlier ready ones
          -h, --help     this text
          --version      the version, git revision and build date

        Exit status: 0 ready, 1 failed (or a model failed), 2 incomplete, 64 usage error,
        66 input not readable.
        """;
  }
}
