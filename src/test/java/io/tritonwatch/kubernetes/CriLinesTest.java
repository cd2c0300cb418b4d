package io.tritonwatch.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.source.RawLine;
import io.tritonwatch.text.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRI log format as containerd writes it (records taken from a real containerd 1.6 run:
 * see the fixture's header), fed whole and cut at every byte.
 */
class CriLinesTest {

  private record Line(int stream, long stamp, String text) {}

  private static List<Line> read(byte[] log, int cut, boolean flush) {
    List<Line> out = new ArrayList<>();
    CriLines lines = new CriLines(l -> out.add(new Line(l.stream(), l.stampNanos(), l.text())));
    for (int i = 0; i < log.length; i += cut) {
      lines.feed(log, i, Math.min(cut, log.length - i));
    }
    if (flush) {
      lines.flushPieces();
    }
    return out;
  }

  private static long nanos(String stamp) {
    byte[] b = stamp.getBytes(StandardCharsets.US_ASCII);
    return Rfc3339.parse(b, 0, b.length);
  }

  @Test
  void recordsOfBothStreamsWithStampsOfAnyWidth() {
    String log = "2026-12-04T23:42:09.404001504Z stdout F I1204 23:41:00.000 server.cc:1 \"Started\"\n"
        + "2026-12-04T23:42:09.41043901Z stderr F W1204 warn on stderr\n"
        + "2026-12-04T23:42:10Z stdout F \n"
        + "2026-12-04T23:42:11.5Z stdout F:x:y more tags\n";
    byte[] b = log.getBytes(StandardCharsets.UTF_8);
    List<Line> want = List.of(
        new Line(RawLine.STDOUT, nanos("2026-12-04T23:42:09.404001504Z"), "I1204 23:41:00.000 server.cc:1 \"Started\""),
        new Line(RawLine.STDERR, nanos("2026-12-04T23:42:09.41043901Z"), "W1204 warn on stderr"),
        new Line(RawLine.STDOUT, nanos("2026-12-04T23:42:10Z"), ""),
        new Line(RawLine.STDOUT, nanos("2026-12-04T23:42:11.5Z"), "more tags"));
    for (int cut = 1; cut <= b.length; cut++) {
      assertEquals(want, read(b, cut, false), "cut every " + cut);
    }
  }

  @Test
  void piecesAreJoinedPerStreamAsBytesUnderTheFirstStamp() {
    // A 20,000-byte line cut at 16,384 as containerd cuts it, a stderr line between its pieces,
    // and a two-byte character split across the cut.
    String head = "a".repeat(16383) + "é";
    byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
    byte[] first = java.util.Arrays.copyOf(headBytes, 16384);
    byte[] rest = java.util.Arrays.copyOfRange(headBytes, 16384, headBytes.length);
    StringBuilder tail = new StringBuilder();
    tail.append(new String(rest, StandardCharsets.ISO_8859_1)).append("b".repeat(3615));
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    log.writeBytes("2026-12-04T23:42:09.439739111Z stdout P ".getBytes(StandardCharsets.US_ASCII));
    log.writeBytes(first);
    log.writeBytes("\n2026-12-04T23:42:09.439800000Z stderr F between\n".getBytes(StandardCharsets.US_ASCII));
    log.writeBytes("2026-12-04T23:42:09.440017208Z stdout F ".getBytes(StandardCharsets.US_ASCII));
    log.writeBytes(tail.toString().getBytes(StandardCharsets.ISO_8859_1));
    log.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
    List<Line> got = read(log.toByteArray(), 4096, false);
    assertEquals(2, got.size());
    assertEquals(new Line(RawLine.STDERR, nanos("2026-12-04T23:42:09.439800000Z"), "between"), got.get(0));
    assertEquals(nanos("2026-12-04T23:42:09.439739111Z"), got.get(1).stamp());
    assertEquals("a".repeat(16383) + "é" + "b".repeat(3615), got.get(1).text());
  }

  @Test
  void aLastPieceWithoutItsEndIsALineWhenFlushed() {
    byte[] b = ("2026-12-04T23:42:09.441Z stdout F first\n2026-12-04T23:42:09.441419063Z stdout P tail-without-newline\n")
        .getBytes(StandardCharsets.US_ASCII);
    List<Line> out = new ArrayList<>();
    CriLines lines = new CriLines(l -> out.add(new Line(l.stream(), l.stampNanos(), l.text())));
    lines.feed(b, 0, b.length);
    assertEquals(1, out.size());
    assertTrue(lines.partial());
    lines.flushPieces();
    assertFalse(lines.partial());
    assertEquals("tail-without-newline", out.get(1).text());
  }

  @Test
  void recordsThatAreNotCriAreCountedAndSkipped() {
    String log = "not a record\n"
        + "2026-12-04T23:42:09Z stdin F wrong stream\n"
        + "2026-12-04T23:42:09Z stdout X bad tag\n"
        + "2026-13-04T23:42:09Z stdout F bad month\n"
        + "2026-12-04T23:42:09Z stdout FF two letters\n"
        + "2026-12-04T23:42:09Z stdout F kept\n";
    List<Line> out = new ArrayList<>();
    CriLines lines = new CriLines(l -> out.add(new Line(l.stream(), l.stampNanos(), l.text())));
    byte[] b = log.getBytes(StandardCharsets.US_ASCII);
    lines.feed(b, 0, b.length);
    assertEquals(List.of("kept"), out.stream().map(Line::text).toList());
    assertEquals(5, lines.malformed());
  }

  @Test
  void aControlByteIsFlagged() {
    byte[] b = "2026-12-04T23:42:09Z stdout F \u001b[1;36mcolour\u001b[0m\n2026-12-04T23:42:09Z stdout F plain\n"
        .getBytes(StandardCharsets.UTF_8);
    List<Boolean> control = new ArrayList<>();
    CriLines lines = new CriLines(l -> control.add(l.control()));
    lines.feed(b, 0, b.length);
    assertEquals(List.of(true, false), control);
  }

  @Test
  void theLogDirectoryNamesThePodAndContainer() {
    PodLogPath p = PodLogPath.of("inference_triton-0_0f1e2d3c-uid", "triton", "2.log");
    assertEquals(new PodLogPath("inference", "triton-0", "0f1e2d3c-uid", "triton", 2), p);
    assertEquals("0f1e2d3c-uid/triton", p.key());
    assertEquals(null, PodLogPath.of("nounderscores", "c", "0.log"));
    assertEquals(null, PodLogPath.of("ns_pod_uid", "c", "0.log.20260101-000000"));
    assertEquals(null, PodLogPath.of("ns_pod_uid", "c", "x.log"));
  }
}
