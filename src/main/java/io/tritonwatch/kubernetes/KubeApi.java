package io.tritonwatch.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tritonwatch.text.Rfc3339;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The three things tritonwatch asks the API server, on the JDK's HTTP client and the Jackson
 * the daemon already has: the pods of this node ({@code fieldSelector=spec.nodeName=NODE}),
 * a watch of them from a resource version (with bookmarks), and nothing else. In a cluster it
 * authenticates with the pod's service account, re-reading the projected token (the kubelet
 * renews it) and trusting the cluster's CA.
 */
final class KubeApi {

  /** The in-cluster service account, as the kubelet mounts it. */
  static final Path ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Path tokenFile;
  private final String node;
  private final HttpClient http;

  /**
   * @param base the API server ({@code https://host:port})
   * @param tokenFile the bearer token, read at each request; null for none
   * @param caFile the CA to trust for https; null for the JDK's default trust
   */
  KubeApi(URI base, Path tokenFile, Path caFile, String node) throws IOException {
    this.base = base;
    this.tokenFile = tokenFile;
    this.node = node;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (caFile != null && "https".equals(base.getScheme())) {
      b.sslContext(trusting(caFile));
    }
    this.http = b.build();
  }

  /** The API server this pod runs under, from the variables and files the kubelet gives every pod. */
  static KubeApi inCluster(String node) throws IOException {
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    String port = System.getenv("KUBERNETES_SERVICE_PORT");
    if (host == null || host.isBlank()) {
      throw new IOException("not in a cluster: KUBERNETES_SERVICE_HOST is not set");
    }
    String h = host.contains(":") ? "[" + host + "]" : host;
    return new KubeApi(URI.create("https://" + h + ":" + (port == null ? "443" : port)), ACCOUNT.resolve("token"),
        ACCOUNT.resolve("ca.crt"), node);
  }

  private static SSLContext trusting(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, (X509Certificate) c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("the cluster's CA " + caFile + ": " + e.getMessage(), e);
    }
  }

  private String selector() {
    return "fieldSelector=" + URLEncoder.encode("spec.nodeName=" + node, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String query, Duration timeout) throws IOException {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve("/api/v1/pods?" + query)).timeout(timeout)
        .header("Accept", "application/json");
    if (tokenFile != null && Files.exists(tokenFile)) {
      r.header("Authorization", "Bearer " + Files.readString(tokenFile).strip());
    }
    return r;
  }

  /** The pods of this node now, and the resource version to watch from. */
  record PodList(Map<String, PodMeta> pods, String resourceVersion) {}

  PodList list() throws IOException, InterruptedException {
    HttpResponse<InputStream> res = http.send(request(selector(), Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = res.body()) {
      if (res.statusCode() != 200) {
        throw new IOException("listing pods: HTTP " + res.statusCode() + " " + new String(body.readNBytes(300),
            StandardCharsets.UTF_8));
      }
      JsonNode list = JSON.readTree(body);
      Map<String, PodMeta> pods = new HashMap<>();
      for (JsonNode item : list.path("items")) {
        PodMeta p = pod(item);
        pods.put(p.uid(), p);
      }
      return new PodList(pods, list.path("metadata").path("resourceVersion").asText(""));
    }
  }

  /** A watch event: ADDED, MODIFIED, DELETED or BOOKMARK, with the pod and the resource version. */
  record Event(String type, PodMeta pod, String resourceVersion) {}

  /** The server answered a watch with 410 Gone: the version is too old, list again. */
  static final class Gone extends IOException {
    Gone(String why) {
      super(why);
    }
  }

  /**
   * Watches this node's pods from {@code resourceVersion} until the server ends the stream.
   *
   * @throws Gone when the version is too old and the pods must be listed again
   */
  void watch(String resourceVersion, Consumer<Event> events) throws IOException, InterruptedException {
    String q = selector() + "&watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion="
        + URLEncoder.encode(resourceVersion, StandardCharsets.UTF_8);
    HttpResponse<InputStream> res = http.send(request(q, Duration.ofSeconds(330)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      if (res.statusCode() == 410) {
        throw new Gone("HTTP 410");
      }
      if (res.statusCode() != 200) {
        throw new IOException("watching pods: HTTP " + res.statusCode());
      }
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode e = JSON.readTree(line);
        String type = e.path("type").asText("");
        JsonNode o = e.path("object");
        if (type.equals("ERROR")) {
          if (o.path("code").asInt() == 410) {
            throw new Gone(o.path("message").asText("resource version too old"));
          }
          throw new IOException("watching pods: " + o.path("message").asText(line));
        }
        String rv = o.path("metadata").path("resourceVersion").asText("");
        events.accept(new Event(type, type.equals("BOOKMARK") ? null : pod(o), rv));
      }
    }
  }

  static PodMeta pod(JsonNode o) {
    JsonNode md = o.path("metadata");
    Map<String, PodMeta.Container> containers = new HashMap<>();
    Map<String, String> images = new HashMap<>();
    for (JsonNode c : o.path("spec").path("containers")) {
      images.put(c.path("name").asText(), c.path("image").asText(null));
    }
    for (JsonNode st : o.path("status").path("containerStatuses")) {
      String name = st.path("name").asText();
      JsonNode term = st.path("state").path("terminated");
      JsonNode last = st.path("lastState").path("terminated");
      containers.put(name, new PodMeta.Container(images.getOrDefault(name, st.path("image").asText(null)),
          st.path("restartCount").asInt(0), !st.path("state").path("running").isMissingNode(),
          term.isMissingNode() ? null : term.path("exitCode").asLong(), text(term, "reason"),
          last.isMissingNode() ? null : last.path("exitCode").asLong(), text(last, "reason"), time(last, "finishedAt")));
    }
    for (Map.Entry<String, String> i : images.entrySet()) {
      containers.putIfAbsent(i.getKey(), new PodMeta.Container(i.getValue(), 0, false, null, null, null, null, null));
    }
    return new PodMeta(md.path("namespace").asText(""), md.path("name").asText(""), md.path("uid").asText(""),
        strings(md.path("labels")), strings(md.path("annotations")), containers);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isTextual() ? v.asText() : null;
  }

  private static Instant time(JsonNode n, String field) {
    return Rfc3339.instant(text(n, field));
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
