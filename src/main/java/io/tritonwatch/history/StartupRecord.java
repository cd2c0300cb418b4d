package io.tritonwatch.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One finished start-up as the history keeps it: whose it was, how it ended, and how long
 * each of its stages took.
 *
 * @param image the container's image, as Docker names it ("" for a saved log)
 * @param models the models the start-up named, sorted
 * @param host the host the daemon runs on
 * @param outcome ready, failed or partial
 * @param start the start-up's first timed line
 * @param startupSeconds start to ready or failed, or null
 * @param stageSeconds seconds of each stage that ended, by stage id
 * @param figures numeric figures of the start-up (weights, KV cache, ...), by their JSON name
 */
public record StartupRecord(String image, List<String> models, String host, String container, String outcome,
                            Instant start, Double startupSeconds, Map<String, Double> stageSeconds,
                            Map<String, Double> figures) {

  public StartupRecord {
    models = List.copyOf(models);
    stageSeconds = Map.copyOf(stageSeconds);
    figures = Map.copyOf(figures);
  }

  /** What makes two start-ups comparable: the same image serving the same models. */
  public String identity() {
    return identity(image, models);
  }

  public static String identity(String image, List<String> models) {
    return (image == null ? "" : image) + "|" + String.join(",", models.stream().sorted().toList());
  }

  /** A finished start-up as the history keeps it: the stages that ended, the numeric figures. */
  public static StartupRecord of(io.tritonwatch.stage.RunSummary r, String image, String host, String container) {
    Map<String, Double> stages = new java.util.LinkedHashMap<>();
    for (io.tritonwatch.stage.StageSpan sp : r.stages()) {
      if (!sp.stage().terminal() && sp.seconds() != null) {
        stages.merge(sp.stage().id(), sp.seconds(), Double::sum);
      }
    }
    Map<String, Double> figures = new java.util.LinkedHashMap<>();
    r.figures().forEach((k, v) -> {
      if (v instanceof Number n) {
        figures.put(k, n.doubleValue());
      }
    });
    return new StartupRecord(image, modelNames(r.models()), host, container, r.outcome().id(), r.start(),
        r.startupSeconds(), stages, figures);
  }

  /** The names of these models, sorted, each once: the models part of a server's identity. */
  public static List<String> modelNames(List<io.tritonwatch.stage.ModelSummary> models) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    models.forEach(m -> names.add(m.name()));
    return List.copyOf(names);
  }

  public boolean ready() {
    return outcome.equals("ready");
  }
}
