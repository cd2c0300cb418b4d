package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real tritonwatch jar, started as its own process on a loopback port chosen by the OS. */
final class Daemon implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final Process process;
  final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private volatile int port = -1;

  private Daemon(Process p) {
    this.process = p;
  }

  static String jar() {
    String jar = System.getProperty("tritonwatch.jar", "target/tritonwatch.jar");
    if (!new java.io.File(jar).isFile()) {
      fail("build the jar first (mvn package): " + jar);
    }
    return jar;
  }

  /** Starts {@code tritonwatch watch} with these flags (plus --listen 127.0.0.1:0). */
  static Daemon start(List<String> prefix, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("watch", "--listen", "127.0.0.1:0"));
    args.addAll(List.of(flags));
    return launch(prefix, args);
  }

  /** Starts any serving command of the jar; it must print "listening on HOST:PORT". */
  static Daemon startCommand(List<String> args) throws Exception {
    return launch(List.of(), args);
  }

  private static Daemon launch(List<String> prefix, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of("java", "-XX:+UseSerialGC", "-Xmx64m", "-jar", jar()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("DOCKER_HOST");
    Daemon d = new Daemon(pb.start());
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(d.process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          d.log.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            d.port = Integer.parseInt(m.group(1));
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (d.port < 0) {
      if (!d.process.isAlive() || System.nanoTime() > deadline) {
        d.process.destroyForcibly();
        fail("tritonwatch did not start listening; its output:\n" + String.join("\n", d.log));
      }
      Thread.sleep(20);
    }
    return d;
  }

  static Daemon start(String... flags) throws Exception {
    return start(List.of(), flags);
  }

  int port() {
    return port;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  String metrics() throws Exception {
    return get("/metrics").body();
  }

  JsonNode status() throws Exception {
    return new ObjectMapper().readTree(get("/status").body());
  }

  /** The value of one series, or null when it is absent. */
  static Double value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).strip());
      }
    }
    return null;
  }

  /** Polls until the condition holds; fails with the last value seen. */
  <T> T await(String what, Duration timeout, Poll<T> poll, Predicate<T> ok) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    Exception lastError = null;
    while (System.nanoTime() < deadline) {
      try {
        last = poll.get();
        if (ok.test(last)) {
          return last;
        }
      } catch (Exception e) {
        lastError = e;
      }
      Thread.sleep(100);
    }
    fail("timed out waiting for " + what + "; last seen: " + last + (lastError == null ? "" : " (" + lastError + ")")
        + "\ntritonwatch output:\n" + String.join("\n", log));
    return null;
  }

  interface Poll<T> {
    T get() throws Exception;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
