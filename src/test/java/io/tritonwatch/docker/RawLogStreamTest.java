package io.tritonwatch.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire format of the engine's log answer, served from a unix socket of the test's own so
 * that every cut and every odd case is certain (the real engine is in the integration tests).
 */
class RawLogStreamTest {

  private Path dir;
  private Path socket;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory("rawlog");
    socket = dir.resolve("engine.sock");
  }

  @AfterEach
  void tearDown() throws IOException {
    Files.deleteIfExists(socket);
    Files.deleteIfExists(dir);
  }

  /** Serves one answer, written in pieces of at most {@code piece} bytes; returns the request. */
  private AtomicReference<String> serve(byte[] answer, int piece) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    AtomicReference<String> request = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try (server; SocketChannel c = server.accept()) {
        ByteBuffer in = ByteBuffer.allocate(4096);
        while (!new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
          c.read(in);
        }
        request.set(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
        int writes = 0;
        for (int off = 0; off < answer.length; off += piece) {
          c.write(ByteBuffer.wrap(answer, off, Math.min(piece, answer.length - off)));
          if (++writes % 64 == 0) {
            Thread.sleep(1); // let the reader see the answer in many reads
          }
        }
      } catch (IOException | InterruptedException e) {
        // the client went away
      }
    });
    t.setDaemon(true);
    t.start();
    return request;
  }

  private static byte[] frame(int stream, String payload) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + p.length);
    b.put((byte) stream).put(new byte[3]).putInt(p.length).put(p);
    return b.array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static final byte[] OK = "HTTP/1.0 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  private List<String> read(byte[] answer, int piece, String[] request) throws IOException {
    AtomicReference<String> req = serve(answer, piece);
    // Bytes, not text: a piece may end inside a character.
    ByteArrayOutputStream[] streams = {new ByteArrayOutputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    try (RawLogStream s = RawLogStream.open(URI.create("unix://" + socket), "1.41", "abc123", 1700000000L, true)) {
      s.pump((stream, b, off, len) -> streams[stream].write(b, off, len));
    }
    if (request != null) {
      request[0] = req.get();
    }
    List<String> out = new ArrayList<>();
    for (ByteArrayOutputStream b : streams) {
      out.add(b.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void multiplexedFramesInAnyCutReachTheirStreams() throws IOException {
    Random r = new Random(5);
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String line = "2025-07-20T11:04:26.123456789Z line " + i + " ✓ " + "x".repeat(r.nextInt(300)) + "\n";
      boolean toErr = r.nextInt(4) == 0;
      (toErr ? err : out).append(line);
      frames.add(frame(toErr ? 2 : 1, line));
    }
    frames.add(frame(1, "")); // an empty frame is legal
    byte[] body = concat(frames.toArray(byte[][]::new));
    for (int piece : new int[] {1, 7, 8, 9, 1000, 1 << 20}) {
      String[] request = new String[1];
      List<String> got = read(concat(OK, body), piece, request);
      assertEquals(out.toString(), got.get(RawLogStream.STDOUT), "piece " + piece);
      assertEquals(err.toString(), got.get(RawLogStream.STDERR), "piece " + piece);
      assertEquals("", got.get(RawLogStream.RAW));
      assertTrue(request[0].startsWith("GET /v1.41/containers/abc123/logs?stdout=1&stderr=1&timestamps=1&follow=1"
          + "&since=1700000000 HTTP/1.0\r\n"), request[0]);
      Files.deleteIfExists(socket);
    }
  }

  @Test
  void theReactorReadsStreamsToTheirEndAndReportsErrors() throws Exception {
    StringBuilder want = new StringBuilder();
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      String line = "2025-07-20T11:04:26.123456789Z reactor line " + i + " ✓\n";
      want.append(line);
      frames.add(frame(1, line));
    }
    serve(concat(OK, concat(frames.toArray(byte[][]::new))), 333);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (LogReactor reactor = new LogReactor();
        RawLogStream s = RawLogStream.open(URI.create("unix://" + socket), "1.41", "abc123", 0, true)) {
      reactor.follow(s, (stream, b, off, len) -> got.write(b, off, len)).get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(want.toString(), got.toString(StandardCharsets.UTF_8));
      Files.deleteIfExists(socket);
      serve(concat(OK, frame(1, "2025-07-20T11:04:26.123456789Z ok\n"), frame(3, "Error grabbing logs: bad")), 5);
      try (RawLogStream bad = RawLogStream.open(URI.create("unix://" + socket), "1.41", "abc123", 0, true)) {
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
            () -> reactor.follow(bad, (stream, b, off, len) -> { }).get(20, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("Error grabbing logs: bad"), e.getCause().getMessage());
      }
    }
  }

  @Test
  void aTtyStreamIsRawBytes() throws IOException {
    String tty = "2025-07-20T11:04:26.123456789Z hello\r\n2025-07-20T11:04:27.000000000Z world\r\n";
    List<String> got = read(concat(OK, tty.getBytes(StandardCharsets.UTF_8)), 5, null);
    assertEquals(tty, got.get(RawLogStream.RAW));
    assertEquals("", got.get(RawLogStream.STDOUT));
  }

  @Test
  void theEnginesRefusalIsAnErrorWithItsMessage() throws IOException {
    byte[] answer = ("HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n"
        + "{\"message\":\"No such container: abc123\"}\n").getBytes(StandardCharsets.US_ASCII);
    serve(answer, 3);
    IOException e = assertThrows(IOException.class,
        () -> RawLogStream.open(URI.create("unix://" + socket), "1.41", "abc123", 0, true));
    assertEquals("GET logs answered 404: No such container: abc123", e.getMessage());
  }

  @Test
  void anEngineErrorInsideTheStreamEndsItWithTheMessage() throws IOException {
    byte[] body = concat(frame(1, "2025-07-20T11:04:26.123456789Z fine\n"),
        frame(3, "Error grabbing logs: invalid character '\\x00' looking for beginning of value"));
    AtomicReference<String> req = serve(concat(OK, body), 11);
    StringBuilder out = new StringBuilder();
    try (RawLogStream s = RawLogStream.open(URI.create("unix://" + socket), "1.41", "abc123", 0, false)) {
      IOException e = assertThrows(IOException.class,
          () -> s.pump((stream, b, off, len) -> out.append(new String(b, off, len, StandardCharsets.UTF_8))));
      assertTrue(e.getMessage().contains("Error grabbing logs"), e.getMessage());
    }
    assertEquals("2025-07-20T11:04:26.123456789Z fine\n", out.toString(), "what came before the error is kept");
    assertTrue(req.get().contains("timestamps=1 HTTP/1.0"), "no follow, no since: " + req.get());
  }

  @Test
  void aConnectionClosedMidHeaderEndsQuietly() throws IOException {
    byte[] cut = concat(OK, frame(1, "2025-07-20T11:04:26.123456789Z whole\n"), new byte[] {1, 0, 0});
    List<String> got = read(cut, 4, null);
    assertEquals("2025-07-20T11:04:26.123456789Z whole\n", got.get(RawLogStream.STDOUT));
  }

  @Test
  void noEngineIsAClearError() {
    IOException e = assertThrows(IOException.class,
        () -> RawLogStream.open(URI.create("unix://" + socket), "1.41", "abc123", 0, true));
    assertTrue(e.getMessage() == null || !e.getMessage().isEmpty());
    assertThrows(IOException.class, () -> RawLogStream.open(URI.create("npipe:///x"), "1.41", "a", 0, true));
  }
}
