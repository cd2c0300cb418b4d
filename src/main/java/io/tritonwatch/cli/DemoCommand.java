package io.tritonwatch.cli;

import io.tritonwatch.history.History;
import io.tritonwatch.history.StartupRecord;
import io.tritonwatch.watch.HistoryRecorder;
import io.tritonwatch.config.ConfigException;
import io.tritonwatch.config.ConfigLoader;
import io.tritonwatch.input.TextLines;
import io.tritonwatch.pipeline.LineFeed;
import io.tritonwatch.source.RawLine;
import io.tritonwatch.text.ByteSearch;
import io.tritonwatch.text.Rfc3339;
import java.nio.charset.StandardCharsets;
import io.tritonwatch.parse.LineParser;
import io.tritonwatch.parse.LineTime;
import io.tritonwatch.stage.Stage;
import io.tritonwatch.stage.StartupTracker;
import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.watch.WatchedContainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tritonwatch demo}: replays bundled real start-ups through the same tracker, metrics and
 * HTTP as {@code watch}, at the pace their own timestamps give, so a newcomer sees /metrics and
 * /status fill up without Docker or a GPU. A start-up that comes up stays up, as a healthy
 * server does; the failing one exits 1 and starts again, as under Docker's
 * {@code --restart on-failure}: only a crash loop counts restarts.
 */
final class DemoCommand {

  private record DemoLog(String resource, String name, String image, boolean crashLoop) {}

  private static final List<DemoLog> LOGS = List.of(
      new DemoLog("/demo/vllm-ready.log", "demo-triton-vllm", "nvcr.io/nvidia/tritonserver:25.06-vllm-python-py3",
          false),
      new DemoLog("/demo/python-failing.log", "demo-triton-python", "nvcr.io/nvidia/tritonserver:24.01-py3", true),
      new DemoLog("/demo/vllm-serve-ready.log", "demo-vllm-serve", "vllm/vllm-openai:v0.19.1", false));

  private static final String USAGE = """
        Usage: tritonwatch demo [--listen HOST:PORT] [--speed N]

        Replays three real start-ups (Triton + vLLM coming up READY; a Python model failing to
        load in a crash loop; a standalone vLLM server) and serves /metrics, /status,
        /healthz and the timeline page at / as 'watch' does.

          --listen HOST:PORT   [127.0.0.1:9469]
          --speed N            [1] replay N times faster than the logs' own pace
          -h, --help           this text
          --version            the version, git revision and build date
        """;

