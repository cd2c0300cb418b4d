package io.tritonwatch.kubernetes;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * One attempt of a container's log on its node, from its first line: the rotated files oldest
 * first (the compressed ones through gzip), then the live file, followed across the kubelet's
 * rotations. The kubelet rotates by gzipping the older rotated files, renaming the live file to
 * {@code <attempt>.log.<YYYYMMDD-HHMMSS>} and asking the runtime to reopen it; the open file
 * survives the rename, its compression and its deletion, so it is read to its end first, then
 * the files rotated after it, then the new live file. A rotated file is known by its stamp
 * suffix whether it is compressed or not, so none is read twice. Not thread-safe.
 */
final class CriFileChain implements Closeable {

  /** One look reads at most this much, so a long backlog does not keep the reader from the others. */
  static final int MAX_READ_BYTES = 4 << 20;
  private final Path live;
  private final String rotatedPrefix;
  private final CriLines lines;
  private final int maxFiles;
  private final Runnable onGap;
  /** The stamp suffixes of the rotated files read whole. */
  private final Set<String> done = new HashSet<>();
  private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
  private FileChannel channel;
  private Object key;
  private long position;

  private CriFileChain(Path live, CriLines lines, int maxFiles, Runnable onGap) {
    this.live = live;
    this.rotatedPrefix = live.getFileName() + ".";
    this.lines = lines;
    this.maxFiles = maxFiles;
    this.onGap = onGap;
  }

  /**
   * Reads every rotated file of the attempt and opens its live file (if it is there yet).
   *
   * @param maxFiles the kubelet's containerLogMaxFiles: a chain that holds that many files
   *     may have lost its oldest
   * @param onGap called when files of the chain may have been deleted before they were read
   */
  static CriFileChain open(Path live, CriLines lines, int maxFiles, Runnable onGap) throws IOException {
    CriFileChain c = new CriFileChain(live, lines, maxFiles, onGap);
    TreeMap<String, Path> rotated = c.rotated();
    if (maxFiles > 1 && rotated.size() >= maxFiles - 1) {
      onGap.run(); // the chain is full: older files may have been deleted before anyone read them
    }
    c.readRotated(rotated);
    c.openLive();
    // A rotation while the rotated files were read leaves one more before the live file.
    c.readRotated(c.rotated());
    return c;
  }

  /**
   * Reads what was written since the last look and follows a rotation.
   *
   * @return bytes read
   */
  long poll() throws IOException {
    if (channel == null) {
      openLive();
      return channel == null ? 0 : readLive();
    }
    long n = readLive();
    Object now = key(live);
    if (now != null && !Objects.equals(now, key)) {
      n += readLive(); // the old file, to its end: the runtime writes only to the new one now
      lines.endOfFile();
      rotatedAway();
      openLive();
      n += channel == null ? 0 : readLive();
    }
    return n;
  }

  /**
   * The file that was live became the oldest rotated file not read yet (if it is still there);
   * the files rotated after it are read now, oldest first.
   */
  private void rotatedAway() throws IOException {
    closeChannel();
    TreeMap<String, Path> rotated = rotated();
    String mine = rotated.isEmpty() ? null : rotated.firstKey();
    if (mine == null) {
      onGap.run(); // it was deleted already, and whatever rotated after it: they cannot be read
      return;
    }
    done.add(mine);
    rotated.remove(mine);
    if (maxFiles > 1 && rotated.size() >= maxFiles - 2) {
      onGap.run(); // as many rotated after it as the kubelet keeps: some may be gone
    }
    readRotated(rotated);
  }

  private long readLive() throws IOException {
    long total = 0;
    int n;
    while (total < MAX_READ_BYTES && (n = channel.read(buf.clear(), position)) > 0) {
      position += n;
      total += n;
      lines.feed(buf.array(), 0, n);
    }
    if (total == 0 && channel.size() < position) {
      position = 0; // truncated by hand: read again from the start
    }
    return total;
  }

  private void openLive() throws IOException {
    try {
      channel = FileChannel.open(live, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      channel = null; // renamed, and the runtime has not reopened it yet
      return;
    }
    key = Files.readAttributes(live, BasicFileAttributes.class).fileKey();
    position = 0;
  }

  /** The rotated files not read yet, by stamp suffix; compressed ones only where the plain one is gone. */
  private TreeMap<String, Path> rotated() throws IOException {
    TreeMap<String, Path> out = new TreeMap<>();
    Path dir = live.getParent();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, rotatedPrefix + "*")) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        String rest = name.substring(rotatedPrefix.length());
        boolean gz = rest.endsWith(".gz");
        String stamp = gz ? rest.substring(0, rest.length() - 3) : rest;
        if (stamp.length() != 15 || stamp.charAt(8) != '-' || done.contains(stamp)) {
          continue; // .tmp files of a compression under way, and what is not the kubelet's
        }
        if (!gz || !out.containsKey(stamp)) {
          out.put(stamp, p);
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    }
    return out;
  }

  private void readRotated(TreeMap<String, Path> rotated) throws IOException {
    for (var e : rotated.entrySet()) {
      if (channel != null && Objects.equals(key(e.getValue()), key)) {
        continue; // the file open as the live one rotated meanwhile: it is read through the channel
      }
      if (done.add(e.getKey())) {
        readWhole(e.getValue());
      }
    }
  }

  private void readWhole(Path p) throws IOException {
    if (!p.toString().endsWith(".gz") && !Files.exists(p) && Files.exists(Path.of(p + ".gz"))) {
      p = Path.of(p + ".gz"); // compressed between the look and the read
    }
    try (InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(p), 64 * 1024)
        : Files.newInputStream(p)) {
      byte[] b = buf.array();
      int n;
      while ((n = in.read(b)) > 0) {
        lines.feed(b, 0, n);
      }
    } catch (NoSuchFileException e) {
      onGap.run(); // compressed or deleted between the look and the read
      return;
    }
    lines.endOfFile();
  }

  private static Object key(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private void closeChannel() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeChannel();
  }
}
