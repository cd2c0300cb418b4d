package io.tritonwatch.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The daemon's health, written to a file every few seconds for a container health check to
 * read with the shell. A health check that starts a JVM to ask {@code /healthz} costs a
 * fraction of a CPU second each time and needs the endpoint's TLS and credentials; this one
 * costs a few forks. What is written is what {@code /healthz} would answer, found the way a
 * request is served: the listening socket accepts a connection and a request thread runs the
 * check, so a wedged server or a starved pool stops the file being renewed.
 */
final class HealthFile implements AutoCloseable {

  static final long EVERY_SECONDS = 5;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HealthFile.class);

  private final Path file;
  private final InetSocketAddress listening;
  private final ExecutorService requestThreads;
  private final Supplier<String> problem;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "health-file");
    t.setDaemon(true);
    return t;
  });
  private String lastFailure;

  /** @param problem null when healthy, else why not (as /healthz says it) */
  HealthFile(Path file, InetSocketAddress listening, ExecutorService requestThreads, Supplier<String> problem) {
    this.file = file;
    this.listening = listening;
    this.requestThreads = requestThreads;
    this.problem = problem;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::renew, 0, EVERY_SECONDS, TimeUnit.SECONDS);
  }

  private void renew() {
    String state;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(loopbackFor(listening), listening.getPort()), 3000);
      Future<String> check = requestThreads.submit(problem::get);
      String why = check.get(EVERY_SECONDS, TimeUnit.SECONDS);
      state = why == null ? "ok" : why;
    } catch (java.util.concurrent.TimeoutException e) {
      state = "the request threads did not run the check within " + EVERY_SECONDS + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      state = "the endpoint does not accept connections: " + e.getMessage();
    }
    write(state + "\n");
  }

  private static java.net.InetAddress loopbackFor(InetSocketAddress a) {
    return a.getAddress() == null || a.getAddress().isAnyLocalAddress()
        ? java.net.InetAddress.getLoopbackAddress() : a.getAddress();
  }

  /** Written beside and moved over: a reader never sees half a file. */
  private void write(String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      lastFailure = null;
    } catch (IOException e) {
      String why = e.toString();
      if (!why.equals(lastFailure)) {
        LOG.warn("cannot write the health file {}: {}", file, why);
        lastFailure = why;
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
