package io.tritonwatch.http;

import io.tritonwatch.report.SummaryJson;
import io.tritonwatch.watch.ContainerRegistry;
import io.tritonwatch.watch.WatchedContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /status}: every watched container with its summary in the analyze JSON shape. */
final class StatusJson {
  private StatusJson() {}

  static String render(ContainerRegistry registry) {
    List<Object> containers = new ArrayList<>();
    List<WatchedContainer> all = new ArrayList<>(registry.all());
    all.sort(Comparator.comparing(WatchedContainer::name));
    for (WatchedContainer c : all) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("name", c.name());
      m.put("image", c.info().image());
      m.put("running", c.running());
      m.put("restarts", c.restarts());
      m.put("exitCode", c.exitCode());
      m.put("startedAt", c.info().startedAt() == null ? null : c.info().startedAt().toString());
      m.put("summary", SummaryJson.tree(c.summary()));
      containers.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("dockerConnected", registry.sourceConnected());
    root.put("containers", containers);
    return SummaryJson.write(root);
  }
}
