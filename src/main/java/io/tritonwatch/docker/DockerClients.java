package io.tritonwatch.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds the Docker client. docker-java negotiates nothing: with no version it sends
 * unversioned paths and gets the daemon's newest API, whose event fields changed in 1.52. So we
 * ask {@code /version} once and pin min(daemon's API, the newest we test against).
 */
final class DockerClients {

  /** The newest Engine API these code paths were checked against. */
  static final String NEWEST_TESTED = "1.47";

  private DockerClients() {}

  /** A client pinned to an API version, and that version (the raw log streams use it too). */
  record Engine(DockerClient client, String apiVersion) {}

  static Engine connect(URI host) throws IOException {
    String version;
    if ("unix".equals(host.getScheme())) {
      // One plain request on the socket: building a second docker-java client only to ask
      // the version costs most of a second at start.
      String[] v;
      try {
        v = EngineVersion.overUnixSocket(Path.of(host.getPath()));
      } catch (IOException e) {
        throw new IOException(describe(host, e), e);
      }
      version = choose(v[0], v[1]);
    } else {
      try (DockerClient bootstrap = client(host, null)) {
        Version v = bootstrap.versionCmd().exec();
        version = choose(v.getApiVersion(), v.getMinAPIVersion());
      } catch (RuntimeException e) {
        throw new IOException(describe(host, e), e);
      }
    }
    return new Engine(client(host, version), version);
  }

  static String choose(String daemon, String daemonMin) throws IOException {
    String chosen = compare(daemon, NEWEST_TESTED) < 0 ? daemon : NEWEST_TESTED;
    if (daemonMin != null && compare(chosen, daemonMin) < 0) {
      chosen = daemonMin;
    }
    if (compare(chosen, "1.41") < 0) {
      throw new IOException("Docker Engine API " + daemon + " is older than 1.41, the oldest supported");
    }
    return chosen;
  }

  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? Integer.parseInt(x[i]) : 0;
      int q = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  private static DockerClient client(URI host, String apiVersion) {
    DefaultDockerClientConfig.Builder cfg = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host.toString())
        .withDockerTlsVerify(false);
    if (apiVersion != null) {
      cfg.withApiVersion(apiVersion);
    }
    DefaultDockerClientConfig config = cfg.build();
    // On a socket, a context that is never initialised spares building the JDK's default one.
    // Over TCP the client speaks HTTPS whenever it has any context, so there it gets none.
    boolean tcp = "tcp".equals(config.getDockerHost().getScheme());
    // No response timeout: it becomes the read timeout of the log and event streams, which are
    // quiet for minutes at a time on a healthy server.
    ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig() == null && !tcp ? PlainTransport.NO_TLS : config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(5))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** A message that says what to fix, not a stack trace. */
  static String describe(URI host, Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = String.valueOf(root.getMessage());
    String lower = m.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("permission denied") || root instanceof java.nio.file.AccessDeniedException) {
      return "permission denied on " + host + ": run as a user in the socket's group (often 'docker') "
          + "or mount the socket readable by this user";
    }
    if (lower.contains("no such file") || lower.contains("connection refused")
        || root instanceof java.nio.file.NoSuchFileException || root instanceof java.net.ConnectException) {
      return "cannot reach the Docker engine at " + host + " (" + m + "): is dockerd running?";
    }
    return "Docker engine at " + host + ": " + root.getClass().getSimpleName() + ": " + m;
  }
}
