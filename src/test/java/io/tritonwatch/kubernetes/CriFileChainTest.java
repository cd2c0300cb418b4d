package io.tritonwatch.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's log chain as the kubelet leaves it: compressed and plain rotated files and the
 * live one, rotated while followed. Real containerd writes the same layout (CriFilesIT).
 */
class CriFileChainTest {

  @TempDir
  Path dir;

  private final List<String> read = new ArrayList<>();
  private int gaps;

  private CriFileChain open(Path live, int maxFiles) throws IOException {
    return CriFileChain.open(live, new CriLines(l -> read.add(l.text())), maxFiles, () -> gaps++);
  }

  private static String records(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append("2026-12-05T10:00:00.").append(String.format("%09d", i)).append("Z stdout F line ").append(i).append('\n');
    }
    return b.toString();
  }

  private static void append(Path p, String s) throws IOException {
    Files.writeString(p, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static void gzip(Path p) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(Path.of(p + ".gz")))) {
      Files.copy(p, out);
    }
    Files.delete(p);
  }

  private static List<String> numbered(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("line " + i);
    }
    return out;
  }

  @Test
  void theChainIsReadOldestFirstCompressedOrNot() throws IOException {
    Path c = Files.createDirectories(dir.resolve("ns_pod_uid/triton"));
    append(c.resolve("0.log.20261205-100000"), records(0, 100));
    gzip(c.resolve("0.log.20261205-100000"));
    append(c.resolve("0.log.20261205-100100"), records(100, 200));
    append(c.resolve("0.log"), records(200, 250));
    append(c.resolve("1.log"), records(9000, 9001)); // another attempt: not this chain
    try (CriFileChain chain = open(c.resolve("0.log"), 5)) {
      chain.poll();
      assertEquals(numbered(0, 250), read);
      assertEquals(0, gaps);
    }
  }

  @Test
  void aRotationWhileFollowedLosesNothingAndDoublesNothing() throws IOException {
    Path c = Files.createDirectories(dir.resolve("ns_pod_uid/triton"));
    Path live = c.resolve("0.log");
    append(live, records(0, 10));
    try (CriFileChain chain = open(live, 5)) {
      chain.poll();
      append(live, records(10, 20));
      // The kubelet: gzip older rotated files (none), rename the live file, the runtime reopens it.
      Files.move(live, c.resolve("0.log.20261205-100000"));
      append(c.resolve("0.log.20261205-100000"), records(20, 25)); // written before the reopen
      append(live, records(25, 30));
      chain.poll();
      // Again, the first rotated file is compressed now.
      gzip(c.resolve("0.log.20261205-100000"));
      append(live, records(30, 35));
      Files.move(live, c.resolve("0.log.20261205-100100"));
      append(live, records(35, 40));
      chain.poll();
      chain.poll();
    }
    assertEquals(numbered(0, 40), read);
    assertEquals(0, gaps);
  }

  @Test
  void twoRotationsWhileNotLookingAreReadInOrder() throws IOException {
    Path c = Files.createDirectories(dir.resolve("ns_pod_uid/triton"));
    Path live = c.resolve("0.log");
    append(live, records(0, 10));
    try (CriFileChain chain = open(live, 5)) {
      chain.poll();
      append(live, records(10, 20));
      Files.move(live, c.resolve("0.log.20261205-100000"));
      append(live, records(20, 30));
      gzip(c.resolve("0.log.20261205-100000")); // compressed away from under the open file
      Files.move(live, c.resolve("0.log.20261205-100100"));
      append(live, records(30, 40));
      chain.poll();
    }
    assertEquals(numbered(0, 40), read);
    assertEquals(0, gaps);
  }

  @Test
  void aFullChainSaysItsOldestMayBeGone() throws IOException {
    Path c = Files.createDirectories(dir.resolve("ns_pod_uid/triton"));
    for (int i = 0; i < 4; i++) {
      append(c.resolve("0.log.20261205-10000" + i), records(i * 10, i * 10 + 10));
    }
    append(c.resolve("0.log"), records(40, 50));
    try (CriFileChain chain = open(c.resolve("0.log"), 5)) {
      chain.poll();
    }
    assertEquals(numbered(0, 50), read);
    assertEquals(1, gaps);
  }
}
