package io.tritonwatch.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.tritonwatch.metrics.Metrics;
import io.tritonwatch.report.HtmlReport;
import io.tritonwatch.watch.WatchedContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import io.tritonwatch.watch.ContainerRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /metrics}, {@code /healthz}, {@code /status} on the JDK's HTTP server. */
public final class HttpEndpoints implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

  private final HttpServer server;
  private final RequestGuard guard;
  private final ExecutorService pool;
  /** Response headers the web config asks every answer to carry. */
  private final java.util.Map<String, String> headers;
  private final ContainerRegistry registry;
  private volatile HealthFile health;

  /** A few Prometheus servers and a dashboard are far below this; a flood is not. */
  public static final double DEFAULT_RATE = 20;
  static final int MAX_THREADS = 128;
  /** Seconds a client has to send its request, and to take the answer. */
  static final String MAX_REQUEST_SECONDS = "10";
  static final String MAX_RESPONSE_SECONDS = "30";

  static {
    // Read once by the JDK server's configuration, before the first server is made; a value
    // given on the command line wins. Without them a half-sent request is waited on forever.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    }
  }

  public HttpEndpoints(String host, int port, Metrics metrics, ContainerRegistry registry, WebConfig web,
                       double ratePerSecond) throws IOException {
    if (web.tlsOn()) {
      HttpsServer https = HttpsServer.create(new InetSocketAddress(host, port), 16);
      try {
        https.setHttpsConfigurator(TlsContext.configurator(web.tls()));
      } catch (io.tritonwatch.config.ConfigException e) {
        https.stop(0);
        throw new IOException(e.getMessage(), e);
      }
      server = https;
    } else {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    }
    this.registry = registry;
    guard = new RequestGuard(web.users(), ratePerSecond);
    headers = web.headers();
    if (web.http2()) {
      LOG.info("the web config asks for HTTP/2; this endpoint speaks HTTP/1.1, which every Prometheus scrapes");
    }
    // The JDK server reads a request's headers on a pool thread: a client that sends half a
    // request holds one until maxReqTime closes it. Up to MAX_THREADS threads, made on demand
    // and let go when idle: a few slow or hostile clients cannot take every thread, and a quiet
    // sidecar holds none.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "http");
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    pool = executor;
    server.setExecutor(pool);
    server.createContext("/metrics", ex -> handle(ex, () -> {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(64 * 1024);
      metrics.scrape(buf);
      return new Reply(200, Metrics.CONTENT_TYPE, buf.toByteArray());
    }));
    server.createContext("/healthz", ex -> handle(ex, () -> {
      boolean ok = registry.sourceConnected();
      String body = ok ? "ok\n" : "not connected: " + registry.sourceProblem() + "\n";
      return new Reply(ok ? 200 : 503, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }));
    StatusJson status = new StatusJson(registry);
    server.createContext("/status", ex -> handle(ex, () -> new Reply(200, "application/json", status.render())));
    server.createContext("/", ex -> handle(ex, () -> {
      if (!ex.getRequestURI().getPath().equals("/")) {
        return new Reply(404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
      }
      List<HtmlReport.Section> sections = new ArrayList<>();
      List<WatchedContainer> all = new ArrayList<>(registry.all());
      all.sort(Comparator.comparing(WatchedContainer::name));
      for (WatchedContainer c : all) {
        // On Kubernetes many pods' containers share a name: the page names the pod too.
        String pod = c.info().place().get("pod");
        String title = pod == null ? c.name() : c.info().place().get("namespace") + "/" + pod + "/" + c.name();
        sections.add(new HtmlReport.Section(title, c.summary(), c.expectation()));
      }
      String body = HtmlReport.render("tritonwatch: start-ups", sections);
      return new Reply(200, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }));
  }

  public void start() {
    server.start();
  }

  /** Writes the health {@code /healthz} would answer to this file every few seconds (see HealthFile). */
  public void writeHealthTo(java.nio.file.Path file) {
    HealthFile h = new HealthFile(file, server.getAddress(), pool,
        () -> registry.sourceConnected() ? null : "not connected: " + registry.sourceProblem());
    health = h;
    h.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The body in pieces, sent one after another. */
  private record Reply(int status, String type, List<byte[]> body) {
    Reply(int status, String type, byte[] body) {
      this(status, type, List.of(body));
    }

    long length() {
      long n = 0;
      for (byte[] b : body) {
        n += b.length;
      }
      return n;
    }
  }

  private interface Handler {
    Reply get() throws IOException;
  }

  private void handle(HttpExchange ex, Handler h) throws IOException {
    try (ex) {
      headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      int refused = guard.check(ex);
      String path = ex.getRequestURI().getPath();
      String context = ex.getHttpContext().getPath();
      if (refused == 0 && !context.equals("/") && !path.equals(context)) {
        // Contexts match by prefix: /metricsXYZ and /status/../x are not /metrics and /status.
        refused = 404;
      }
      if (refused != 0) {
        if (refused == 405) {
          ex.getResponseHeaders().set("Allow", "GET, HEAD");
        } else if (refused == 401) {
          ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"tritonwatch\"");
        }
        ex.sendResponseHeaders(refused, -1);
        return;
      }
      Reply r;
      try {
        r = h.get();
      } catch (IOException | RuntimeException e) {
        // Log the cause here; the client gets no stack trace.
        LOG.warn("{} failed: {}", ex.getRequestURI().getPath(), e.toString());
        r = new Reply(500, "text/plain; charset=utf-8", "internal error\n".getBytes(StandardCharsets.UTF_8));
      }
      ex.getResponseHeaders().set("Content-Type", r.type());
      if (acceptsGzip(ex) && r.length() >= GZIP_FROM_BYTES) {
        // A fleet's exposition is mostly repeated label text: a scrape shrinks to about a tenth.
        r = gzip(r);
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      ex.getResponseHeaders().set("Vary", "Accept-Encoding");
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(r.status(), head ? -1 : r.length());
      if (!head) {
        try (OutputStream os = ex.getResponseBody()) {
          for (byte[] b : r.body()) {
            os.write(b);
          }
        }
      }
    }
  }

  static final int GZIP_FROM_BYTES = 1024;

  private static boolean acceptsGzip(HttpExchange ex) {
    for (String v : ex.getRequestHeaders().getOrDefault("Accept-Encoding", List.of())) {
      for (String part : v.split(",")) {
        String p = part.strip();
        if (p.equals("gzip") || p.startsWith("gzip;") && !p.replace(" ", "").equals("gzip;q=0")) {
          return true;
        }
      }
    }
    return false;
  }

  private static Reply gzip(Reply r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(r.length() / 4 + 64, 1 << 20));
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out, 8192)) {
      for (byte[] b : r.body()) {
        z.write(b);
      }
    }
    return new Reply(r.status(), r.type(), out.toByteArray());
  }

  @Override
  public void close() {
    HealthFile h = health;
    if (h != null) {
      h.close();
    }
    server.stop(0);
    pool.shutdownNow();
  }
}
