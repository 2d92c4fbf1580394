package io.horae.client;

import io.grpc.stub.ClientCallStreamObserver;
import java.util.concurrent.atomic.AtomicReference;

/** A running {@link ExecutionClient#watch}; closing it ends the stream. Thread-safe. */
public final class ExecutionWatch implements AutoCloseable {
  private final AtomicReference<ClientCallStreamObserver<?>> call = new AtomicReference<>();
  private volatile boolean closed;

  ExecutionWatch() {}

  void started(ClientCallStreamObserver<?> started) {
    call.set(started);
    if (closed) {
      started.cancel("closed by the client", null);
    }
  }

  boolean closedByClient() {
    return closed;
  }

  /** Ends the stream; the watcher's {@code onEnd(null)} follows. Idempotent. */
  @Override
  public void close() {
    closed = true;
    ClientCallStreamObserver<?> c = call.get();
    if (c != null) {
      c.cancel("closed by the client", null);
    }
  }
}
