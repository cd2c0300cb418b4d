package io.tritonwatch.golden;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.parse.LogLine;
import io.tritonwatch.stage.StartupSummary;
import io.tritonwatch.stage.StartupTracker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real logs under src/test/resources/logs, each with the .yml of what it holds. */
final class CorpusLogs {

  static final Path DIR = Path.of("src/test/resources/logs");
  /** Stamps without a year are read in this one, so expected files do not age. */
  static final int YEAR = 2024;

  private CorpusLogs() {}

  static List<Path> all() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  static StartupSummary read(Path log) throws IOException {
    StartupTracker t = new StartupTracker(YEAR);
    long[] n = {0};
    try (InputStream in = Files.newInputStream(log)) {
      TextLines.read(in, TextLines.DEFAULT_MAX_CHARS, line -> io.tritonwatch.Track.line(t, new LogLine(++n[0], line, null)));
    }
    return t.summary();
  }

  static String name(Path log) {
    String f = log.getFileName().toString();
    return f.substring(0, f.length() - ".log".length());
  }
}
