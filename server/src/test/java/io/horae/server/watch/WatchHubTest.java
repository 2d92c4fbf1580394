package io.horae.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionEventKind;
import io.horae.server.errors.StreamEndedException;
import io.horae.statemachine.core.ExecutionChange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch hub's bounds, with a gRPC call stand-in whose readiness the test controls (a real
 * client's flow-control window is megabytes, too large to fill deterministically): a watcher that
 * does not read is ended with RESOURCE_EXHAUSTED at the queue bound, the stream bound refuses new
 * watchers, one client cannot hold more than its share, and events never precede the watch's start
 * index.
 */
class WatchHubTest {
  private static final int QUEUE_MAX = 4;
  private static final String CLIENT = "address 127.0.0.1";
  private final AtomicLong applied = new AtomicLong(10);
  private final WatchHub hub =
      new WatchHub("n1", 2, 2, QUEUE_MAX, applied::get, new SimpleMeterRegistry());

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void aWatcherThatStopsReadingIsEndedWithResourceExhaustedOnceItsQueueIsFull() {
    Call call = new Call(false);
    hub.open(CLIENT, "default", null, call);
    for (int i = 0; i < QUEUE_MAX - 1; i++) {
      hub.onApplied(11 + i, List.of(change("default/a@" + (i + 1))));
    }
    assertThat(hub.streams())
        .as("the queue (WATCHING + 3 changes) is full but not over")
        .isEqualTo(1);

    hub.onApplied(20, List.of(change("default/a@99")));

    await().atMost(Duration.ofSeconds(5)).until(() -> call.error.get() != null);
    Status status = Status.fromThrowable(call.error.get());
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).contains("list the executions again, then watch again");
    assertThat(call.sent).isEmpty();
    assertThat(hub.streams()).isZero();
  }

  @Test
  void aReadyWatcherGetsWatchingThenOnlyLaterChangesOfItsJob() {
    Call call = new Call(true);
    hub.open(CLIENT, "default", "default/a@", call);

    hub.onApplied(10, List.of(change("default/a@1")));
    hub.onApplied(
        11,
        List.of(
            change("default/b@1"),
            change("other/a@1"),
            new ExecutionChange(execution("default/a@2"), true)));

    await().atMost(Duration.ofSeconds(5)).until(() -> call.sent.size() == 2);
    List<ExecutionEvent> sent = List.copyOf(call.sent);
    assertThat(sent.get(0).getKind()).isEqualTo(ExecutionEventKind.EXECUTION_EVENT_KIND_WATCHING);
    assertThat(sent.get(0).getAppliedIndex()).isEqualTo(10);
    assertThat(sent.get(1).getKind()).isEqualTo(ExecutionEventKind.EXECUTION_EVENT_KIND_CREATED);
    assertThat(sent.get(1).getExecution().getId()).isEqualTo("default/a@2");
    assertThat(sent.get(1).getAppliedIndex()).isEqualTo(11);
  }

  @Test
  void moreWatchersThanTheBoundAreRefusedAndAClosedOneFreesItsPlace() {
    Call first = new Call(true);
    hub.open(CLIENT, "default", null, first);
    hub.open(CLIENT, "default", null, new Call(true));

    StreamEndedException refused =
        catchThrowableOfType(
            StreamEndedException.class, () -> hub.open(CLIENT, "default", null, new Call(true)));
    assertThat(refused.reason()).isEqualTo(StreamEndedException.Reason.WATCH_STREAMS_FULL);

    first.cancel();
    hub.open(CLIENT, "default", null, new Call(true));
    assertThat(hub.streams()).isEqualTo(2);
  }

  @Test
  void aClientPastItsShareIsRefusedWithResourceExhaustedWhileOthersStillGetStreams() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (WatchHub shared = new WatchHub("n1", 10, 2, QUEUE_MAX, applied::get, registry)) {
      Call first = new Call(true);
      shared.open("principal alice", "default", null, first);
      shared.open("principal alice", "default", "default/a@", new Call(true));

      StreamEndedException refused =
          catchThrowableOfType(
              StreamEndedException.class,
              () -> shared.open("principal alice", "other", null, new Call(true)));
      shared.open("principal bob", "default", null, new Call(true));

      assertThat(refused.reason()).isEqualTo(StreamEndedException.Reason.WATCH_CLIENT_STREAMS_FULL);
      Status status = Status.fromThrowable(io.horae.server.errors.GrpcErrors.toStatus(refused));
      assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(status.getDescription())
          .isEqualTo(
              "principal alice already holds 2 watch streams on this node, the most one client may"
                  + " (api.watchStreamsPerClientMax); close one first, or watch a namespace instead of many jobs");
      assertThat(registry.get("horae.watch.refused.client").counter().count()).isEqualTo(1);
      assertThat(shared.streams()).isEqualTo(3);

      first.cancel();
      shared.open("principal alice", "other", null, new Call(true));
      assertThat(shared.streams()).isEqualTo(3);
    }
  }

  @Test
  void aSnapshotRestoreEndsEveryWatchWithAborted() {
    Call call = new Call(true);
    hub.open(CLIENT, "default", null, call);
    hub.onRestored(500);
    await().atMost(Duration.ofSeconds(5)).until(() -> call.error.get() != null);
    assertThat(Status.fromThrowable(call.error.get()).getCode()).isEqualTo(Status.Code.ABORTED);
  }

  private static ExecutionChange change(String id) {
    return new ExecutionChange(execution(id), false);
  }

  private static Execution execution(String id) {
    return Execution.newBuilder().setId(id).setNamespace(id.substring(0, id.indexOf('/'))).build();
  }

  /** Stand-in for the server side of one streaming call. */
  private static final class Call extends ServerCallStreamObserver<ExecutionEvent> {
    final ConcurrentLinkedQueue<ExecutionEvent> sent = new ConcurrentLinkedQueue<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    private final boolean ready;
    private volatile Runnable onCancel;

    Call(boolean ready) {
      this.ready = ready;
    }

    void cancel() {
      onCancel.run();
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void onNext(ExecutionEvent value) {
      sent.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {
      this.onCancel = onCancelHandler;
    }

    @Override
    public void setCompression(String compression) {}

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void disableAutoInboundFlowControl() {}
  }
}
