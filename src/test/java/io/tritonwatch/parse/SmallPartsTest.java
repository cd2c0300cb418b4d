package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The small helpers of the parser, each on its own. */
class SmallPartsTest {

  @Test
  void backendFromSourceFile() {
    assertEquals("python", BackendNames.fromSource("python_be.cc"));
    assertEquals("pytorch", BackendNames.fromSource("libtorch.cc"));
    assertEquals("onnxruntime", BackendNames.fromSource("onnxruntime.cc"));
    assertEquals("tensorrt", BackendNames.fromSource("tensorrt.cc"));
    assertEquals("tensorrt", BackendNames.fromSource("plan_backend.cc"));
    assertEquals("tensorflow", BackendNames.fromSource("tensorflow.cc"));
    assertEquals("tensorflow", BackendNames.fromSource("tf_utils.cc"));
    assertEquals("fastertransformer", BackendNames.fromSource("libfastertransformer.cc"));
    assertEquals("openvino", BackendNames.fromSource("openvino.cc"));
    assertEquals("dali", BackendNames.fromSource("dali_backend.cc"));
    assertEquals("tensorrtllm", BackendNames.fromSource("model_instance_state.cc"));
    assertEquals("tensorrtllm", BackendNames.fromSource("model_state.cc"));
    assertEquals("tensorrtllm", BackendNames.fromSource("tensorrtllm_backend.cc"));
    assertNull(BackendNames.fromSource("server.cc"));
    assertNull(BackendNames.fromSource(null));
  }

  @Test
  void cleanerKeepsTheLastDrawnStateAndDropsColours() {
    assertEquals("done", LineCleaner.clean("step 1\rstep 2\rdone"));
    assertEquals("done", LineCleaner.clean("done\r"));
    assertEquals("done", LineCleaner.clean("done\r  \r"));
    assertEquals("", LineCleaner.clean("\r\r"));
    assertEquals("red text", LineCleaner.clean("\u001b[1;31mred\u001b[0m text"));
    assertEquals("title", LineCleaner.clean("\u001b]0;win\u0007title"));
    assertEquals("ab", LineCleaner.clean("a\u001b(b"));
    assertEquals("ab", LineCleaner.clean("a\u0000b"));
    assertEquals("plain", LineCleaner.clean("plain"));
    assertEquals("x", LineCleaner.clean("x\u001b["));
  }

  @Test
  void lineTimeResolvesTheYearItIsGiven() {
    LineTime noYear = new LineTime(0, 7, 20, 11, 4, 26, 500, null);
    assertFalse(noYear.hasYear());
    assertEquals(Instant.parse("2025-07-20T11:04:26.000000500Z"), noYear.toInstant(2025));
    LineTime full = new LineTime(2024, 2, 29, 23, 0, 0, 0, ZoneOffset.ofHours(2));
    assertTrue(full.hasYear());
    assertEquals(Instant.parse("2024-02-29T21:00:00Z"), full.toInstant(1999));
    assertNull(new LineTime(0, 2, 30, 0, 0, 0, 0, null).toInstant(2025), "no such day");
    assertEquals(full.toInstant(0), LineTime.of(full.toInstant(0)).toInstant(0));
  }

  @Test
  void noiseScreenPrefixes() {
    assertTrue(NoiseScreen.mayMatter("", 0));
    assertTrue(NoiseScreen.mayMatter("x loading: m:1", 2));
    assertTrue(NoiseScreen.mayMatter("# GPU blocks: 1", 0));
    assertTrue(NoiseScreen.mayMatter("+---+", 0));
    assertTrue(NoiseScreen.mayMatter("\u00fc", 0));
    assertFalse(NoiseScreen.mayMatter("Setting state", 0));
    assertFalse(NoiseScreen.mayMatter("\"[request id]", 0));
    assertFalse(NoiseScreen.mayMatter("(x)", 0));
    assertFalse(NoiseScreen.mayMatter("Started", 0), "a prefix must match whole");
    assertTrue(NoiseScreen.prefixes().length > 50);
  }
}
