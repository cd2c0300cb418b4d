package io.tritonwatch.docker;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One {@code GET /containers/{id}/logs} on the engine's socket, read with the JDK alone.
 * A busy server writes thousands of lines a second; through the client library each one cost
 * several objects, a callback and a trip through its HTTP stack on its own thread, which was
 * most of the daemon's CPU. Here the body is read in large blocks and the engine's frames are
 * cut out of them in place.
 *
 * <p>HTTP/1.0, so the engine sends the body unchunked and closes the connection at its end.
 * The body is the multiplexed stream (an 8-byte header before each message: stream type,
 * three zero bytes, big-endian length) or, for a container with a TTY, raw bytes. Engines
 * before API 1.42 label both "raw-stream", so the first byte decides: a header starts with
 * 0 to 3, a timestamped raw stream with a digit.
 */
final class RawLogStream implements Closeable {

  static final int RAW = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  /** The engine's own error inside the stream (e.g. a corrupt json-file). */
  static final int SYSTEM_ERROR = 3;

  /** Receives the stream's bytes in order, cut at frame boundaries. */
  interface Sink {
    /** @param stream {@link #RAW}, {@link #STDOUT} or {@link #STDERR} */
    void bytes(int stream, byte[] b, int off, int len);
  }

  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private final SocketChannel channel;
  private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
  /** Whether the body is framed; unknown until its first byte. */
  private Boolean framed;
  private int stream = RAW;
  private int frameLeft;
  /** What the latest read returned: bytes, 0, or -1 at the end. */
  private int lastRead;

  private RawLogStream(SocketChannel channel) {
    this.channel = channel;
  }

