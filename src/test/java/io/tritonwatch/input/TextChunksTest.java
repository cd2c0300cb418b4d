package io.tritonwatch.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cutting a log into pieces of whole lines and splitting each gives the lines a single reader gives. */
class TextChunksTest {

  private static List<String> whole(byte[] log, int maxChars) throws IOException {
    List<String> lines = new ArrayList<>();
    TextLines.readBytes(new ByteArrayInputStream(log), maxChars, l -> {
      lines.add(flagged(l.buf(), l.off(), l.len(), l.control()));
    });
    return lines;
  }

  /** Lines from the pieces, and checks that every piece holds whole lines only. */
  private static List<String> pieces(InputStream in, int maxChars, int chunkBytes) throws IOException {
    List<String> lines = new ArrayList<>();
    List<byte[]> handed = new ArrayList<>();
    TextLines.readChunks(in, maxChars, chunkBytes, new TextLines.ChunkSink() {
      @Override
      public byte[] buffer(int minLength) {
        return new byte[minLength];
      }

      @Override
      public void chunk(byte[] b, int len) {
        assertTrue(len > 0);
        handed.add(b);
        TextLines.split(b, len, maxChars, l -> lines.add(flagged(l.buf(), l.off(), l.len(), l.control())));
      }
    }, l -> lines.add(l.text()));
    assertEquals(handed.size(), handed.stream().distinct().count(), "a buffer was handed on twice");
    return lines;
  }

  /** The line; a control byte in it must be flagged (a line cut at the limit may be flagged for bytes it no longer holds). */
  private static String flagged(byte[] b, int off, int len, boolean control) {
    String s = new String(b, off, len, StandardCharsets.UTF_8);
    if (!control) {
      assertTrue(s.chars().noneMatch(c -> c < 0x20), s);
    }
    return s;
  }

  @Test
  void realLogsInSmallAndLargePieces() throws IOException {
    for (String name : List.of("src/test/resources/screen-sample.log", "src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log")) {
      byte[] log = Files.readAllBytes(Path.of(name));
      List<String> expected = whole(log, TextLines.DEFAULT_MAX_CHARS);
      assertTrue(expected.size() > 20, name);
      for (int chunk : new int[] {16, 97, 4096, 1 << 18}) {
        assertEquals(expected, pieces(new ByteArrayInputStream(log), TextLines.DEFAULT_MAX_CHARS, chunk), name + " in " + chunk);
        // The same bytes a few at a time, as a pipe gives them.
        assertEquals(expected, pieces(new FilterInputStream(new ByteArrayInputStream(log)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 13));
          }
        }, TextLines.DEFAULT_MAX_CHARS, chunk));
      }
    }
  }

  @Test
  void randomLogsWithLongLinesCrLfAndNoLastNewline() throws IOException {
    Random r = new Random(7);
    for (int round = 0; round < 300; round++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int lines = r.nextInt(40);
      for (int i = 0; i < lines; i++) {
        int len = r.nextInt(10) == 0 ? r.nextInt(400) : r.nextInt(30);
        for (int k = 0; k < len; k++) {
          int pick = r.nextInt(40);
          out.write(pick == 0 ? 'é' & 0xff : pick == 1 ? '\t' : 'a' + r.nextInt(26));
        }
        if (r.nextInt(5) == 0) {
          out.write('\r');
        }
        if (i < lines - 1 || r.nextBoolean()) {
          out.write('\n');
        }
      }
      byte[] log = out.toByteArray();
      int max = 1 + r.nextInt(120);
      int chunk = 1 + r.nextInt(64);
      assertEquals(whole(log, max), pieces(new ByteArrayInputStream(log), max, chunk),
          "round " + round + ", limit " + max + ", pieces of " + chunk);
    }
  }

  @Test
  void aUtf16LogGoesLineByLine() throws IOException {
    String text = "I0101 00:00:00.000000 1 server.cc:1] first\r\nsecond\nthird";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xff);
    out.write(0xfe);
    out.write(text.getBytes(StandardCharsets.UTF_16LE));
    List<String> lines = new ArrayList<>();
    TextLines.readChunks(new ByteArrayInputStream(out.toByteArray()), 1000, 64, new TextLines.ChunkSink() {
      @Override
      public byte[] buffer(int minLength) {
        return new byte[minLength];
      }

      @Override
      public void chunk(byte[] b, int len) {
        throw new AssertionError("a UTF-16 log was cut as bytes");
      }
    }, l -> lines.add(l.text()));
    assertEquals(List.of("I0101 00:00:00.000000 1 server.cc:1] first", "second", "third"), lines);
  }
}
