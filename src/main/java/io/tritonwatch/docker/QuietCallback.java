package io.tritonwatch.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.Closeable;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A docker-java callback that hands each item on and keeps a stream error to itself. A
 * stream that breaks is routine (container gone, engine restarting); the owner's loop decides
 * what to do and logs once, where docker-java's own handler would log a stack trace each time.
 */
final class QuietCallback<T> extends ResultCallback.Adapter<T> {

  private final Consumer<T> next;
  private volatile Throwable error;

  QuietCallback(Consumer<T> next) {
    this.next = next;
  }

  @Override
  public void onNext(T item) {
    next.accept(item);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
    quietClose(this);
  }

  /** The error that ended the stream, or null when it ended normally. */
  Throwable error() {
    return error;
  }

  static void quietClose(Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // closing on the way out or after a failure: nothing more to say
    }
  }
}
