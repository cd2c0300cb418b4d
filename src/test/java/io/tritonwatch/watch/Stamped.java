package io.tritonwatch.watch;

import io.tritonwatch.source.RawLine;
import io.tritonwatch.text.ByteSearch;
import io.tritonwatch.text.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Feeds a line as {@code docker logs -t} prints it the way a live reader does: the stamp taken off as a value. */
public final class Stamped {

  private Stamped() {}

  public static void line(WatchedContainer c, String stampedText) {
    int space = stampedText.indexOf(' ');
    Instant stamp = Instant.parse(stampedText.substring(0, space));
    byte[] b = stampedText.substring(space + 1).getBytes(StandardCharsets.UTF_8);
    c.line(new RawLine().set(RawLine.STDOUT, Rfc3339.nanos(stamp), b, 0, b.length,
        ByteSearch.control(b, 0, b.length) < b.length));
  }
}
