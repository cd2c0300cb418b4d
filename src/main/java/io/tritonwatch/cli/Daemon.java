package io.tritonwatch.cli;

import io.tritonwatch.http.HttpEndpoints;
import io.tritonwatch.http.WebConfig;
import io.tritonwatch.metrics.Metrics;
import io.tritonwatch.stage.Stage;
import io.tritonwatch.stage.StartupTracker;
import io.tritonwatch.watch.ContainerRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The parts every serving command shares: registry, metrics, HTTP, and a clean stop. */
final class Daemon implements AutoCloseable {

  final ContainerRegistry registry;
  final Metrics metrics;
  final HttpEndpoints http;
  private final CountDownLatch stopped = new CountDownLatch(1);

  Daemon(String host, int port, Map<Stage, Duration> stuckAfter) throws IOException {
    this(host, port, stuckAfter, WebConfig.NONE, HttpEndpoints.DEFAULT_RATE, StartupTracker.DEFAULT_MAX_MODELS);
  }

  Daemon(String host, int port, Map<Stage, Duration> stuckAfter, WebConfig web, double rate, int maxModels)
      throws IOException {
    registry = new ContainerRegistry(maxModels);
    metrics = new Metrics(registry, stuckAfter, Clock.systemUTC());
    metrics.buildInfo(Version.get(), Version.revision(), System.getProperty("java.version"));
    http = new HttpEndpoints(host, port, metrics, registry, web, rate);
  }

  void start() {
    http.start();
  }

  /** Blocks until SIGTERM/SIGINT (or {@link #close()}). */
  void awaitStop(AutoCloseable... sources) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (AutoCloseable s : sources) {
        try {
          s.close();
        } catch (Exception ignored) {
          // stopping anyway
        }
      }
      close();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    http.close();
    stopped.countDown();
  }
}
