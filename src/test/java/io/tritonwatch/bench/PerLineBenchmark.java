package io.tritonwatch.bench;

import io.tritonwatch.input.TextLines;
import io.tritonwatch.parse.LineParser;
import io.tritonwatch.pipeline.LineFeed;
import io.tritonwatch.source.RawLine;
import io.tritonwatch.stage.StartupTracker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-line path on a realistic mix: {@code LINES} lines from a log written by
 * bench/gen_log.py (about 95% per-request noise, the rest start-ups), read from memory.
 * {@code bench/jmh.sh} runs it. Scores are per line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The heap holds the 200k-line sample twice (bytes and Strings); the daemon itself runs in 64m.
@Fork(value = 1, jvmArgs = {"-XX:+UseSerialGC", "-Xmx256m"})
public class PerLineBenchmark {

  static final int LINES = 200_000;

  private byte[] log;
  private List<String> strings;

  @Setup
  public void load() throws IOException {
    Path p = Path.of(System.getProperty("bench.log", "target/bench/mix.log"));
    byte[] all = Files.readAllBytes(p);
    int end = 0;
    int n = 0;
    while (end < all.length && n < LINES) {
      if (all[end++] == '\n') {
        n++;
      }
    }
    if (n < LINES) {
      throw new IllegalStateException(p + " has fewer than " + LINES + " lines");
    }
    log = java.util.Arrays.copyOf(all, end);
    strings = new ArrayList<>(LINES);
    TextLines.read(new ByteArrayInputStream(log), 1 << 20, strings::add);
  }

  /** What analyze does per line: split, screen, parse what is not noise, track. */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public long analyzePath() throws IOException {
    StartupTracker t = new StartupTracker(2025);
    long[] k = {0};
    TextLines.readBytes(new ByteArrayInputStream(log), 1 << 20, l -> {
      k[0]++;
      if (LineFeed.screenedNoise(l.buf(), l.off(), l.end(), l.control(), false)) {
        t.noise();
      } else {
        t.accept(LineFeed.read(k[0], l.text(), RawLine.NO_STAMP, !l.control()), null);
      }
    });
    return t.linesRead();
  }

  /** The String path the live daemon takes: every line parsed (the screen inside the parser). */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public long parseEveryLine() {
    long events = 0;
    long n = 0;
    for (String s : strings) {
      events += LineParser.parse(++n, s).events().size();
    }
    return events;
  }

  /** The floor: only splitting the bytes into lines. */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public long splitOnly() throws IOException {
    long[] k = {0};
    TextLines.readBytes(new ByteArrayInputStream(log), 1 << 20, l -> k[0] += l.len());
    return k[0];
  }
}
