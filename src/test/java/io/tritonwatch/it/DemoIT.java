package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tritonwatch demo} from the jar: no Docker, the same endpoints fill up. */
class DemoIT {

  @Test
  void demoServesAReadyAndAFailingStartUp() throws Exception {
    try (Daemon d = Daemon.startCommand(List.of("demo", "--listen", "127.0.0.1:0", "--speed", "20"))) {
      JsonNode s = d.await("both start-ups read", Duration.ofSeconds(60), d::status, x -> {
        boolean ready = false;
        boolean failed = false;
        for (JsonNode c : x.get("containers")) {
          for (JsonNode r : c.get("summary").get("runs")) {
            ready |= r.get("outcome").asText().equals("ready");
            failed |= r.get("outcome").asText().equals("failed");
          }
        }
        return ready && failed;
      });
      assertEquals(2, s.get("containers").size());
      assertEquals(200, d.get("/healthz").statusCode());
      String m = d.metrics();
      assertTrue(m.contains("tritonwatch_model_load_failures_total{container=\"demo-triton-python\",model=\"glm_ocr\",version=\"1\"}"), m);
      assertTrue(m.contains("tritonwatch_kv_cache_bytes{container=\"demo-triton-vllm\"}"), m);
    }
  }
}
