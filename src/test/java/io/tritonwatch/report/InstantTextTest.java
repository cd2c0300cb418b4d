package io.tritonwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** InstantText must write every instant exactly as Instant.toString does. */
class InstantTextTest {

  @Test
  void everyPrecisionAndTheEdgesOfItsRange() {
    String[] known = {"2025-07-22T04:18:53.985Z", "2025-07-22T04:18:53Z", "2025-07-22T04:18:53.000001Z",
        "2025-07-22T04:18:53.100Z", "2025-07-22T04:18:53.123456789Z", "2024-02-29T23:59:59.999999999Z",
        "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.500Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z", "2000-03-01T00:00:00.010Z"};
    for (String k : known) {
      Instant t = Instant.parse(k);
      assertEquals(t.toString(), InstantText.of(t), k);
      assertEquals(k, InstantText.of(t));
    }
  }

  @Test
  void randomInstants() {
    Random random = new Random(11);
    for (int i = 0; i < 300_000; i++) {
      long second = i % 2 == 0 ? random.nextLong() % 300_000_000_000L : 1_700_000_000L + random.nextInt(200_000_000);
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(second, nano);
      assertEquals(t.toString(), InstantText.of(t));
    }
  }
}
