package io.tritonwatch.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's rotation as it does it: rename to .1, a new file under the old name. */
class LogFileTailTest {

  @TempDir
  Path dir;

  private final List<String> lines = new ArrayList<>();

  private static String entry(int n) {
    return "{\"log\":\"line " + n + "\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:00." + String.format("%09d", n)
        + "Z\"}\n";
  }

  private static void append(Path p, int from, int to) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(entry(i));
    }
    Files.writeString(p, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private LogFileTail open(Path p) throws IOException {
    return LogFileTail.open(p, new JsonFileEntries(1 << 20,
        (stream, stamp, line, len, control) -> lines.add(new String(line, 0, len, StandardCharsets.UTF_8))));
  }

  private static List<String> numbered(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("line " + i);
    }
    return out;
  }

  /** Polls until nothing more comes for longer than the tail's rotation check. */
  private static void drain(LogFileTail t) throws Exception {
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < 150_000_000L) {
      if (t.poll() > 0) {
        quietSince = System.nanoTime();
      }
      Thread.sleep(5);
    }
  }

  /**
   * An engine with max-file=2 rotates three times between two looks: the file being read and
   * the one after it are deleted. The reader says there is a gap, reads what the file it held
   * open still had and the files written after it, and reads nothing twice.
   */
  @Test
  void aFileDeletedBeforeItWasReadIsAGapAndWhatIsLeftIsRead() throws Exception {
    Path log = dir.resolve("c-json.log");
    append(log, 0, 100);
    int[] gaps = {0};
    try (LogFileTail t = LogFileTail.open(log, new JsonFileEntries(1 << 20,
        (stream, stamp, line, len, control) -> lines.add(new String(line, 0, len, StandardCharsets.UTF_8))),
        () -> gaps[0]++)) {
      drain(t);
      for (int r = 0; r < 3; r++) {
        Thread.sleep(20); // file times a filesystem can tell apart
        Files.deleteIfExists(dir.resolve("c-json.log.1"));
        Files.move(log, dir.resolve("c-json.log.1"));
        append(log, 100 + 100 * r, 200 + 100 * r);
      }
      drain(t);
    }
    assertEquals(1, gaps[0], "the gap is said");
    List<String> expected = numbered(0, 100);
    expected.addAll(numbered(200, 400)); // 100-199 were in a file deleted before it was opened
    assertEquals(expected, lines);
  }

  @Test
  void readsFromTheStartThenWhatIsAdded() throws Exception {
    Path log = dir.resolve("c-json.log");
    append(log, 0, 1000);
    try (LogFileTail t = open(log)) {
      drain(t);
      append(log, 1000, 1500);
      drain(t);
    }
    assertEquals(numbered(0, 1500), lines);
  }

  @Test
  void followsARotationWithoutLosingTheOldFilesLastLines() throws Exception {
    Path log = dir.resolve("c-json.log");
    append(log, 0, 100);
    try (LogFileTail t = open(log)) {
      drain(t);
      append(log, 100, 200); // written after the last look, before the rotation
      Files.move(log, dir.resolve("c-json.log.1"));
      append(log, 200, 300);
      drain(t);
      // and once more, with the old file compressed away as the engine does with compress=true
      Files.move(log, dir.resolve("c-json.log.2"));
      append(dir.resolve("c-json.log.2"), 300, 310);
      Files.delete(dir.resolve("c-json.log.2"));
      append(log, 310, 400);
      drain(t);
    }
    assertEquals(numbered(0, 400), lines);
  }

  @Test
  void filesRotatedInBetweenTwoLooksAreReadInOrder() throws Exception {
    Path log = dir.resolve("c-json.log");
    append(log, 0, 100);
    try (LogFileTail t = open(log)) {
      drain(t);
      append(log, 100, 150);
      for (int r = 0; r < 3; r++) { // three rotations before the next look, as the engine names them
        for (int k = 3; k >= 1; k--) {
          Path from = dir.resolve("c-json.log." + k);
          if (Files.exists(from)) {
            Files.move(from, dir.resolve("c-json.log." + (k + 1)));
          }
        }
        Files.move(log, dir.resolve("c-json.log.1"));
        append(log, 150 + 50 * r, 200 + 50 * r);
      }
      drain(t);
    }
    assertEquals(numbered(0, 300), lines);
  }

  @Test
  void rotatedFilesThereAtTheStartAreReadFirstOldestFirst() throws Exception {
    Path log = dir.resolve("c-json.log");
    StringBuilder oldest = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      oldest.append(entry(i));
    }
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("c-json.log.3.gz")))) {
      gz.write(oldest.toString().getBytes(StandardCharsets.UTF_8));
    }
    append(dir.resolve("c-json.log.2"), 10, 20);
    append(dir.resolve("c-json.log.1"), 20, 30);
    append(log, 30, 40);
    append(dir.resolve("c-json.log.5"), 900, 910); // not next in line: an older name left over, not read
    try (LogFileTail t = open(log)) {
      drain(t);
    }
    assertEquals(numbered(0, 40), lines);
  }

  @Test
  void aLargeBacklogIsReadInPieces() throws Exception {
    Path log = dir.resolve("c-json.log");
    append(log, 0, 200_000); // about 15 MB
    try (LogFileTail t = open(log)) {
      long first = t.poll();
      assertEquals(true, first <= LogFileTail.MAX_READ_BYTES && first > 0, "one look reads " + first);
      drain(t);
    }
    assertEquals(200_000, lines.size());
    assertEquals("line 199999", lines.get(199_999));
  }

  @Test
  void aTruncatedFileIsReadAgainFromItsStart() throws Exception {
    Path log = dir.resolve("c-json.log");
    append(log, 0, 50);
    try (LogFileTail t = open(log)) {
      drain(t);
      Files.newByteChannel(log, StandardOpenOption.WRITE).truncate(0).close();
      append(log, 50, 60);
      drain(t);
    }
    assertEquals(numbered(0, 60), lines);
  }

  @Test
  void aMissingFileIsAnErrorAtOpen() {
    assertThrows(NoSuchFileException.class, () -> open(dir.resolve("absent-json.log")));
  }
}