  /**
   * Connects, sends the request and reads the answer's headers (blocking); the body is read
   * by {@link #pump} or, once the channel is made non-blocking, {@link #readAvailable}.
   *
   * @param host unix:///path or tcp://host:port (plain HTTP)
   */
  static RawLogStream open(URI host, String apiVersion, String containerId, long sinceSeconds, boolean follow)
      throws IOException {
    SocketChannel ch;
    if ("unix".equals(host.getScheme())) {
      ch = SocketChannel.open(UnixDomainSocketAddress.of(host.getPath()));
    } else if ("tcp".equals(host.getScheme()) || "http".equals(host.getScheme())) {
      ch = SocketChannel.open(new InetSocketAddress(host.getHost(), host.getPort() < 0 ? 2375 : host.getPort()));
    } else {
      throw new IOException("unsupported Docker host " + host);
    }
    try {
      String path = "/v" + apiVersion + "/containers/" + containerId + "/logs?stdout=1&stderr=1&timestamps=1"
          + (follow ? "&follow=1" : "") + (sinceSeconds > 0 ? "&since=" + sinceSeconds : "");
      String request = "GET " + path + " HTTP/1.0\r\nHost: docker\r\nUser-Agent: tritonwatch\r\n\r\n";
      ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
      while (out.hasRemaining()) {
        ch.write(out);
      }
      RawLogStream s = new RawLogStream(ch);
      s.buf.position(s.readHeaders());
      return s;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Reads until the engine ends the stream; returns then. Closing the stream ends it early. */
  void pump(Sink sink) throws IOException {
    decode(sink, false);
    boolean open;
    do {
      open = fill();
      decode(sink, !open);
    } while (open);
  }

  SocketChannel channel() {
    return channel;
  }

  /**
   * For a stream whose channel is non-blocking: reads and delivers what has arrived.
   *
   * @return false once the engine has ended the stream
   */
  boolean readAvailable(Sink sink) throws IOException {
    while (true) {
      boolean open = fill();
      boolean full = buf.limit() == buf.capacity();
      decode(sink, !open);
      if (!open) {
        return false;
      }
      if (!full) {
        // A read that did not fill the buffer took all there was: asking again would only
        // cost a system call that answers 0.
        return true;
      }
    }
  }

  /**
   * Delivers every whole piece of the buffer; a frame header cut short, or an engine error
   * whose message has not all arrived, waits for the rest.
   *
   * @param atEnd no more bytes will come: an engine error is reported with what there is
   */
  void decode(Sink sink, boolean atEnd) throws IOException {
    while (buf.hasRemaining() || (atEnd && stream == SYSTEM_ERROR)) {
      if (framed == null) {
        framed = (buf.get(buf.position()) & 0xff) <= SYSTEM_ERROR;
      }
      if (!framed) {
        sink.bytes(RAW, buf.array(), buf.position(), buf.remaining());
        buf.position(buf.limit());
        return;
      }
      if (frameLeft == 0) {
        if (buf.remaining() < 8) {
          return;
        }
        stream = buf.get() & 0xff;
        buf.position(buf.position() + 3);
        frameLeft = buf.getInt();
        if (stream != STDOUT && stream != STDERR && stream != SYSTEM_ERROR) {
          throw new IOException("unexpected stream type " + stream + " in the log stream");
        }
        continue;
      }
      if (stream == SYSTEM_ERROR) {
        int want = Math.min(frameLeft, 4096);
        if (buf.remaining() < want && !atEnd) {
          return;
        }
        int n = Math.min(want, buf.remaining());
        throw new IOException("engine error in the log stream: "
            + new String(buf.array(), buf.position(), n, StandardCharsets.UTF_8).strip());
      }
      int n = Math.min(frameLeft, buf.remaining());
      sink.bytes(stream, buf.array(), buf.position(), n);
      buf.position(buf.position() + n);
      frameLeft -= n;
    }
  }

  /** Keeps what is undelivered and reads more; false at the end of the stream. */
  private boolean fill() throws IOException {
    buf.compact();
    try {
      lastRead = channel.read(buf);
    } finally {
      buf.flip();
    }
    return lastRead >= 0;
  }

  /** Reads the status line and headers; a status other than 200 is an error with the engine's message. */
  private int readHeaders() throws IOException {
    buf.clear();
    int end;
    while ((end = headerEnd()) < 0) {
      if (!buf.hasRemaining()) {
        throw new IOException("answer headers over " + MAX_HEADER_BYTES + " bytes");
      }
      if (channel.read(buf) < 0) {
        throw new IOException("the engine closed the connection before answering");
      }
    }
    String head = new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1);
    String status = head.lines().findFirst().orElse("");
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: '" + status + "'");
    }
    if (!parts[1].equals("200")) {
      buf.flip();
      buf.position(end + 4);
      StringBuilder body = new StringBuilder(new String(buf.array(), buf.position(), buf.remaining(), StandardCharsets.UTF_8));
      buf.clear();
      while (body.length() < 4096 && channel.read(buf) > 0) {
        buf.flip();
        body.append(new String(buf.array(), 0, buf.limit(), StandardCharsets.UTF_8));
        buf.clear();
      }
      String why = message(body.toString());
      if (parts[1].equals("501") || why.contains("does not support reading")) {
        throw new UnreadableLogException(why);
      }
      throw new IOException("GET logs answered " + parts[1] + ": " + why);
    }
    if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      throw new IOException("the engine answered HTTP/1.0 with a chunked body");
    }
    buf.flip();
    return end + 4;
  }

  /** The "message" of the engine's JSON error body, else the body itself. */
  static String message(String body) {
    int k = body.indexOf("\"message\"");
    if (k >= 0) {
      int q1 = body.indexOf('"', body.indexOf(':', k) + 1);
      int q2 = q1 < 0 ? -1 : body.indexOf('"', q1 + 1);
      if (q2 > q1) {
        return body.substring(q1 + 1, q2);
      }
    }
    return body.strip();
  }

  private int headerEnd() {
    byte[] a = buf.array();
    for (int i = 0; i + 3 < buf.position(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
