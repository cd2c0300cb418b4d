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

  private static final int PHASES = 4;
  private static final int PER_PHASE = LINES / PHASES;

  /**
   * Prints "line N" for N below {@link #LINES} in four phases, each begun when the test creates
   * {@code /ctl/goP}: the test, not the machine's pace, decides where the rotations fall.
   */
  private static String[] numbered() {
    return new String[] {"/bin/sh", "-c", "p=0; while [ $p -lt " + PHASES + " ]; do "
        + "while [ ! -e /ctl/go$p ]; do usleep 10000; done; "
        + "i=$((p * " + PER_PHASE + ")); end=$((i + " + PER_PHASE + ")); "
        + "while [ $i -lt $end ]; do echo \"line $i\"; i=$((i+1)); [ $((i % 250)) -eq 0 ] && usleep 5000; done; "
        + "p=$((p+1)); done; sleep 3600"};
  }

  private static Path control() throws Exception {
    Path ctl = Files.createTempDirectory("tw-cri-ctl");
    ctl.toFile().setReadable(true, false);
    return ctl;
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

  /** Reads with {@code chain} until {@code lines} holds {@code n}; one rotation when half the phase is in. */
  private static int follow(CriFileChain chain, List<String> lines, int n, Runnable midway) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    boolean rotated = false;
    while (lines.size() < n && System.nanoTime() < end) {
      chain.poll();
      if (!rotated && lines.size() >= n - PER_PHASE / 2) {
        midway.run();
        rotated = true;
      }
      Thread.sleep(10);
    }
    return lines.size();
  }

  @Test
  void numberedLinesAreEachReadOnceThroughRotationsWhileFollowing() throws Exception {
    Cri.Pod pod = Cri.pod("test", "rotate-" + System.nanoTime() % 100000);
    Path ctl = control();
    try {
      String id = pod.start("writer", 0, List.of(ctl + ":/ctl"), numbered());
      Path live = pod.log("writer", 0);
      awaitFile(live);
      List<String> lines = Collections.synchronizedList(new ArrayList<>());
      int[] gaps = {0};
      int[] rotations = {0};
      try (CriFileChain chain = CriFileChain.open(live, new CriLines(l -> lines.add(l.text())), 5, () -> gaps[0]++)) {
        for (int p = 0; p < PHASES; p++) {
          Files.createFile(ctl.resolve("go" + p));
          // A rotation in phases 1 to 3, while the container writes them, each a second apart at least.
          follow(chain, lines, PER_PHASE * (p + 1), p == 0 ? () -> { } : () -> {
            try {
              Cri.rotate(live, id, 5);
              rotations[0]++;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
          Thread.sleep(1100);
        }
        chain.poll();
      }
      assertEquals(3, rotations[0], "rotated three times while the container wrote");
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
    Path ctl = control();
    try {
      String id = pod.start("writer", 0, List.of(ctl + ":/ctl"), numbered());
      Path live = pod.log("writer", 0);
      awaitFile(live);
      List<String> first = new ArrayList<>();
      Files.createFile(ctl.resolve("go0"));
      try (CriFileChain chain = CriFileChain.open(live, new CriLines(l -> first.add(l.text())), 5, () -> { })) {
        follow(chain, first, PER_PHASE, () -> { });
      }
      // The reader is down: two rotations, the second compressing the first rotated file, with
      // the container writing between them.
      Cri.rotate(live, id, 5);
      Files.createFile(ctl.resolve("go1"));
      Thread.sleep(1100);
      Cri.rotate(live, id, 5);
      Files.createFile(ctl.resolve("go2"));
      Files.createFile(ctl.resolve("go3"));
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
      assertEquals(PER_PHASE, first.size(), "the first reader saw the first phase only");
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
