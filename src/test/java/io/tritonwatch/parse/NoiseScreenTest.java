package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The noise screen may only skip lines the rules would read as nothing. */
class NoiseScreenTest {

  @Test
  void noRealLineWithAnEventIsScreenedOut() throws Exception {
    List<String> lines = RealLines.in("src/test/resources/logs");
    int screened = 0;
    for (String line : lines) {
      ParsedLine full = LineParser.parse(1, line, false);
      ParsedLine fast = LineParser.parse(1, line, true);
      assertEquals(full.events(), fast.events(), line);
      assertEquals(full.time(), fast.time(), line);
      assertEquals(full.severity(), fast.severity(), line);
      if (fast.message().isEmpty() && !full.message().isEmpty()) {
        screened++;
      }
    }
    assertTrue(screened > 100, "the screen does skip real noise: " + screened + " of " + lines.size());
  }

  @Test
  void requestChatterIsNoise() {
    assertTrue(LineParser.parse(1, "2025-07-20 14:06:38.965 | I0720 11:06:38.965050 1 infer_request.cc:131] "
        + "\"[request id: <id_unknown>] Setting state from INITIALIZED to INITIALIZED\"").events().isEmpty());
    assertTrue(NoiseScreen.mayMatter("\"loading: m:1\"", 1));
    assertTrue(!NoiseScreen.mayMatter("Added request b596e399128de12821e2bf210ee62a69.", 0));
  }
}
