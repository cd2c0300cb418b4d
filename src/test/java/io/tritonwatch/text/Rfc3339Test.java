package io.tritonwatch.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The one RFC 3339 reader, held to java.time's reading of the same stamps. */
class Rfc3339Test {

  @Test
  void aStampAsTextIsTheInstantJavaTimeReads() {
    for (String s : new String[] {"2026-12-05T09:59:58Z", "2026-12-05T09:59:58.123456789Z",
        "2026-12-05T10:59:58.5+01:00", "2024-02-29T23:59:59.000001-05:30"}) {
      assertEquals(OffsetDateTime.parse(s).toInstant(), Rfc3339.instant(s), s);
    }
    assertNull(Rfc3339.instant(null));
    assertNull(Rfc3339.instant("2026-13-05T09:59:58Z"), "no thirteenth month");
    assertNull(Rfc3339.instant("yesterday"));
  }

  @Test
  void theEndOfAStampIsFoundByItsShapeWithItsFractionAndZone() {
    byte[] b = "x 2026-12-04T23:42:09.4100Z stdout".getBytes(StandardCharsets.US_ASCII);
    int[] marks = new int[3];
    assertEquals(27, Rfc3339.end(b, 2, b.length, marks));
    assertArrayEquals(new int[] {22, 26, 26}, marks);
    byte[] offset = "2026-12-04T23:42:09+02:00 x".getBytes(StandardCharsets.US_ASCII);
    assertEquals(25, Rfc3339.end(offset, 0, offset.length, null));
    byte[] noZone = "2026-12-04T23:42:09 x".getBytes(StandardCharsets.US_ASCII);
    assertEquals(-1, Rfc3339.end(noZone, 0, noZone.length, null));
    assertEquals(Instant.parse("2026-12-04T23:42:09.41Z"), Rfc3339.toInstant(Rfc3339.parse(b, 2, 25)));
  }
}
