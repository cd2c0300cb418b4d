package io.tritonwatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.report.SummaryJson;
import io.tritonwatch.stage.StartupTracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Pieces, screening on several threads and putting the pieces back in order change nothing in what the tracker concludes. */
class ChunkedFeedTest {

  private static String oneByOne(byte[] log) throws IOException {
    StartupTracker t = new StartupTracker(2024);
    long[] n = {0};
    TextLines.read(new ByteArrayInputStream(log), TextLines.DEFAULT_MAX_CHARS, line -> io.tritonwatch.Track.line(t, new LogLine(++n[0], line, null)));
    return SummaryJson.write(SummaryJson.tree(t.summary()));
  }

  private static String screened(byte[] log) throws IOException {
    return screened(new ByteArrayInputStream(log), ChunkedFeed.CHUNK_BYTES);
  }

  private static String screened(InputStream in, int chunkBytes) throws IOException {
    StartupTracker t = new StartupTracker(2024);
    try (ChunkedFeed feed = new ChunkedFeed(t, 3, TextLines.DEFAULT_MAX_CHARS, chunkBytes)) {
      feed.read(in);
    }
    return SummaryJson.write(SummaryJson.tree(t.summary()));
  }

  private static List<Path> logs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("src/test/resources/logs"))) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  @Test
  void everyRealLogReadsTheSame() throws IOException {
    List<String> differ = new java.util.ArrayList<>();
    for (Path log : logs()) {
      byte[] b = Files.readAllBytes(log);
      String expected = oneByOne(b);
      for (int chunk : new int[] {ChunkedFeed.CHUNK_BYTES, 4096, 301}) {
        if (!expected.equals(screened(new ByteArrayInputStream(b), chunk))) {
          differ.add(log.getFileName() + " in pieces of " + chunk);
        }
      }
    }
    assertEquals(List.of(), differ);
  }

  @Test
  void manyBatchesReadTheSame() throws IOException {
    // Every real log one after another, three times: thousands of kept lines, many start-ups,
    // and batch boundaries falling inside tables and wrapped messages.
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int round = 0; round < 3; round++) {
      for (Path log : logs()) {
        all.write(Files.readAllBytes(log));
        all.write('\n');
      }
      all.write(Files.readAllBytes(Path.of("src/test/resources/screen-sample.log")));
    }
    byte[] b = all.toByteArray();
    String expected = oneByOne(b);
    assertTrue(expected.contains("\"runs\""));
    assertEquals(expected, screened(b));
    // Small pieces: noise runs and tables cut by piece boundaries, buffers used again many times.
    assertEquals(expected, screened(new ByteArrayInputStream(b), 1000));
    // The same bytes arriving a few at a time: lines cut across reads.
    assertEquals(expected, screened(new FilterInputStream(new ByteArrayInputStream(b)) {
      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        return super.read(buf, off, Math.min(len, 97));
      }
    }, 4096));
  }

  @Test
  void aUtf16LogReadsAsItsUtf8Self() throws IOException {
    byte[] utf8 = Files.readAllBytes(Path.of("src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log"));
    ByteArrayOutputStream utf16 = new ByteArrayOutputStream();
    utf16.write(0xff);
    utf16.write(0xfe);
    utf16.write(new String(utf8, java.nio.charset.StandardCharsets.UTF_8).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    String expected = oneByOne(utf8);
    assertTrue(expected.contains("\"outcome\""));
    assertEquals(expected, screened(utf16.toByteArray()));
  }
}
