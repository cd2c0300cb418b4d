package io.tritonwatch.http;

import io.tritonwatch.report.SummaryJson;
import io.tritonwatch.watch.ContainerRegistry;
import io.tritonwatch.watch.WatchedContainer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /status}: every watched container with its summary in the analyze JSON shape.
 *
 * <p>Each container's part is kept as text until something it shows changes. A busy server's
 * lines are nearly all noise that changes only {@code linesRead}, so a poll re-renders almost
 * nothing: with 20 busy containers, rebuilding and writing every summary per request was most
 * of the daemon's CPU under frequent polling and delayed the lines it was polling for.
 */
final class StatusJson {

  /** Stands where {@code linesRead} goes; strings are escaped, so it cannot occur elsewhere. */
  private static final String LINES_MARK = "\u0001";
  /** A container's part sits in root.containers[i]: one object deep, as the writer counts. */
  private static final int CONTAINER_DEPTH = 1;

  /** Stands where the containers go in the root object. */
  private static final String CONTAINERS_MARK = "\u0002";
  private static final byte[] BETWEEN = ", ".getBytes(StandardCharsets.UTF_8);

  /** A container's JSON in UTF-8, cut where its line count goes. */
  private record Rendered(long revision, byte[] head, byte[] tail) {}

  private final ContainerRegistry registry;
  private final Map<String, Rendered> cache = new ConcurrentHashMap<>();

  StatusJson(ContainerRegistry registry) {
    this.registry = registry;
  }

  /**
   * The document in pieces to be sent one after another: the kept parts are sent as they are,
   * not copied into one large array per request.
   */
  List<byte[]> render() {
    List<WatchedContainer> all = new ArrayList<>(registry.all());
    all.sort(Comparator.comparing(WatchedContainer::name));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("dockerConnected", registry.sourceConnected());
    root.put("containers", all.isEmpty() ? List.of() : List.of(new SummaryJson.Verbatim(CONTAINERS_MARK)));
    String frame = SummaryJson.write(root);
    int at = frame.indexOf(CONTAINERS_MARK);
    if (at < 0) {
      return List.of(frame.getBytes(StandardCharsets.UTF_8));
    }
    List<byte[]> out = new ArrayList<>(3 * all.size() + 2);
    out.add(frame.substring(0, at).getBytes(StandardCharsets.UTF_8));
    Set<String> present = new HashSet<>();
    for (WatchedContainer c : all) {
      if (!present.isEmpty()) {
        out.add(BETWEEN);
      }
      present.add(c.id());
      // Revision first: lines counted after it can only make the count newer than the text.
      long revision = c.statusRevision();
      Rendered r = cache.get(c.id());
      if (r == null || r.revision() != revision) {
        r = renderPart(c, revision);
        cache.put(c.id(), r);
      }
      out.add(r.head());
      out.add(Long.toString(c.linesRead()).getBytes(StandardCharsets.US_ASCII));
      out.add(r.tail());
    }
    cache.keySet().retainAll(present);
    out.add(frame.substring(at + CONTAINERS_MARK.length()).getBytes(StandardCharsets.UTF_8));
    return out;
  }

  /** The whole document as text. */
  String renderText() {
    StringBuilder sb = new StringBuilder();
    for (byte[] b : render()) {
      sb.append(new String(b, StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /** What this server's history says is usual, and how the latest start-up's stages compare; null without it. */
  static Map<String, Object> usual(WatchedContainer c) {
    io.tritonwatch.history.Expectation e = c.expectation();
    return e == null ? null : SummaryJson.usual(e, c.summary().stages());
  }

  private static Rendered renderPart(WatchedContainer c, long revision) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("name", c.name());
    m.put("namespace", c.info().place().get("namespace"));
    m.put("pod", c.info().place().get("pod"));
    m.put("image", c.info().image());
    m.put("running", c.running());
    m.put("restarts", c.restarts());
    m.put("exitCode", c.exitCode());
    m.put("lastExitCode", c.lastExitCode());
    m.put("lastExitReason", c.lastExitReason());
    m.put("startedAt", c.info().startedAt() == null ? null : c.info().startedAt().toString());
    m.put("logReader", c.logReader());
    m.put("logProblem", c.logProblem());
    m.put("logGaps", c.logGaps());
    m.put("logGapSeconds", c.logGapSeconds());
    m.put("usual", usual(c));
    Map<String, Object> summary = SummaryJson.tree(c.summary());
    summary.put("linesRead", new SummaryJson.Verbatim(LINES_MARK));
    m.put("summary", summary);
    String json = SummaryJson.write(m, CONTAINER_DEPTH);
    int at = json.indexOf(LINES_MARK);
    return new Rendered(revision, json.substring(0, at).getBytes(StandardCharsets.UTF_8),
        json.substring(at + LINES_MARK.length()).getBytes(StandardCharsets.UTF_8));
  }
}