  private DemoCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    String listen = "127.0.0.1:9469";
    double speed = 1.0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          out.print(USAGE);
          return 0;
        }
        case "--version" -> {
          out.println("tritonwatch " + Version.get());
          return 0;
        }
        case "--listen" -> {
          if (++i >= args.length) {
            err.println("tritonwatch demo: --listen needs HOST:PORT");
            return Main.USAGE;
          }
          listen = args[i];
        }
        case "--speed" -> {
          if (++i >= args.length) {
            err.println("tritonwatch demo: --speed needs a number");
            return Main.USAGE;
          }
          speed = positive(args[i]);
          if (!(speed > 0)) {
            err.println("tritonwatch demo: --speed must be a positive number, got '" + args[i] + "'");
            return Main.USAGE;
          }
        }
        default -> {
          err.println("tritonwatch demo: unknown option '" + a + "'");
          return Main.USAGE;
        }
      }
    }
    int colon = listen.lastIndexOf(':');
    int port = port(listen.substring(colon + 1));
    if (port < 0) {
      err.println("tritonwatch demo: --listen wants HOST:PORT, got '" + listen + "'");
      return Main.USAGE;
    }
    Logging.configure("text", "info");
    io.tritonwatch.config.WatchConfig defaults = defaults(err);
    if (defaults == null) {
      return 70;
    }
    Map<Stage, Duration> stuck = defaults.stuckAfter();
    io.tritonwatch.config.WatchConfig.HistorySettings hs = defaults.history();
    Daemon daemon;
    try {
      daemon = new Daemon(listen.substring(0, Math.max(0, colon)), port, stuck);
    } catch (BindException e) {
      err.println("tritonwatch demo: --listen: cannot bind " + listen + ": " + e.getMessage());
      return WatchCommand.CANNOT_LISTEN;
    } catch (IOException e) {
      err.println("tritonwatch demo: " + e.getMessage());
      return WatchCommand.CANNOT_LISTEN;
    }
    daemon.registry.connected();
    daemon.start();
    // A history as watch keeps it, already holding three earlier start-ups of each server that
    // comes up, read from its own bundled log: the history's series, alerts and panels have
    // something to show from the first minute (a real daemon learns them from real start-ups).
    History history = History.inMemory(hs.keepPerServer(), 3);
    HistoryRecorder recorder = new HistoryRecorder(daemon.registry, history, "demo", hs.slowFactor(), hs.stuckFactor(),
        hs.minStageSeconds());
    out.println("tritonwatch demo: listening on " + listen.substring(0, Math.max(0, colon)) + ":" + daemon.http.port()
        + " - open /metrics and /status; Ctrl-C stops it");
    out.flush();
    java.util.concurrent.ScheduledExecutorService learn = replay(daemon, history, recorder, speed, err);
    if (learn == null) {
      return 70;
    }
    daemon.awaitStop(learn::shutdownNow, history);
    return 0;
  }

  /** Starts a replay of each bundled log and the history's recorder; null if a log cannot be read. */
  private static java.util.concurrent.ScheduledExecutorService replay(Daemon daemon, History history,
                                                                      HistoryRecorder recorder, double speed,
                                                                      PrintStream err) {
    List<Thread> threads = new ArrayList<>();
    int n = 0;
    for (DemoLog log : LOGS) {
      String id = String.format("demo%060d", ++n);
      List<String> lines;
      try {
        lines = load(log.resource());
      } catch (IOException e) {
        err.println("tritonwatch demo: cannot read bundled " + log.resource() + ": " + e.getMessage());
        return null;
      }
      if (!log.crashLoop()) {
        earlierStartUps(history, log, lines);
      }
      double pace = speed;
      Thread t = new Thread(() -> replay(daemon, id, log, lines, pace), "demo-" + log.name());
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    java.util.concurrent.ScheduledExecutorService learn = java.util.concurrent.Executors
        .newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "history-recorder");
          t.setDaemon(true);
          return t;
        });
    learn.scheduleWithFixedDelay(recorder, 0, 2, java.util.concurrent.TimeUnit.SECONDS);
    return learn;
  }

  /** The documented defaults, as watch runs with them when no file, variable or flag says otherwise. */
  private static io.tritonwatch.config.WatchConfig defaults(PrintStream err) {
    try {
      return ConfigLoader.load(null, Map.of(), Map.of());
    } catch (ConfigException e) {
      err.println("tritonwatch demo: the built-in defaults: " + e.getMessage());
      return null;
    }
  }

  private static int port(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static double positive(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Three earlier start-ups of the log's server: its own start-up, one, two and three days before. */
  private static void earlierStartUps(History history, DemoLog log, List<String> lines) {
    StartupTracker t = new StartupTracker(LocalDate.now(ZoneOffset.UTC).getYear());
    LineFeed feed = new LineFeed(t, null);
    for (String line : lines) {
      feed.text(line, null);
    }
    for (io.tritonwatch.stage.RunSummary r : t.summary().runs()) {
      if (r.start() == null || r.outcome() != io.tritonwatch.stage.Outcome.READY) {
        continue;
      }
      StartupRecord own = StartupRecord.of(r, log.image(), "demo", log.name());
      for (int day = 1; day <= 3; day++) {
        history.record(new StartupRecord(own.image(), own.models(), own.host(), own.container(), own.outcome(),
            Instant.now().minus(Duration.ofDays(day)), own.startupSeconds(), own.stageSeconds(), own.figures()));
      }
    }
  }

  private static List<String> load(String resource) throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing from the jar");
      }
      TextLines.read(in, TextLines.DEFAULT_MAX_CHARS, lines::add);
    }
    return lines;
  }

  private static void replay(Daemon daemon, String id, DemoLog log, List<String> lines, double speed) {
    int year = LocalDate.now(ZoneOffset.UTC).getYear();
    WatchedContainer c = null;
    RawLine raw = new RawLine();
    try {
      while (true) {
        ContainerInfo info = new ContainerInfo(id, log.name(), log.image(), Map.of(), false, true, Instant.now(), null, 0, null);
        if (c == null) {
          c = daemon.registry.add(new WatchedContainer(info, StartupTracker.DEFAULT_MAX_MODELS));
        } else {
          c.restarted(info); // a new run of the replay, with its own StartedAt
        }
        Instant previous = null;
        for (String line : lines) {
          LineTime lt = LineParser.parse(0, line).time();
          Instant t = lt == null ? null : lt.toInstant(year);
          if (t != null && previous != null && t.isAfter(previous)) {
            long ms = Math.min(10_000, (long) (Duration.between(previous, t).toMillis() / speed));
            Thread.sleep(ms);
          }
          if (t != null) {
            previous = t;
          }
          // Stamped now, as the engine stamps a line, so the live clock drives stages as in 'watch'.
          byte[] b = line.getBytes(StandardCharsets.UTF_8);
          c.line(raw.set(RawLine.STDOUT, Rfc3339.nanos(Instant.now()), b, 0, b.length,
              ByteSearch.control(b, 0, b.length) < b.length));
        }
        if (!log.crashLoop()) {
          Thread.sleep(Long.MAX_VALUE); // up and serving until the demo stops
        }
        c.died(1L);
        Thread.sleep((long) (30_000 / speed));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
