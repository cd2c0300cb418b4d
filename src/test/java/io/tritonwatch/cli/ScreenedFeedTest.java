package io.tritonwatch.cli;

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

/** Screening, batching and the second thread change nothing in what the tracker concludes. */
class ScreenedFeedTest {

  private static String oneByOne(byte[] log) throws IOException {
    StartupTracker t = new StartupTracker(2024);
    long[] n = {0};
    TextLines.read(new ByteArrayInputStream(log), TextLines.DEFAULT_MAX_CHARS, line -> t.accept(new LogLine(++n[0], line, null)));
    return SummaryJson.write(SummaryJson.tree(t.summary()));
  }

  private static String screened(byte[] log) throws IOException {
    return screened(new ByteArrayInputStream(log));
  }

  private static String screened(InputStream in) throws IOException {
    StartupTracker t = new StartupTracker(2024);
    try (ScreenedFeed feed = new ScreenedFeed(t)) {
      TextLines.readBytes(in, TextLines.DEFAULT_MAX_CHARS, feed);
      feed.finish();
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
      if (!oneByOne(b).equals(screened(b))) {
        differ.add(log.getFileName().toString());
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
    // The same bytes arriving a few at a time: lines cut across reads, buffers reused.
    assertEquals(expected, screened(new FilterInputStream(new ByteArrayInputStream(b)) {
      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        return super.read(buf, off, Math.min(len, 97));
      }
    }));
  }
}
