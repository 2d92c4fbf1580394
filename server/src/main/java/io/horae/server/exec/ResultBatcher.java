package io.horae.server.exec;

import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Complete;
import io.horae.internal.v1.Op;
import io.horae.server.raft.Proposer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs attempt results into Complete ops of up to {@code batchMax} results. A result whose
 * proposal fails is retried a bounded number of times; if it still cannot be recorded, the claim
 * expires and the execution is delivered again with the same idempotency key (at least once).
 */
final class ResultBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultBatcher.class);
  static final int PROPOSE_TRIES_MAX = 10;
  /**
   * Most bytes of results in one Complete: half of the default raft.batchBytesMax, so a batch of
   * results with large response excerpts still fits one log entry beside other ops.
   */
  static final long COMPLETE_BYTES_MAX = 512 * 1024;

  private record Pending(AttemptResult result, int tries) {}

  private final BlockingQueue<Pending> queue;
  private final int batchMax;
  private final int historyMax;
  private final String nodeId;
  private final Proposer proposer;
  private final LongSupplier epoch;
  private final LongSupplier clock;
  private final Consumer<String> done;
  private final Thread thread;
  /** Results taken off the queue whose Complete has not been answered yet. */
  private final java.util.concurrent.atomic.AtomicInteger proposing = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closed;

  ResultBatcher(
      int queueMax, int batchMax, int historyMax, String nodeId, Proposer proposer, LongSupplier epoch, LongSupplier clock, Consumer<String> done) {
    this.queue = new ArrayBlockingQueue<>(queueMax);
    this.historyMax = historyMax;
    this.batchMax = batchMax;
    this.nodeId = nodeId;
    this.proposer = proposer;
    this.epoch = epoch;
    this.clock = clock;
    this.done = done;
    this.thread = Thread.ofPlatform().name("horae-results-" + nodeId).daemon().unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** Queues a result; the queue holds at most one per window slot, so it never overflows. */
  void add(AttemptResult result) {
    if (!queue.offer(new Pending(result, 0))) {
      LOG.warn("result queue full node={} execution={}; the claim will expire and be retried", nodeId, result.getExecutionId());
      done.accept(result.getExecutionId());
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (!closed) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchMax - 1);
        proposing.addAndGet(batch.size());
        // Results carry response excerpts: split so one Complete stays well inside a Raft entry.
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < batch.size(); i++) {
          bytes += batch.get(i).result().getSerializedSize();
          if (bytes > COMPLETE_BYTES_MAX && i > from) {
            propose(List.copyOf(batch.subList(from, i)));
            from = i;
            bytes = batch.get(i).result().getSerializedSize();
          }
        }
        propose(List.copyOf(batch.subList(from, batch.size())));
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void propose(List<Pending> batch) {
    Complete.Builder c =
        Complete.newBuilder().setNodeId(nodeId).setEpoch(epoch.getAsLong()).setNowMs(clock.getAsLong()).setAttemptHistoryMax(historyMax);
    batch.forEach(p -> c.addResults(p.result()));
    proposer
        .propose(Op.newBuilder().setComplete(c).build())
        .whenComplete(
            (r, error) -> {
              proposing.addAndGet(-batch.size());
              if (error == null) {
                batch.forEach(p -> done.accept(p.result().getExecutionId()));
                return;
              }
              for (Pending p : batch) {
                if (p.tries() + 1 < PROPOSE_TRIES_MAX && !closed && queue.offer(new Pending(p.result(), p.tries() + 1))) {
                  continue;
                }
                LOG.warn("giving up recording result node={} execution={}", nodeId, p.result().getExecutionId(), error);
                done.accept(p.result().getExecutionId());
              }
            });
  }

  /** True when every result handed to {@link #add} has been answered (recorded or given up). */
  boolean idle() {
    return queue.isEmpty() && proposing.get() == 0;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
