package io.tritonwatch.docker;

import java.io.IOException;

/**
 * The engine keeps no log it can give back for this container: its logging driver is
 * {@code none}, or sends the output elsewhere (fluentd, syslog, gelf... without the local
 * cache). Asking again will not help, so nobody should.
 */
final class UnreadableLogException extends IOException {
  UnreadableLogException(String message) {
    super(message);
  }
}
