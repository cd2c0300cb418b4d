package io.tritonwatch.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** GET /version on the engine's unix socket, with the JDK alone (HTTP/1.0: the engine closes). */
final class EngineVersion {
  private EngineVersion() {}

  /** @return the engine's ApiVersion and MinAPIVersion (the latter may be null) */
  static String[] overUnixSocket(Path socket) throws IOException {
    ByteArrayOutputStream response = new ByteArrayOutputStream(2048);
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      ch.write(ByteBuffer.wrap("GET /version HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (ch.read(buf) >= 0) {
        buf.flip();
        response.write(buf.array(), 0, buf.limit());
        buf.clear();
        if (response.size() > 1 << 20) {
          throw new IOException("answer to /version too large");
        }
      }
    }
    String text = response.toString(StandardCharsets.UTF_8);
    int headerEnd = text.indexOf("\r\n\r\n");
    String status = text.lines().findFirst().orElse("");
    if (headerEnd < 0 || !status.matches("HTTP/1\\.[01] 200.*")) {
      throw new IOException("GET /version answered '" + status + "'");
    }
    JsonNode v = new ObjectMapper().readTree(text.substring(headerEnd + 4));
    if (!v.hasNonNull("ApiVersion")) {
      throw new IOException("GET /version: no ApiVersion in the answer");
    }
    return new String[] {v.get("ApiVersion").asText(), v.hasNonNull("MinAPIVersion") ? v.get("MinAPIVersion").asText() : null};
  }
}
