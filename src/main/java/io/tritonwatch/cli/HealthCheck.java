package io.tritonwatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code tritonwatch healthcheck}: whether the running daemon is healthy, 0 yes, 1 no. With a
 * health file (the daemon's {@code health.file}, TRITONWATCH_HEALTH_FILE) it reads that: it
 * must say ok and be fresh. Otherwise it asks {@code /healthz} over plain HTTP at the listen
 * address the daemon reads (TRITONWATCH_LISTEN, default port 9469).
 */
final class HealthCheck {
  private HealthCheck() {}

  /** Three missed renewals: the daemon is not keeping it. */
  static final long FRESH_SECONDS = 20;

  static String usage() {
    return """
        Usage: tritonwatch healthcheck [--file PATH | --listen HOST:PORT]

        Exit 0 when the running daemon is healthy, 1 when not (the reason on standard error).

          --file PATH          read the daemon's health file [TRITONWATCH_HEALTH_FILE]: healthy when
                               it says ok and was renewed in the last 20 s (works with TLS and auth on)
          --listen HOST:PORT   ask http://HOST:PORT/healthz [TRITONWATCH_LISTEN, else 127.0.0.1:9469]
          -h, --help           this text
          --version            the version, git revision and build date
        """;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String listen = System.getenv("TRITONWATCH_LISTEN");
    String file = System.getenv("TRITONWATCH_HEALTH_FILE");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          out.print(usage());
          return 0;
        }
        case "--version" -> {
          out.println("tritonwatch " + Version.get());
          return 0;
        }
        case "--listen", "--file" -> {
          if (i + 1 >= args.length) {
            err.println("tritonwatch healthcheck: " + args[i] + " needs a value");
            return Main.USAGE;
          }
          if (args[i].equals("--listen")) {
            listen = args[++i];
            file = null;
          } else {
            file = args[++i];
          }
        }
        default -> {
          err.println("tritonwatch healthcheck: unknown option '" + args[i] + "'");
          err.print(usage());
          return Main.USAGE;
        }
      }
    }
    return file != null && !file.isBlank() ? fromFile(Path.of(file), out, err) : fromHttp(listen, out, err);
  }

  private static int fromFile(Path file, PrintStream out, PrintStream err) {
    try {
      long age = Duration.between(Files.getLastModifiedTime(file).toInstant(), Instant.now()).toSeconds();
      String said = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (age > FRESH_SECONDS) {
        err.println("healthcheck: " + file + " was last renewed " + age + " s ago: the daemon is not keeping it");
        return 1;
      }
      (said.equals("ok") ? out : err).println(said);
      return said.equals("ok") ? 0 : 1;
    } catch (IOException e) {
      err.println("healthcheck: " + file + ": " + e);
      return 1;
    }
  }

  private static int fromHttp(String listen, PrintStream out, PrintStream err) {
    if (listen == null || listen.isBlank()) {
      listen = "127.0.0.1:9469";
    }
    int colon = listen.lastIndexOf(':');
    String host = colon > 0 ? listen.substring(0, colon) : "127.0.0.1";
    if (host.equals("0.0.0.0") || host.isEmpty() || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    String url = "http://" + host + ":" + listen.substring(colon + 1) + "/healthz";
    try {
      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
          .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.ofString());
      (r.statusCode() == 200 ? out : err).print(r.body());
      return r.statusCode() == 200 ? 0 : 1;
    } catch (Exception e) {
      err.println("healthcheck: " + url + ": " + e);
      return 1;
    }
  }
}
