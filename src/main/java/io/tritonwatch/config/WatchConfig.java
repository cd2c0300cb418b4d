package io.tritonwatch.config;

import io.tritonwatch.stage.Stage;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the daemon is told, read once at start into an immutable value.
 *
 * @param stuckAfter per stage, how long before a start-up counts as stuck in it
 * @param webConfigFile TLS and basic authentication for the endpoint, or null for plain HTTP
 * @param maxRequestsPerSecond sustained HTTP requests a second before 429
 * @param logFiles read a container's json-file log from disk where possible, else the log API
 * @param healthFile where the daemon writes its health for a container health check, or null
 * @param history where past start-ups are kept and how they judge the running ones
 * @param kubernetes whether the logs come from the kubelet's files on this node, and how
 */
public record WatchConfig(
    String listenHost,
    int listenPort,
    URI dockerHost,
    Duration reconnectMin,
    Duration reconnectMax,
    Selection selection,
    Map<Stage, Duration> stuckAfter,
    int maxModelsPerContainer,
    String logFormat,
    String logLevel,
    java.nio.file.Path webConfigFile,
    double maxRequestsPerSecond,
    boolean logFiles,
    java.nio.file.Path healthFile,
    HistorySettings history,
    KubernetesSettings kubernetes) {

  /**
   * @param file the store, or null to learn in memory only
   * @param keepPerServer start-ups kept per server (image and models)
   * @param minStartups ready start-ups needed before the history judges instead of the thresholds
   * @param slowFactor a stage over this many times its usual length is slower than usual
   * @param stuckFactor a stage over this many times its usual length is stuck
   * @param minStageSeconds the history calls no stage slow before this many seconds
   */
  /**
   * @param enabled {@code source: kubernetes}: the node's pod log files instead of Docker
   * @param logRoot the kubelet's pod log directory, mounted read-only
   * @param maxFiles the kubelet's containerLogMaxFiles
   * @param api read the node's pods from the API server (in-cluster)
   * @param nodeName this node, for the API's field selector; empty: the NODE_NAME variable
   * @param apiUrl an API server reached without the service account (kubectl proxy); empty: in-cluster
   */
  public record KubernetesSettings(boolean enabled, java.nio.file.Path logRoot, int maxFiles, boolean api,
                                   String nodeName, String apiUrl) {}

  public record HistorySettings(java.nio.file.Path file, int keepPerServer, int minStartups, double slowFactor,
                                double stuckFactor, double minStageSeconds) {}
}
