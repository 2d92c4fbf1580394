package io.horae.server.watch;

import io.grpc.stub.ServerCallStreamObserver;
import io.horae.api.v1.ExecutionEvent;
import io.horae.server.errors.Echo;
import io.horae.server.errors.StreamEndedException;
import io.horae.statemachine.core.ExecutionChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * Serves WatchExecutions from this node's apply listener: every node applies every entry, so any
 * node can. At most {@code streamsMax} streams at once, at most {@code streamsPerClientMax} of them
 * for one client (a principal, or an IP address: {@code CallerIdentity}), each with at most {@code
 * queueMax} queued events; one daemon thread drains all streams into gRPC, which never blocks it
 * (it sends only while a call is ready). Apply only enqueues and never waits.
 *
 * <p>A stream starts with a WATCHING event holding the applied index it starts after; registering
 * and reading that index happen under the same lock as dispatching an applied entry, so no change
 * after it is missed and none before it is sent.
 */
public final class WatchHub implements AutoCloseable {
  private final int streamsMax;
  private final int streamsPerClientMax;
  private final int queueMax;
  private final LongSupplier appliedIndex;

  /** Guarded by this for add (with the index read) and dispatch; removal is lock-free. */
  private final Set<WatchStream> streams = ConcurrentHashMap.newKeySet();

  private final ExecutorService drainer;
  private final Counter lagged;
  private final Counter refused;
  private final Counter refusedForClient;

  public WatchHub(
      String nodeId,
      int streamsMax,
      int streamsPerClientMax,
      int queueMax,
      LongSupplier appliedIndex,
      MeterRegistry registry) {
    this.streamsMax = streamsMax;
    this.streamsPerClientMax = streamsPerClientMax;
    this.queueMax = queueMax;
    this.appliedIndex = appliedIndex;
    this.drainer =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("horae-watch-" + nodeId).daemon().factory());
    Gauge.builder("horae.watch.streams", streams, java.util.Collection::size)
        .description("watch streams open on this node")
        .register(registry);
    Gauge.builder("horae.watch.streams.max", () -> streamsMax)
        .description("watchStreamsMax")
        .register(registry);
    this.lagged =
        Counter.builder("horae.watch.ended")
            .tag("reason", "lagged")
            .description("watch streams ended because the client fell behind")
            .register(registry);
    this.refused =
        Counter.builder("horae.watch.refused")
            .description("watch streams refused at watchStreamsMax")
            .register(registry);
    Gauge.builder("horae.watch.streams.client.max", () -> streamsPerClientMax)
        .description("watchStreamsPerClientMax")
        .register(registry);
    this.refusedForClient =
        Counter.builder("horae.watch.refused.client")
            .description("watch streams refused at watchStreamsPerClientMax")
            .register(registry);
  }

  /**
   * Starts a stream of the namespace's changes, or of one job's when {@code idPrefix} is set.
   *
   * @param client who the stream counts against ({@code CallerIdentity.current()})
   * @throws StreamEndedException WATCH_STREAMS_FULL at {@code streamsMax} open streams,
   *     WATCH_CLIENT_STREAMS_FULL when {@code client} holds {@code streamsPerClientMax}
   */
  public void open(
      String client,
      String namespace,
      String idPrefix,
      ServerCallStreamObserver<ExecutionEvent> observer) {
    // Under the lock no entry is dispatched, so the stream is registered and wired to its call
    // before it can get an event, and the drain thread touches the call only after that.
    synchronized (this) {
      if (streams.size() >= streamsMax) {
        refused.increment();
        throw new StreamEndedException(
            StreamEndedException.Reason.WATCH_STREAMS_FULL,
            "this node serves at most "
                + streamsMax
                + " watch streams; retry later or on another node");
      }
      // A scan of at most streamsMax streams, under the lock that adds them: no count to keep in
      // step with the lock-free removal.
      long held = streams.stream().filter(s -> s.client().equals(client)).count();
      if (held >= streamsPerClientMax) {
        refusedForClient.increment();
        throw new StreamEndedException(
            StreamEndedException.Reason.WATCH_CLIENT_STREAMS_FULL,
            Echo.value(client)
                + " already holds "
                + held
                + " watch streams on this node, the most one client may"
                + " (api.watchStreamsPerClientMax); close one first, or watch a namespace instead of many jobs");
      }
      WatchStream stream =
          new WatchStream(
              client,
              namespace,
              idPrefix,
              appliedIndex.getAsLong(),
              queueMax,
              observer,
              drainer,
              streams);
      streams.add(stream);
      stream.attach();
    }
  }

  /** Applier thread: hands the entry's execution changes to every stream. Never blocks. */
  public synchronized void onApplied(long index, List<ExecutionChange> changes) {
    if (changes.isEmpty() || streams.isEmpty()) {
      return;
    }
    for (WatchStream s : streams) {
      for (ExecutionChange c : changes) {
        if (!s.offer(index, c)) {
          lagged.increment();
          break;
        }
      }
    }
  }

  /**
   * The state was replaced from a snapshot: changes were skipped, so every watcher must re-list.
   */
  public void onRestored(long index) {
    endAll(
        new StreamEndedException(
            StreamEndedException.Reason.STATE_RESTORED,
            "this node caught up from a snapshot at index "
                + index
                + " and skipped changes;"
                + " list the executions again, then watch again"));
  }

  public int streams() {
    return streams.size();
  }

  private void endAll(StreamEndedException why) {
    for (WatchStream s : List.copyOf(streams)) {
      s.end(why);
    }
  }

  @Override
  public void close() {
    endAll(
        new StreamEndedException(
            StreamEndedException.Reason.NODE_CLOSING,
            "node is shutting down; watch on another node"));
    drainer.shutdown();
  }
}
