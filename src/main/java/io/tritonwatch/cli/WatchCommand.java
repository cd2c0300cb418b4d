package io.tritonwatch.cli;

import io.tritonwatch.config.ConfigException;
import io.tritonwatch.config.ConfigLoader;
import io.tritonwatch.config.KeyNotes;
import io.tritonwatch.config.WatchConfig;
import io.tritonwatch.history.History;
import io.tritonwatch.watch.HistoryRecorder;
import io.tritonwatch.config.WatchConfig;
import io.tritonwatch.docker.DockerSource;
import io.tritonwatch.kubernetes.PodLogSource;
import io.tritonwatch.http.WebConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** {@code tritonwatch watch}: the daemon. */
final class WatchCommand {

  static final int CONFIG_ERROR = 78;
  static final int CANNOT_LISTEN = 75;

  private WatchCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    Parsed parsed = parse(args, out, err);
    if (parsed.exit() != null) {
      return parsed.exit();
    }
    Path file = parsed.file();
    Map<String, String> flags = parsed.flags();
    if (file == null) {
      file = fromEnvironment();
    }
    if (file != null && !Files.isReadable(file)) {
      err.println("tritonwatch watch: --config: cannot read " + file);
      return CONFIG_ERROR;
    }
    WatchConfig config;
    try {
      config = ConfigLoader.load(file, System.getenv(), flags);
    } catch (ConfigException e) {
      err.println("tritonwatch watch: bad configuration: " + e.getMessage());
      return CONFIG_ERROR;
    }
    Logging.configure(config.logFormat(), config.logLevel());
    WebConfig web = WebConfig.NONE;
    if (config.webConfigFile() != null) {
      try {
        web = WebConfig.load(config.webConfigFile());
      } catch (ConfigException e) {
        err.println("tritonwatch watch: bad web configuration: " + e.getMessage());
        return CONFIG_ERROR;
      }
    }
    Daemon daemon;
    try {
      daemon = new Daemon(config.listenHost(), config.listenPort(), config.stuckAfter(), web,
          config.maxRequestsPerSecond(), config.maxModelsPerContainer());
    } catch (BindException e) {
      err.println("tritonwatch watch: listen: cannot bind " + config.listenHost() + ":" + config.listenPort()
          + ": " + e.getMessage());
      return CANNOT_LISTEN;
    } catch (IOException e) {
      err.println("tritonwatch watch: listen: " + e.getMessage());
      return CANNOT_LISTEN;
    }
    AutoCloseable source = config.kubernetes().enabled() ? PodLogSource.of(config, daemon.registry)
        : new DockerSource(config, daemon.registry);
    History history = history(config);
    java.util.concurrent.ScheduledExecutorService recorder = record(config, daemon, history);
    daemon.start();
    if (config.healthFile() != null) {
      daemon.http.writeHealthTo(config.healthFile());
    }
    if (source instanceof PodLogSource pods) {
      pods.start();
    } else {
      ((DockerSource) source).start();
    }
    LoggerFactory.getLogger(WatchCommand.class).info("tritonwatch {} listening on {}:{}, {}",
        Version.get(), config.listenHost(), daemon.http.port(),
        config.kubernetes().enabled() ? "pod logs at " + config.kubernetes().logRoot() : "Docker at " + config.dockerHost());
    daemon.awaitStop(source, recorder::shutdownNow, history);
    return 0;
  }

  /** The command line: a config file and flags by config key, or the exit code of a command line that ends here. */
  private record Parsed(Path file, Map<String, String> flags, Integer exit) {}

  private static Parsed parse(String[] args, PrintStream out, PrintStream err) {
    Path file = null;
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        out.print(usage());
        return new Parsed(null, null, 0);
      }
      if (a.equals("--version")) {
        out.println("tritonwatch " + Version.get());
        return new Parsed(null, null, 0);
      }
      if (!a.startsWith("--")) {
        err.println("tritonwatch watch: unexpected argument '" + a + "'");
        return new Parsed(null, null, Main.USAGE);
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      String key = name.equals("config") ? "config" : ConfigLoader.keyOfFlag(name);
      if (key == null) {
        err.println("tritonwatch watch: unknown flag '--" + name + "' (see --help)");
        return new Parsed(null, null, Main.USAGE);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          err.println("tritonwatch watch: --" + name + " needs a value");
          return new Parsed(null, null, Main.USAGE);
        }
        value = args[++i];
      }
      if (key.equals("config")) {
        file = Path.of(value);
      } else {
        flags.put(key, value);
      }
    }
    return new Parsed(file, flags, null);
  }

  private static Path fromEnvironment() {
    String env = System.getenv("TRITONWATCH_CONFIG");
    return env != null && !env.isBlank() ? Path.of(env) : null;
  }

  private static History history(WatchConfig config) {
    WatchConfig.HistorySettings hs = config.history();
    return hs.file() == null ? History.inMemory(hs.keepPerServer(), hs.minStartups())
        : History.open(hs.file(), hs.keepPerServer(), hs.minStartups());
  }

  /** Every 2 s, off the line path: finished start-ups go to the history, expectations come back. */
  private static java.util.concurrent.ScheduledExecutorService record(WatchConfig config, Daemon daemon,
                                                                      History history) {
    WatchConfig.HistorySettings hs = config.history();
    java.util.concurrent.ScheduledExecutorService recorder = java.util.concurrent.Executors
        .newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "history-recorder");
          t.setDaemon(true);
          return t;
        });
    HistoryRecorder rec = new HistoryRecorder(daemon.registry, history, hostName(), hs.slowFactor(), hs.stuckFactor(),
        hs.minStageSeconds());
    recorder.scheduleWithFixedDelay(() -> {
      try {
        rec.run();
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(WatchCommand.class).warn("start-up history: {}", e.toString());
      }
    }, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
    return recorder;
  }

  /** The host the daemon runs on, as the history records it. */
  static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  static String usage() {
    StringBuilder b = new StringBuilder("""
        Usage: tritonwatch watch [--config FILE] [--KEY VALUE ...]

        Follows the logs of Triton and vLLM containers through the Docker API and serves
        /metrics (Prometheus), /status (JSON), /healthz and the start-up page at /.

          -h, --help           this text
          --version            the version, git revision and build date
          --config FILE        YAML configuration (also TRITONWATCH_CONFIG); see config/tritonwatch.yml

        Every configuration key is also a flag (--KEY VALUE or --KEY=VALUE) and an environment
        variable; a flag wins over the environment, which wins over the file. Defaults in brackets:
        """);
    Map<String, String> defaults = ConfigLoader.defaults();
    for (Map.Entry<String, String> k : KeyNotes.read().entrySet()) {
      String d = defaults.getOrDefault(k.getKey(), "");
      b.append(String.format("%n  --%s VALUE   [%s]%n      %s%n", ConfigLoader.flagName(k.getKey()),
          d.isEmpty() ? "none" : d.replace("\n", ","), ConfigLoader.envName(k.getKey())));
      for (String line : wrap(k.getValue(), 90)) {
        b.append("      ").append(line).append('\n');
      }
    }
    b.append("\nDOCKER_HOST is honoured as docker.host.\n");
    return b.toString();
  }

  private static java.util.List<String> wrap(String text, int width) {
    java.util.List<String> out = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      out.add(line.toString());
    }
    return out;
  }

}
