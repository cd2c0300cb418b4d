package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte screen calls noise only lines the full parser finds nothing in. */
class ByteScreenTest {

  @Test
  void noRealLineWithAnEventIsNoise() throws Exception {
    List<String> lines = RealLines.in("src/test/resources/logs");
    int noise = 0;
    for (String line : lines) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      if (ByteScreen.noise(b, 0, b.length)) {
        noise++;
        ParsedLine full = LineParser.parse(1, line, false);
        assertTrue(full.events().isEmpty(), "noise with events: " + line + " -> " + full.events());
        assertTrue(full.structured(), "noise without a header: " + line);
      }
    }
    assertTrue(noise > 100, "real noise is screened: " + noise + " of " + lines.size());
  }

  private static boolean noise(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return ByteScreen.noise(b, 0, b.length);
  }

  @Test
  void aStampKnownToTheReaderIsSkippedWithTheSameVerdict() throws Exception {
    // The json-file reader writes each line's stamp itself (30 bytes and a space) and says so.
    List<String> lines = RealLines.in("src/test/resources/logs");
    lines.addAll(List.of("> quoted", "2025-07-20 14:06:38.965 | 2025-07-20 14:06:38.965 | tritonserver-1  | "
        + "I0720 11:06:38.965050 1 infer_request.cc:131] \"[request id: x] Setting state\""));
    int noise = 0;
    for (String line : lines) {
      byte[] b = ("2025-07-20T11:06:38.965050123Z " + line).getBytes(StandardCharsets.UTF_8);
      boolean control = ByteScreen.hasControl(b, 0, b.length);
      boolean expected = ByteScreen.noise(b, 0, b.length, control);
      assertEquals(expected, ByteScreen.noiseAfterStamp(b, 31, b.length, control), line);
      noise += expected ? 1 : 0;
    }
    assertTrue(noise > 100, "noise lines among them: " + noise);
  }

  @Test
  void typicalLines() {
    assertTrue(noise("2025-07-20 14:06:38.965 | I0720 11:06:38.965050 1 infer_request.cc:131] "
        + "\"[request id: <id_unknown>] Setting state from INITIALIZED to INITIALIZED\""));
    assertTrue(noise("2025-07-20 14:06:38.967 | INFO 07-20 11:06:38 [engine.py:317] Added request b596e.")); 
    assertTrue(noise("2024-03-01T10:00:00.123456789Z (EngineCore_0 pid=12) INFO 03-01 10:00:00 [metrics.py:455] Avg prompt throughput: 0.0 tokens/s"));
    assertFalse(noise("2025-07-20 14:04:26.667 | I0720 11:04:26.667375 1 model_lifecycle.cc:473] \"loading: m:1\""));
    assertFalse(noise("W0720 11:06:38.965050 1 metrics.cc:1] \"Unable to get power limit\""));
    assertFalse(noise("I0720 11:06:38.965050 1 infer_request.cc:131] \"[request id] x\rLoading weights took 1 seconds"));
    assertFalse(noise("\u001b[1;36m(VllmWorkerProcess pid=1)\u001b[0;0m INFO 04-14 08:39:33 worker.py:267] Memory profiling takes 6.63 seconds"));
    assertFalse(noise("> I0720 11:06:38.965050 1 infer_request.cc:131] \"quoted paste\""));
    assertFalse(noise("+-------+"));
  }
}
