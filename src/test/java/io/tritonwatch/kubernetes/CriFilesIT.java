package io.tritonwatch.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tritonwatch.it.Cri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reader of the kubelet's pod log files against files a real containerd writes for
 * containers it runs through the CRI API, rotated as the kubelet rotates them.
 */
class CriFilesIT {

  private static final int LINES = 20_000;

  @BeforeAll
  static void containerd() throws Exception {
    Cri.require();
  }

  /** Prints "line N" for N below {@link #LINES}, pausing now and then so rotations fall while it writes. */
  private static String[] numbered(int pauseEvery, int pauseMicros) {
    return new String[] {"/bin/sh", "-c", "i=0; while [ $i -lt " + LINES + " ]; do echo \"line $i\"; i=$((i+1)); "
        + "[ $((i % " + pauseEvery + ")) -eq 0 ] && usleep " + pauseMicros + "; done; sleep 3600"};
  }

  private static void countNumbers(List<String> lines, TreeMap<Integer, Integer> seen) {
    for (String l : lines) {
      if (l.startsWith("line ")) {
        seen.merge(Integer.parseInt(l.substring(5)), 1, Integer::sum);
      }
    }
  }

  private static void assertEachOnce(TreeMap<Integer, Integer> seen) {
    List<Integer> missing = new ArrayList<>();
    List<Integer> twice = new ArrayList<>();
    for (int i = 0; i < LINES; i++) {
      Integer n = seen.get(i);
      if (n == null) {
        missing.add(i);
      } else if (n > 1) {
        twice.add(i);
      }
    }
    assertEquals(List.of(), missing.subList(0, Math.min(20, missing.size())), missing.size() + " missing");
    assertEquals(List.of(), twice.subList(0, Math.min(20, twice.size())), twice.size() + " read twice");
  }

  private static void awaitFile(Path p) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(p) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
  }

  @Test
  void numberedLinesAreEachReadOnceThroughRotationsWhileFollowing() throws Exception {
    Cri.Pod pod = Cri.pod("test", "rotate-" + System.nanoTime() % 100000);
    try {
      String id = pod.start("writer", 0, List.of(), numbered(200, 30_000));
      Path live = pod.log("writer", 0);
      awaitFile(live);
      List<String> lines = Collections.synchronizedList(new ArrayList<>());
      int[] gaps = {0};
      try (CriFileChain chain = CriFileChain.open(live, new CriLines(l -> lines.add(l.text())), 5, () -> gaps[0]++)) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int rotations = 0;
        long nextRotation = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
        while (lines.size() < LINES && System.nanoTime() < end) {
          chain.poll();
          if (rotations < 3 && System.nanoTime() > nextRotation) {
            Cri.rotate(live, id, 5);
            rotations++;
            nextRotation = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1100);
          }
          Thread.sleep(20);
        }
        chain.poll();
        assertEquals(3, rotations, "rotated while the container wrote");
      }
      TreeMap<Integer, Integer> seen = new TreeMap<>();
      countNumbers(lines, seen);
      assertEachOnce(seen);
      assertEquals(0, gaps[0]);
      try (Stream<Path> files = Files.list(live.getParent())) {
        assertTrue(files.anyMatch(f -> f.toString().endsWith(".gz")), "the kubelet's way compressed older files");
      }
    } finally {
      pod.remove();
    }
  }

  @Test
  void aReaderDownAcrossTwoRotationsReadsTheCompressedFileFromTheStart() throws Exception {
    Cri.Pod pod = Cri.pod("test", "down-" + System.nanoTime() % 100000);
    try {
      String id = pod.start("writer", 0, List.of(), numbered(500, 100_000));
      Path live = pod.log("writer", 0);
      awaitFile(live);
      List<String> first = new ArrayList<>();
      try (CriFileChain chain = CriFileChain.open(live, new CriLines(l -> first.add(l.text())), 5, () -> { })) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (first.size() < 1000 && System.nanoTime() < end) {
          chain.poll();
          Thread.sleep(20);
        }
      }
      // The reader is down: two rotations, the second compressing the first rotated file.
      Cri.rotate(live, id, 5);
      Thread.sleep(1100);
      Cri.rotate(live, id, 5);
      // A reader that starts again reads the chain from its start, the .gz included.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      List<String> again = new ArrayList<>();
      while (System.nanoTime() < end) {
        again.clear();
        try (CriFileChain chain = CriFileChain.open(live, new CriLines(l -> again.add(l.text())), 5, () -> { })) {
          chain.poll();
        }
        if (again.size() >= LINES) {
          break;
        }
        Thread.sleep(200);
      }
      assertTrue(first.size() >= 1000 && first.size() < LINES, "the first reader saw part: " + first.size());
      TreeMap<Integer, Integer> seen = new TreeMap<>();
      countNumbers(again, seen);
      assertEachOnce(seen);
      try (Stream<Path> files = Files.list(live.getParent())) {
        assertEquals(1, files.filter(f -> f.toString().endsWith(".gz")).count(), "one compressed file was read");
      }
    } finally {
      pod.remove();
    }
  }

  @Test
  void aLineOver16KiBIsOneLineAndALastLineWithoutNewlineIsFlushedAtTheEnd() throws Exception {
    Cri.Pod pod = Cri.pod("test", "long-" + System.nanoTime() % 100000);
    try {
      String id = pod.start("writer", 0, List.of(), "/bin/sh", "-c",
          "echo before; head -c 40000 /dev/zero | tr '\\0' x; echo; printf a; printf 'é%.0s' $(seq 1 9000); echo; "
              + "printf 'no newline at the end'; exit 0");
      Cri.awaitExit(id);
      Path live = pod.log("writer", 0);
      String raw = Files.readString(live, java.nio.charset.StandardCharsets.ISO_8859_1); // a piece may end mid-character
      assertTrue(raw.contains(" stdout P "), "containerd cut the long lines into pieces");
      // 1 + 16,383 bytes of the third line fill its first piece: the cut falls inside a two-byte character.
      List<String> lines = new ArrayList<>();
      CriLines cri = new CriLines(l -> lines.add(l.text()));
      try (CriFileChain chain = CriFileChain.open(live, cri, 5, () -> { })) {
        chain.poll();
        assertEquals(3, lines.size(), "the last line waits for its end");
        cri.flushPieces(); // the container ended
      }
      assertEquals(List.of("before", "x".repeat(40000), "a" + "é".repeat(9000), "no newline at the end"), lines);
    } finally {
      pod.remove();
    }
  }
}
