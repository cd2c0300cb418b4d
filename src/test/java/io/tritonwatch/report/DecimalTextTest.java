package io.tritonwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** DecimalText must write every number exactly as Double.toString does. */
class DecimalTextTest {

  private static String text(double d) {
    StringBuilder b = new StringBuilder();
    DecimalText.append(b, d);
    return b.toString();
  }

  @Test
  void figuresAsALogGivesThem() {
    double[] figures = {14.45, 4.7238, 0.95, 103.797, 24.0, 0.0, -0.0, 8192.0, 0.001, 0.0009999, 9999999.999999,
        1e7, 1.0E-4, 14.861898, 0.45, -3.5, 1.0000001, 123456.7890123, Double.MIN_VALUE, Double.MAX_VALUE,
        0.1 + 0.2, 1.0 / 3, 2.0 / 3, 100.0 / 7, 1e-3 - 1e-19, 0.005, 0.05, 7.000005, 1.25e6};
    for (double d : figures) {
      assertEquals(Double.toString(d), text(d), "for " + d);
    }
  }

  @Test
  void shortDecimalsAndAnyDoubles() {
    Random random = new Random(20261126);
    for (int i = 0; i < 2_000_000; i++) {
      double d = switch (i % 3) {
        case 0 -> Math.floor(random.nextDouble() * Math.pow(10, 7 + i % 7)) / Math.pow(10, i % 7); // 0-6 places
        case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(12) - 4);
        default -> Double.longBitsToDouble(random.nextLong());
      };
      d = random.nextBoolean() ? d : -d;
      assertEquals(Double.toString(d), text(d), "for " + d);
    }
  }
}
