package io.horae.server.watch;

import io.grpc.stub.ServerCallStreamObserver;
import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionEventKind;
import io.horae.server.errors.GrpcErrors;
import io.horae.server.errors.StreamEndedException;
import io.horae.statemachine.core.ExecutionChange;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WatchExecutions stream: a bounded queue filled on the applier thread (never blocking it) and
 * drained into gRPC on the hub's drain thread only while the call is ready (flow control). A full
 * queue ends the stream with RESOURCE_EXHAUSTED: the watcher is too slow to follow, and dropping
 * events silently would leave it with a wrong picture.
 */
final class WatchStream {
  /** Who opened it, for the per-client bound. */
  private final String client;

  private final String namespace;

  /** Id prefix of the watched job, or null for the whole namespace. */
  private final String idPrefix;

  private final long startIndex;
  private final ServerCallStreamObserver<ExecutionEvent> observer;
  private final ArrayBlockingQueue<ExecutionEvent> queue;
  private final Executor drainer;

  /** The hub's open streams; this stream leaves it when it ends. */
  private final java.util.Set<WatchStream> registry;

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();

  /** Set once, when the stream ends with an error; the drain sends it after nothing else. */
  private volatile StreamEndedException failure;

  /** Guarded by this: the observer was completed or failed, or the client cancelled. */
  private boolean closed;

  WatchStream(
      String client,
      String namespace,
      String idPrefix,
      long startIndex,
      int queueMax,
      ServerCallStreamObserver<ExecutionEvent> observer,
      Executor drainer,
      java.util.Set<WatchStream> registry) {
    this.client = client;
    this.namespace = namespace;
    this.idPrefix = idPrefix;
    this.startIndex = startIndex;
    this.observer = observer;
    this.queue = new ArrayBlockingQueue<>(queueMax);
    this.drainer = drainer;
    this.registry = registry;
    queue.add(
        ExecutionEvent.newBuilder()
            .setKind(ExecutionEventKind.EXECUTION_EVENT_KIND_WATCHING)
            .setAppliedIndex(startIndex)
            .build());
  }

  String client() {
    return client;
  }

  /** Wires flow control and cancellation; call before the first event can be drained. */
  void attach() {
    observer.setOnReadyHandler(this::scheduleDrain);
    observer.setOnCancelHandler(
        () -> {
          synchronized (this) {
            closed = true;
          }
          if (ended.compareAndSet(false, true)) {
            registry.remove(this);
          }
        });
    scheduleDrain();
  }

  /**
   * Applier thread: queues the change if it is watched, or ends the stream if it is full.
   *
   * @return false when the stream ended now because its queue was full
   */
  boolean offer(long index, ExecutionChange change) {
    if (ended.get() || index <= startIndex || !watched(change)) {
      return true;
    }
    ExecutionEvent event =
        ExecutionEvent.newBuilder()
            .setKind(
                change.created()
                    ? ExecutionEventKind.EXECUTION_EVENT_KIND_CREATED
                    : ExecutionEventKind.EXECUTION_EVENT_KIND_UPDATED)
            .setExecution(change.execution())
            .setAppliedIndex(index)
            .build();
    if (!queue.offer(event)) {
      end(
          new StreamEndedException(
              StreamEndedException.Reason.WATCH_LAGGED,
              "watch fell behind: more than "
                  + (queue.size() + queue.remainingCapacity())
                  + " events waited for this client;"
                  + " list the executions again, then watch again"));
      return false;
    }
    scheduleDrain();
    return true;
  }

  /** Ends the stream with this error after nothing more is sent; the first end wins. */
  void end(StreamEndedException why) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    failure = why;
    queue.clear();
    registry.remove(this);
    scheduleDrain();
  }

  private boolean watched(ExecutionChange change) {
    String id = change.execution().getId();
    return idPrefix == null
        ? change.execution().getNamespace().equals(namespace)
        : id.startsWith(idPrefix);
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        drainer.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        drainScheduled.set(false);
      }
    }
  }

  private synchronized void drain() {
    drainScheduled.set(false);
    if (closed) {
      return;
    }
    try {
      StreamEndedException why = failure;
      if (why != null) {
        closed = true;
        observer.onError(GrpcErrors.toStatus(why));
        return;
      }
      while (observer.isReady()) {
        ExecutionEvent next = queue.poll();
        if (next == null) {
          return;
        }
        observer.onNext(next);
      }
    } catch (RuntimeException e) {
      // The call is gone (cancelled or failed under us): nothing can be sent any more.
      closed = true;
      if (ended.compareAndSet(false, true)) {
        registry.remove(this);
      }
    }
  }
}
