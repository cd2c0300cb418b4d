package io.tritonwatch.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API client against a local stub of the API server on loopback (not a real API server:
 * none runs here), answering as the pods API does: a list with a resource version, a watch
 * stream of events and bookmarks, a 410 for a version too old. Every request must carry this
 * node's field selector and the service account's token.
 */
class KubeApiStubTest {

  static final String POD = """
      {"metadata":{"name":"triton-0","namespace":"inference","uid":"u-1","resourceVersion":"%s",
        "labels":{"app":"triton"},"annotations":{"tritonwatch.enable":"true"}},
       "spec":{"nodeName":"node-a","containers":[{"name":"triton","image":"nvcr.io/nvidia/tritonserver:24.07-py3"}]},
       "status":{"containerStatuses":[{"name":"triton","restartCount":%d,"image":"x",
         "state":{"running":{"startedAt":"2026-12-05T10:00:00Z"}},
         "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2026-12-05T09:59:58Z"}}}]}}""";

  @TempDir
  Path dir;
  private HttpServer stub;
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  final List<String> tokens = Collections.synchronizedList(new ArrayList<>());
  volatile String watchBody = "";
  volatile int watchStatus = 200;

  @BeforeEach
  void start() throws Exception {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/api/v1/pods", x -> {
      requests.add(x.getRequestURI().getRawQuery());
      tokens.add(x.getRequestHeaders().getFirst("Authorization"));
      boolean watch = x.getRequestURI().getRawQuery().contains("watch=1");
      byte[] body = (watch ? watchBody
          : "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"100\"},\"items\":[" + POD.formatted("99", 1) + "]}")
          .getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(watch ? watchStatus : 200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    stub.start();
  }

  @AfterEach
  void stop() {
    stub.stop(0);
  }

  private KubeApi api() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "secret-token\n");
    return new KubeApi(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()), token, null, "node-a");
  }

  @Test
  void theListIsThisNodesPodsWithWhatSelectionAndExitsNeed() throws Exception {
    KubeApi.PodList list = api().list();
    assertEquals("100", list.resourceVersion());
    PodMeta p = list.pods().get("u-1");
    assertEquals("inference", p.namespace());
    assertEquals("triton-0", p.name());
    assertEquals("true", p.selectable().get("tritonwatch.enable"));
    assertEquals("triton", p.selectable().get("app"));
    PodMeta.Container c = p.containers().get("triton");
    assertEquals("nvcr.io/nvidia/tritonserver:24.07-py3", c.image());
    assertEquals(1, c.restartCount());
    assertTrue(c.running());
    assertEquals(137L, c.lastExitCode());
    assertEquals("OOMKilled", c.lastReason());
    assertEquals(List.of("fieldSelector=spec.nodeName%3Dnode-a"), requests);
    assertEquals(List.of("Bearer secret-token"), tokens);
  }

  @Test
  void theWatchGoesOnFromTheListsVersionAndTellsEveryEvent() throws Exception {
    watchBody = "{\"type\":\"MODIFIED\",\"object\":" + POD.formatted("101", 2).replace("\n", "") + "}\n"
        + "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"150\"}}}\n"
        + "{\"type\":\"DELETED\",\"object\":" + POD.formatted("160", 2).replace("\n", "") + "}\n";
    List<KubeApi.Event> events = new ArrayList<>();
    api().watch("100", events::add);
    assertEquals(List.of("MODIFIED", "BOOKMARK", "DELETED"), events.stream().map(KubeApi.Event::type).toList());
    assertEquals(List.of("101", "150", "160"), events.stream().map(KubeApi.Event::resourceVersion).toList());
    assertEquals(2, events.get(0).pod().containers().get("triton").restartCount());
    String q = requests.get(0);
    assertTrue(q.startsWith("fieldSelector=spec.nodeName%3Dnode-a&watch=1&allowWatchBookmarks=true"), q);
    assertTrue(q.endsWith("&resourceVersion=100"), q);
  }

  @Test
  void aVersionTooOldIsGoneAsAStatusOrAnEvent() throws Exception {
    watchStatus = 410;
    watchBody = "{}";
    assertThrows(KubeApi.Gone.class, () -> api().watch("1", e -> { }));
    watchStatus = 200;
    watchBody = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"message\":\"too old resource version\"}}\n";
    assertThrows(KubeApi.Gone.class, () -> api().watch("1", e -> { }));
  }

  /** A key pair for 127.0.0.1 in a PKCS12 store and its certificate as PEM, made by the JDK's keytool. */
  private static Path[] certificate(Path dir, String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".crt");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    for (List<String> cmd : List.of(
        List.of(keytool, "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
            "CN=" + name, "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype",
            "PKCS12", "-storepass", "changeit"),
        List.of(keytool, "-exportcert", "-rfc", "-alias", "api", "-keystore", store.toString(), "-storepass",
            "changeit", "-file", pem.toString()))) {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), out);
    }
    return new Path[] {store, pem};
  }

  @Test
  void inTheClusterTheApiIsHttpsTrustedByTheServiceAccountsCaAndNoOther() throws Exception {
    Path[] server = certificate(dir, "api-server");
    Path[] other = certificate(dir, "someone-else");
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(server[0])) {
      ks.load(in, "changeit".toCharArray());
    }
    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, "changeit".toCharArray());
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
        new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ctx));
    https.createContext("/api/v1/pods", x -> {
      tokens.add(x.getRequestHeaders().getFirst("Authorization"));
      byte[] body = ("{\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[" + POD.formatted("7", 0) + "]}")
          .getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    https.start();
    try {
      Path token = Files.writeString(dir.resolve("token"), "projected-token\n");
      URI base = URI.create("https://127.0.0.1:" + https.getAddress().getPort());
      KubeApi api = new KubeApi(base, token, server[1], "node-a");
      assertEquals("7", api.list().resourceVersion());
      assertEquals(List.of("Bearer projected-token"), tokens);
      // The kubelet renews the projected token: the next request reads it again.
      Files.writeString(token, "renewed-token\n");
      api.list();
      assertEquals("Bearer renewed-token", tokens.get(1));
      assertThrows(java.io.IOException.class, () -> new KubeApi(base, token, other[1], "node-a").list(),
          "a server the cluster's CA did not sign is refused");
    } finally {
      https.stop(0);
    }
  }

  @Test
  void theWatcherListsAgainAfterGoneAndKeepsThePods() throws Exception {
    watchStatus = 410;
    watchBody = "{}";
    PodWatch w = new PodWatch(api());
    w.start();
    try {
      long end = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < end && requests.stream().filter(r -> !r.contains("watch=1")).count() < 2) {
        Thread.sleep(20);
      }
      assertTrue(w.synced());
      assertEquals("triton-0", w.pod("u-1").name());
      assertTrue(requests.stream().filter(r -> !r.contains("watch=1")).count() >= 2, "listed again: " + requests);
      assertTrue(requests.stream().allMatch(r -> r.startsWith("fieldSelector=spec.nodeName%3Dnode-a")), "" + requests);
    } finally {
      w.close();
    }
  }
}
