package io.tritonwatch.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code tritonwatch healthcheck}: asks the running daemon's {@code /healthz}, for container
 * health checks in images without curl. Reads the listen address the daemon reads
 * (TRITONWATCH_LISTEN, default port 9469); 0 = healthy, 1 = not.
 */
final class HealthCheck {
  private HealthCheck() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("--version"))) {
      out.println(args[0].equals("--version") ? "tritonwatch " + Version.get()
          : "Usage: tritonwatch healthcheck [--listen HOST:PORT]   (exit 0 when /healthz answers 200)");
      return 0;
    }
    String listen = args.length >= 2 && args[0].equals("--listen") ? args[1] : System.getenv("TRITONWATCH_LISTEN");
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
