package io.tritonwatch.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tritonwatch.text.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames are not lines: every split of the byte stream must give the same lines. */
class LineAssemblerTest {

  private static final String TS = "2026-11-26T06:29:12.537896991Z";

  private static List<String> assemble(byte[] stream, int... cuts) {
    List<String> out = new ArrayList<>();
    LineAssembler a = new LineAssembler(1 << 20, (nanos, b, len) -> out.add(Printed.line(nanos, b, len)));
    int from = 0;
    for (int cut : cuts) {
      a.feed(stream, from, cut - from);
      from = cut;
    }
    a.feed(stream, from, stream.length - from);
    a.finish();
    return out;
  }

  @Test
  void everySplitGivesTheSameLines() {
    byte[] s = (TS + " héllo wörld\n" + TS + " second\r\n" + TS + " last without newline")
        .getBytes(StandardCharsets.UTF_8);
    List<String> want = List.of(TS + " héllo wörld", TS + " second", TS + " last without newline");
    for (int i = 0; i <= s.length; i++) {
      assertEquals(want, assemble(s, i), "cut at " + i);
      for (int j = i; j <= s.length; j += 7) {
        assertEquals(want, assemble(s, i, j), "cuts at " + i + "," + j);
      }
    }
  }

  @Test
  void sixteenKibPiecesAreJoinedAndTheirRepeatedStampsDropped() {
    String body = "x".repeat(40_000);
    StringBuilder stream = new StringBuilder();
    for (int off = 0; off < body.length(); off += LineAssembler.DOCKER_PIECE) {
      stream.append(TS).append(' ').append(body, off, Math.min(body.length(), off + LineAssembler.DOCKER_PIECE));
    }
    stream.append('\n').append(TS).append(" next\n");
    byte[] s = stream.toString().getBytes(StandardCharsets.US_ASCII);
    for (int cut : new int[] {1, 1024, 16_400, 16_415, 32_800, s.length - 3}) {
      assertEquals(List.of(TS + " " + body, TS + " next"), assemble(s, cut), "cut at " + cut);
    }
  }

  @Test
  void aLineWithoutStampIsKept() {
    assertEquals(List.of("plain text"), assemble("plain text\n".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void overlongLinesAreCutNotBuffered() {
    List<String> out = new ArrayList<>();
    LineAssembler a = new LineAssembler(100, (nanos, b, len) -> out.add(Printed.line(nanos, b, len)));
    byte[] s = (TS + " " + "y".repeat(1000) + "\n" + TS + " ok\n").getBytes(StandardCharsets.US_ASCII);
    a.feed(s, 0, s.length);
    // The cap is on the text: the stamp is a value now, not part of the line.
    String kept = TS + " " + "y".repeat(100);
    assertEquals(List.of(kept, TS + " ok"), out);
    assertEquals(1000 - 100, a.truncatedBytes());
  }

  @Test
  void stampIsParsed() {
    for (String ts : List.of(TS, "2024-02-29T23:59:59Z", "1999-12-31T23:00:00.5+02:00", "2026-11-26T06:29:12.53789Z")) {
      byte[] b = ts.getBytes(StandardCharsets.US_ASCII);
      Instant want = java.time.OffsetDateTime.parse(ts).toInstant();
      assertEquals(want, Rfc3339.toInstant(Rfc3339.parse(b, 0, b.length)), ts);
    }
    byte[] bad = "2024-13-01T00:00:00Z".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Rfc3339.NONE, Rfc3339.parse(bad, 0, bad.length));
  }
}
