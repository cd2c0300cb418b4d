package io.tritonwatch.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Follows a container's json-file log on disk from its first byte. The engine writes a line a
 * message on the log API, and on a small host taking them one socket message at a time cost
 * more system time than all else the daemon does; from the file, whatever a busy server wrote
 * since the last look is one read.
 *
 * <p>With {@code max-size} the engine rotates: it renames the file to {@code .1} (the older
 * ones up by one, {@code .gz} with {@code compress}) and starts a new one under the same name.
 * The rotated files there at the start are read first, oldest first, as the log API does.
 * Later, whatever was written to the old file is read to its end (the open file survives the
 * rename and any compression), then the files rotated after it (found by where the old one
 * went), then the new file from its start. Only when the old file was compressed away, so
 * that its place is unknown, are files that rotated in between skipped. A file that shrinks
 * was truncated by hand: it is read again from its start.
 *
 * <p>One look reads at most {@link #MAX_READ_BYTES}, so a long backlog in one file does not
 * keep the reader from the others.
 */
final class LogFileTail implements Closeable {

  private static final long CHECK_NANOS = 250_000_000L;
  static final int MAX_READ_BYTES = 4 << 20;
  /** Rotated files still to read, oldest first. */
  private final Deque<InputStream> backlog = new ArrayDeque<>();
  private final Path path;
  private final JsonFileEntries entries;
  private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
  private FileChannel channel;
  private Object fileKey;
  private int rotatedAtOpen;
  /** When the file being read was last seen written to. */
  private java.nio.file.attribute.FileTime modified;
  private long checkedAt = System.nanoTime();
  private volatile boolean closed;

  private final Runnable onGap;

  private LogFileTail(Path path, JsonFileEntries entries, Runnable onGap) {
    this.path = path;
    this.entries = entries;
    this.onGap = onGap;
  }

  /** Opens the file; an error means it cannot be read here (absent, not permitted). */
  static LogFileTail open(Path path, JsonFileEntries entries) throws IOException {
    return open(path, entries, () -> { });
  }

  /**
   * @param onGap called when the reader fell so far behind that the engine deleted a rotated
   *     file before it was opened: lines were lost, and the caller says so
   */
  static LogFileTail open(Path path, JsonFileEntries entries, Runnable onGap) throws IOException {
    LogFileTail t = new LogFileTail(path, entries, onGap);
    for (int attempt = 0; ; attempt++) {
      t.openCurrent();
      t.openRotated();
      // A rotation while the rotated files were opened would hide one between them and the
      // current file: then again.
      if (Objects.equals(t.fileKey, key(path)) || attempt == 3) {
        return t;
      }
      t.closeAll();
    }
  }

  private static Object key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }

  private void openRotated() throws IOException {
    backlog(rotatedFiles());
    rotatedAtOpen = backlog.size();
  }

  /** How many rotated files there were when the file was opened. */
  int rotatedAtOpen() {
    return rotatedAtOpen;
  }

  /** Queues files, given newest first, to be read oldest first; one gone meanwhile ends the list (the older are gone too). */
  private void backlog(List<Path> newestFirst) throws IOException {
    List<InputStream> opened = new ArrayList<>();
    for (Path p : newestFirst) {
      try {
        opened.add(open(p));
      } catch (NoSuchFileException e) {
        break;
      }
    }
    for (InputStream in : opened) {
      backlog.addFirst(in);
    }
  }

  /** The rotated files there now, newest ({@code .1}) first, each plain or compressed. */
  private List<Path> rotatedFiles() {
    List<Path> out = new ArrayList<>();
    for (int n = 1; ; n++) {
      Path plain = rotated(n, false);
      Path gz = rotated(n, true);
      if (Files.isRegularFile(plain)) {
        out.add(plain);
      } else if (Files.isRegularFile(gz)) {
        out.add(gz);
      } else {
        return out;
      }
    }
  }

  private Path rotated(int n, boolean gz) {
    return path.resolveSibling(path.getFileName() + "." + n + (gz ? ".gz" : ""));
  }

  private static InputStream open(Path p) throws IOException {
    InputStream in = Files.newInputStream(p);
    return p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 64 * 1024) : in;
  }

  /**
   * The rotated files newer than the one with this key, newest first; null if it is not among
   * them (deleted, or compressed so that it cannot be told apart).
   */
  private List<Path> rotatedAfter(Object key) throws IOException {
    List<Path> all = rotatedFiles();
    boolean compressed = false;
    for (int i = 0; i < all.size(); i++) {
      try {
        if (all.get(i).getFileName().toString().endsWith(".gz")) {
          compressed = true;
        } else if (Objects.equals(key(all.get(i)), key)) {
          return all.subList(0, i);
        }
      } catch (NoSuchFileException e) {
        return List.of();
      }
    }
    if (compressed) {
      return List.of(); // it may be among the compressed ones: its place is unknown, as before
    }
    return null;
  }

  /** The files, newest first, last written after the given time (all of them if it is unknown). */
  private static List<Path> writtenAfter(List<Path> newestFirst, java.nio.file.attribute.FileTime time) {
    List<Path> out = new ArrayList<>();
    for (Path p : newestFirst) {
      try {
        if (time == null || Files.getLastModifiedTime(p).compareTo(time) > 0) {
          out.add(p);
        }
      } catch (IOException e) {
        break; // gone meanwhile: the older are gone too
      }
    }
    return out;
  }

  private void closeAll() throws IOException {
    for (InputStream in : backlog) {
      in.close();
    }
    backlog.clear();
    channel.close();
  }

  Path path() {
    return path;
  }

  /** Opens what the name means now; the key is taken on both sides of the open so that a rotation between cannot mislead. */
  private void openCurrent() throws IOException {
    for (int attempt = 0; ; attempt++) {
      Object before = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
      Object after;
      try {
        after = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      if (Objects.equals(before, after) || attempt == 3) {
        channel = ch;
        fileKey = after;
        try {
          modified = Files.getLastModifiedTime(path);
        } catch (IOException e) {
          modified = null;
        }
        return;
      }
      ch.close();
    }
  }

  /**
   * Reads what was written since the last call and hands it on.
   *
   * @return the number of bytes read; 0 when nothing was new
   */
  long poll() throws IOException {
    if (!backlog.isEmpty()) {
      return readBacklog();
    }
    long n = readToEnd();
    if (n == 0) {
      long now = System.nanoTime();
      if (now - checkedAt >= CHECK_NANOS) {
        checkedAt = now;
        n = followRotation();
      }
    }
    return n;
  }

  private long readBacklog() throws IOException {
    long total = 0;
    while (!backlog.isEmpty() && total < MAX_READ_BYTES) {
      int n;
      try {
        n = backlog.peekFirst().read(buf.array(), 0, buf.capacity());
      } catch (java.util.zip.ZipException e) {
        n = -1; // a compressed file cut short: what came out of it was read
      }
      if (n < 0) {
        backlog.removeFirst().close();
      } else {
        entries.feed(buf.array(), 0, n);
        total += n;
      }
    }
    return Math.max(total, 1); // more to do: look again soon
  }

  private long readToEnd() throws IOException {
    long total = 0;
    while (total < MAX_READ_BYTES) {
      buf.clear();
      int n = channel.read(buf);
      if (n <= 0) {
        return total;
      }
      entries.feed(buf.array(), 0, n);
      total += n;
      if (n < buf.capacity()) {
        return total;
      }
    }
    return total;
  }

  private long followRotation() throws IOException {
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return 0; // between the rename and the new file, or the container is gone
    }
    if (!Objects.equals(now.fileKey(), fileKey)) {
      long n = 0;
      for (long k = readToEnd(); k > 0; k = readToEnd()) {
        n += k; // the old file's last bytes
      }
      List<Path> newer = rotatedAfter(fileKey);
      if (newer == null) {
        // The file being read was rotated past the engine's max-file and deleted: the files
        // still there that were written after it are read, and what the deleted ones held is lost.
        newer = writtenAfter(rotatedFiles(), modified);
        onGap.run();
      }
      FileChannel old = channel;
      try {
        openCurrent();
      } catch (NoSuchFileException e) {
        return n;
      }
      old.close();
      backlog(newer);
      return n + 1; // the files in between and the new one are read from the next look on
    }
    modified = now.lastModifiedTime();
    if (now.size() < channel.position()) {
      channel.position(0);
      return readToEnd();
    }
    return 0;
  }

  /** The file will not be read again: a line still being joined is handed on. */
  void finish() {
    entries.finish();
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    closeAll();
  }
}
