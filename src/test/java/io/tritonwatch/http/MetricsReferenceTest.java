package io.tritonwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tritonwatch.metrics.Metrics;
import io.tritonwatch.stage.Stage;
import io.tritonwatch.source.ContainerInfo;
import io.tritonwatch.watch.ContainerRegistry;
import io.tritonwatch.watch.WatchedContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's metrics table against a live {@code /metrics}: the endpoint serving every real
 * log of the test corpus, one container each, plus a stopped container, one whose log lost
 * lines to rotation and one whose log cannot be read. Every series family it serves is in the
 * table with its type and labels, and every family in the table is served.
 */
class MetricsReferenceTest {

  private record Family(String type, Set<String> labels) {}

  /** The table: family name (as exposed, counters with _total) to its type and labels. */
  private static Map<String, Family> table() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf("\n## Metrics");
    String part = readme.substring(from, readme.indexOf("\n## ", from + 5));
    Map<String, Family> out = new TreeMap<>();
    Pattern row = Pattern.compile("(?m)^\\| (`[^|]+) \\| (gauge|counter) \\| ([^|]*) \\|");
    Matcher m = row.matcher(part);
    while (m.find()) {
      Set<String> labels = new TreeSet<>();
      for (String l : m.group(3).split(",")) {
        String t = l.replace("`", "").strip();
        if (!t.isEmpty() && !t.equals("none")) {
          labels.add(t);
        }
      }
      Matcher name = Pattern.compile("`([a-z_:]+)`").matcher(m.group(1));
      while (name.find()) {
        out.put(name.group(1), new Family(m.group(2), labels));
      }
    }
    return out;
  }

  private static Map<String, Family> served(String exposition) {
    Map<String, String> types = new TreeMap<>();
    Matcher t = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(exposition);
    while (t.find()) {
      types.put(t.group(1), t.group(2));
    }
    Map<String, Family> out = new TreeMap<>();
    Matcher s = Pattern.compile("(?m)^([a-zA-Z_:][\\w:]*)(\\{([^}]*)\\})? ").matcher(exposition);
    while (s.find()) {
      String name = s.group(1);
      String type = types.get(name);
      if (type == null && name.endsWith("_total")) {
        type = types.get(name.substring(0, name.length() - "_total".length()));
      }
      Set<String> labels = new TreeSet<>();
      Matcher l = Pattern.compile("(\\w+)=\"").matcher(s.group(3) == null ? "" : s.group(3));
      while (l.find()) {
        labels.add(l.group(1));
      }
      Family f = out.get(name);
      if (f != null) {
        labels.addAll(f.labels());
      }
      out.put(name, new Family(type, labels));
    }
    return out;
  }


  /** Three past ready start-ups in which every stage took 10 s and the whole 60 s. */
  static io.tritonwatch.history.Expectation usualExpectation() {
    java.util.Map<String, Double> stages = new java.util.LinkedHashMap<>();
    for (io.tritonwatch.stage.Stage st : io.tritonwatch.stage.Stage.values()) {
      if (!st.terminal()) {
        stages.put(st.id(), 10.0);
      }
    }
    java.util.List<io.tritonwatch.history.StartupRecord> past = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      past.add(new io.tritonwatch.history.StartupRecord("nvcr.io/nvidia/tritonserver", java.util.List.of("m"), "h",
          "c", "ready", Instant.parse("2026-11-20T10:00:00Z").plusSeconds(3600L * i), 60.0, stages, java.util.Map.of()));
    }
    return new io.tritonwatch.history.Expectation(io.tritonwatch.history.Usual.of("nvcr.io/nvidia/tritonserver|m", past, 3),
        1.5, 3, 1);
  }

  private static String liveScrape() throws Exception {
    ContainerRegistry registry = new ContainerRegistry();
    registry.connected();
    Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
    int n = 0;
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(Path.of("src/test/resources/logs"), "*.log")) {
      for (Path log : logs) {
        WatchedContainer c = registry.add(new WatchedContainer(new ContainerInfo("id" + n, "c" + n,
            "nvcr.io/nvidia/tritonserver", Map.of(), false, true, t0, null, 0, null), 200));
        for (String line : new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\r?\n")) {
          c.accept(line, t0);
        }
        switch (n++) {
          case 0 -> c.died(1L, t0.plusSeconds(3600));
          case 1 -> c.logGap("rotation");
          case 2 -> c.logUnreadable("logging driver none");
          default -> { }
        }
      }
    }
    // Two that this server's history judges: one ready, one still starting.
    List<String> seed = Files.readAllLines(Path.of("src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log"));
    for (int i = 0; i < 2; i++) {
      WatchedContainer c = registry.add(new WatchedContainer(new ContainerInfo("hist" + i, "hist" + i,
          "nvcr.io/nvidia/tritonserver", Map.of(), false, true, t0, null, 0, null), 200));
      for (String line : i == 0 ? seed : seed.subList(0, seed.size() / 2)) {
        c.accept(line, t0);
      }
      c.expectation(usualExpectation());
    }
    Map<Stage, Duration> stuck = new EnumMap<>(Stage.class);
    for (Stage s : Stage.values()) {
      if (!s.terminal()) {
        stuck.put(s, Duration.ofSeconds(600));
      }
    }
    Metrics metrics = new Metrics(registry, stuck, Clock.systemUTC());
    metrics.buildInfo("0.1.0", "test", System.getProperty("java.version"));
    HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, metrics, registry, WebConfig.NONE, 1000);
    http.start();
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port()
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    } finally {
      http.close();
    }
  }

  @Test
  void theReadmeTableIsWhatTheEndpointServes() throws Exception {
    Map<String, Family> served = served(liveScrape());
    Map<String, Family> table = table();
    Map<String, String> wrong = new TreeMap<>();
    for (Map.Entry<String, Family> s : served.entrySet()) {
      Family t = table.get(s.getKey());
      if (t == null) {
        wrong.put(s.getKey(), "served, not in the table: " + s.getValue());
      } else if (!t.equals(s.getValue())) {
        wrong.put(s.getKey(), "table says " + t + ", served " + s.getValue());
      }
    }
    for (String name : table.keySet()) {
      if (!served.containsKey(name)) {
        wrong.put(name, "in the table, not served");
      }
    }
    assertEquals(Map.of(), wrong, "README metrics table against a live /metrics");
  }

  @Test
  void theTableNamesOnlyTheTwoTypesExposed() throws Exception {
    assertEquals(Set.of("counter", "gauge"), Set.copyOf(List.copyOf(new TreeSet<>(
        table().values().stream().map(Family::type).toList()))));
  }
}
