package io.tritonwatch.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte screen (analyze) and the String screen inside the parser (watch) must call the
 * same lines noise, so both paths read a log alike; and each header shape the screens know
 * is recognised, each disqualifier refused.
 */
class ScreenAgreementTest {

  private static boolean bytes(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return ByteScreen.noise(b, 0, b.length);
  }

  private static boolean string(String s) {
    ParsedLine p = LineParser.parse(1, s);
    return p.structured() && p.events().isEmpty() && p.message().isEmpty();
  }

  @Test
  void bothScreensAgreeOnEveryLine() throws Exception {
    List<String> lines = RealLines.in("src/test/resources", "src/test/resources/logs");
    int noise = 0;
    for (String line : lines) {
      boolean b = bytes(line);
      if (b) {
        noise++;
        assertTrue(string(line), "byte screen says noise, parser does not: " + line);
      }
    }
    assertTrue(noise > 300, "noise found: " + noise);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "I0720 11:06:38.965050 1 infer_request.cc:131] \"[request id: <id_unknown>] Setting state\"",
      "I0720 11:06:38.965050    17 infer_request.cc:131] \"[request id] x\"",
      "I0720 11:06:38.9 1 grpc_server.cc:1205] New request handler for ModelStreamInferHandler, 49",
      "2025-07-20 14:06:38.965 | I0720 11:06:38.965050 1 http_server.cc:4713] \"HTTP request: 0 /v2/models/m\"",
      "2025-07-20 14:06:38,965 | INFO 07-20 11:06:38 [engine.py:317] Added request b596.",
      "2025-07-20 14:06:38 I0720 11:06:38.965050 1 infer_request.cc:131] \"[request id] x\"",
      "2024-03-01T10:00:00.123456789Z I0301 10:00:00.000001 1 infer_response.cc:174] \"add response output\"",
      "2024-03-01T10:00:00Z INFO 03-01 10:00:00 [engine.py:280] Finished request 1.",
      "2024-03-01T10:00:00.5+02:00 INFO 03-01 10:00:00 engine.py:280] Finished request 1.",
      "2024-03-01T10:00:00.5-05:30 DEBUG 03-01 10:00:00.123 [x.py:1] detail",
      "triton-1  | I0720 11:06:38.965050 1 infer_request.cc:131] \"[request id] x\"",
      "svc.a_b-1 | INFO 07-20 11:06:38 [engine.py:317] Added request x.",
      "(EngineCore_0 pid=123) INFO 07-20 11:06:38 [metrics.py:455] Avg prompt throughput: 0.0 tokens/s",
      "INFO 07-20 11:06:38 [metrics.py:455] Avg prompt throughput: 0.0 tokens/s",
      "INFO 07-20 11:06:38 metrics.py:455] avg prompt throughput",
  })
  void noiseShapes(String line) {
    assertTrue(bytes(line), line);
    assertTrue(string(line), line);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "W0720 11:06:38.965050 1 metrics.cc:1] \"Unable to get power limit\"",
      "E0720 11:06:38.965050 1 x.cc:1] \"boom\"",
      "I0720 11:06:38.965050 1 model_lifecycle.cc:473] \"loading: m:1\"",
      "I0720 11:06:38.965050 1 server.cc:662] ",
      "I0720 11:06:38.965050 1 x.cc:1] \"| table |\"",
      "I0720 11:06:38.965050 1 x.cc:1] \"+----+\"",
      "I0720 11:06:38.965050 1 x.cc:1] 123 numbers first",
      "I0720 11:06:38.965050 1 x.cc:1] \u00fcnicode first",
      "I0720 11:06:38.965050 1 x.cc] missing line number",
      "I0720 11:06:38.965050 1 x.cc:1 missing bracket",
      "I0720 11:06:38.965050 x x.cc:1] thread not a number",
      "I0720 11:06:38 1 x.cc:1] no fraction",
      "I07201 11:06:38.965050 1 x.cc:1] bad date",
      "I0720 11:06:38.965050 1 :1] no file",
      "WARNING 07-20 11:06:38 [x.py:1] careful",
      "ERROR 07-20 11:06:38 [x.py:1] broken",
      "INFO 07-20 11:06:38 [model_runner.py:1] Loading weights took 1.0 seconds",
      "INFO 07-20 11:06:38 [x.py:1] Uvicorn running on http://0.0.0.0:8000",
      "INFO 7-20 11:06:38 [x.py:1] bad month",
      "INFO 07-20 11:06 [x.py:1] no seconds",
      "INFO:     Application startup complete.",
      "(EngineCore_0 pid=x) INFO 07-20 11:06:38 [x.py:1] Added request",
      "> I0720 11:06:38.965050 1 infer_request.cc:131] \"quoted paste\"",
      "2024-03-01T10:00:00.5 INFO 03-01 10:00:00 [x.py:1] no zone",
      "2024-03-01X10:00:00Z INFO 03-01 10:00:00 [x.py:1] not a stamp",
      "plain text",
      "",
      "== Triton Inference Server ==",
      "I0720 11:06:38.965050 1 x.cc:1] \"with\ttab\"",
  })
  void notNoise(String line) {
    assertFalse(bytes(line), line);
  }

  @Test
  void controlBytesAreSeen() {
    byte[] plain = "I0720 11:06:38.965050 1 x.cc:1] \"[r] x\"".getBytes(StandardCharsets.US_ASCII);
    assertFalse(ByteScreen.hasControl(plain, 0, plain.length));
    for (char c : new char[] {'\r', '\u001b', '\u0000', '\t', '\u001f'}) {
      byte[] b = ("I0720 11:06:38.965050 1 x.cc:1] \"[r]" + c + "x\"").getBytes(StandardCharsets.US_ASCII);
      assertTrue(ByteScreen.hasControl(b, 0, b.length));
      assertFalse(ByteScreen.noise(b, 0, b.length));
    }
    assertEquals(true, ByteScreen.noise(plain, 0, plain.length));
    // Offsets are honoured: the same line inside a larger buffer.
    byte[] framed = ("xx\n" + new String(plain, StandardCharsets.US_ASCII) + "\nyy").getBytes(StandardCharsets.US_ASCII);
    assertTrue(ByteScreen.noise(framed, 3, 3 + plain.length));
  }
}
