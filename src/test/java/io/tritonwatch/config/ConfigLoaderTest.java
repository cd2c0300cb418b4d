package io.tritonwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.stage.Stage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static final Path SHIPPED = Path.of("config/tritonwatch.yml");

  @Test
  void shippedFileLoadsAndDocumentsEveryKey() throws Exception {
    WatchConfig c = ConfigLoader.load(SHIPPED, Map.of(), Map.of());
    assertEquals(9469, c.listenPort());
    assertEquals(URI.create("unix:///var/run/docker.sock"), c.dockerHost());
    assertEquals(Duration.ofSeconds(1200), c.stuckAfter().get(Stage.WEIGHT_LOADING));
    assertEquals(Duration.ofSeconds(1800), c.stuckAfter().get(Stage.MODEL_LOADING));
    assertTrue(c.logFiles());
    assertEquals(false, ConfigLoader.load(SHIPPED, Map.of("TRITONWATCH_DOCKER_LOG_FILES", "off"), Map.of()).logFiles());
    String text = Files.readString(SHIPPED);
    for (String key : ConfigLoader.defaults().keySet()) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      assertTrue(text.contains(leaf), "config/tritonwatch.yml documents " + key);
    }
  }

  @Test
  void theBuiltInDefaultsAreTheShippedFile() throws Exception {
    WatchConfig none = ConfigLoader.load(null, Map.of(), Map.of());
    WatchConfig shipped = ConfigLoader.load(SHIPPED, Map.of(), Map.of());
    assertEquals(shipped.toString(), none.toString());
    assertEquals(Duration.ofSeconds(1200), none.stuckAfter().get(Stage.WEIGHT_LOADING));
    assertEquals(Duration.ofSeconds(600), none.stuckAfter().get(Stage.GRAPH_CAPTURE));
    assertEquals(Duration.ofSeconds(1800), none.stuckAfter().get(Stage.SERVER_INIT));
    // The jar carries the very file: byte for byte.
    try (java.io.InputStream in = ConfigLoader.class.getResourceAsStream(ConfigLoader.SHIPPED)) {
      assertEquals(Files.readString(SHIPPED), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** D13: a repetition with a comma is one pattern, from the file and from the environment. */
  @Test
  void aPatternWithACommaIsOnePattern() throws Exception {
    Path f = Files.createTempFile("tw", ".yml");
    Files.writeString(f, "select:\n  images: [\"x{1,2}\", \"vllm\"]\n");
    WatchConfig c = ConfigLoader.load(f, Map.of(), Map.of());
    assertEquals("[x{1,2}, vllm]", c.selection().images().toString());
    c = ConfigLoader.load(null, Map.of("TRITONWATCH_SELECT_IMAGES", "a{2,3}b,tritonserver"), Map.of());
    assertEquals("[a{2,3}b, tritonserver]", c.selection().images().toString());
    assertTrue(c.selection().selects("aab", "n", Map.of()));
  }

  /** D13: a reconnect back-off of a picosecond would spin against an absent engine. */
  @Test
  void aDurationUnderTenMillisecondsIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of(), Map.of("docker.reconnect_min_seconds", "1e-12")));
    assertEquals("docker.reconnect_min_seconds: must be at least 0.01 s, got 1e-12", e.getMessage());
  }

  @Test
  void aKeyGivenTwiceIsRefusedWithItsName() throws Exception {
    Path f = Files.createTempFile("tw", ".yml");
    Files.writeString(f, "listen: \"127.0.0.1:1\"\nlisten: \"127.0.0.1:2\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("found duplicate key listen (line 2)"), e.getMessage());
  }

  @Test
  void flagBeatsEnvironmentBeatsFile() throws Exception {
    Map<String, String> env = Map.of("TRITONWATCH_LISTEN", "127.0.0.1:9000", "DOCKER_HOST", "tcp://127.0.0.1:2375");
    WatchConfig c = ConfigLoader.load(SHIPPED, env, Map.of());
    assertEquals(9000, c.listenPort());
    assertEquals(URI.create("tcp://127.0.0.1:2375"), c.dockerHost());
    c = ConfigLoader.load(SHIPPED, env, Map.of("listen", "127.0.0.1:9100", "docker.host", "unix:///run/d.sock"));
    assertEquals(9100, c.listenPort());
    assertEquals(URI.create("unix:///run/d.sock"), c.dockerHost());
    assertEquals("docker.host", ConfigLoader.keyOfFlag("docker-host"));
    assertEquals("TRITONWATCH_STUCK_GRAPH_CAPTURE_SECONDS", ConfigLoader.envName("stuck.graph_capture_seconds"));
  }

  @Test
  void unknownKeysAndBadValuesNameTheKey() throws Exception {
    Path f = Files.createTempFile("tw", ".yml");
    Files.writeString(f, "select:\n  imagez: [x]\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Map.of(), Map.of()));
    assertTrue(e.getMessage().startsWith("select.imagez: unknown key"), e.getMessage());
    Files.writeString(f, "docker:\n  host: ftp://x\n");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Map.of(), Map.of()));
    assertTrue(e.getMessage().startsWith("docker.host:"), e.getMessage());
    Files.writeString(f, "select:\n  names: ['(']\n");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Map.of(), Map.of()));
    assertTrue(e.getMessage().startsWith("select.names: bad pattern"), e.getMessage());
    Files.writeString(f, "listen: [1, 2\n");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("TRITONWATCH_LIMITS_MAX_MODELS_PER_CONTAINER", "lots"), Map.of()));
    assertTrue(e.getMessage().startsWith("limits.max_models_per_container: not a whole number"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(), Map.of("log.format", "xml")));
    assertTrue(e.getMessage().startsWith("log.format:"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(), Map.of("docker.log_files", "always")));
    assertTrue(e.getMessage().startsWith("docker.log_files:"), e.getMessage());
  }

  @Test
  void selectionByImageLabelNameAndOptOut() throws Exception {
    Selection s = ConfigLoader.load(null, Map.of(), Map.of("select.names", "^gpu-")).selection();
    assertTrue(s.selects("nvcr.io/nvidia/tritonserver:24.07-vllm-python-py3", "x", Map.of()));
    assertTrue(s.selects("vllm/vllm-openai:v0.6.3", "x", Map.of()));
    assertFalse(s.selects("redis:7", "cache", Map.of()));
    assertTrue(s.selects("registry.local:5000/team/tritonserver:1", "x", Map.of()), "a registry with a port");
    assertFalse(s.selects("busybox:tritonserver", "x", Map.of()), "a tag is not the repository");
    assertTrue(s.selects("busybox", "x", Map.of("tritonwatch.enable", "true")));
    assertTrue(s.selects("busybox", "gpu-1", Map.of()));
    assertFalse(s.selects("nvcr.io/nvidia/tritonserver:24.07", "x", Map.of("tritonwatch.enable", "false")));
  }
}
