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
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs attempt results into Complete ops of up to {@code batchMax} results. A fresh result waits
 * up to {@code lingerNanos} for others to join its Complete: every Raft entry costs each node a log
 * append, a replication round, an fsync and an apply however few results it carries, and at a
 * steady rate results come one at a time, so without the wait each one would be an entry of its
 * own. The wait delays the recording of a result, never a delivery. A result whose proposal fails
 * (no leader, a full proposal queue, a timeout) is proposed again after a growing pause, for up to
 * {@link #RETRY_FOR_MILLIS}: while it waits, its execution stays in the owner's window and nobody
 * fires it again, so congestion never turns into a second sender. A repeat of a Complete that did
 * commit is harmless (apply takes only the first result of an attempt). Only past that time is a
 * result given up; the execution is then fired again with the same key.
 */
final class ResultBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultBatcher.class);

  /** How long a result is proposed again before it is given up. */
  static final long RETRY_FOR_MILLIS = 10 * 60 * 1000;

  /** Pauses between proposals of a result: doubling from the first to the last. */
  static final long RETRY_PAUSE_MIN_MILLIS = 20, RETRY_PAUSE_MAX_MILLIS = 2000;

  /** Where a result ended: committed at a log index, or given up (index -1). */
  @FunctionalInterface
  interface Recorded {
    void recorded(String executionId, long index);
  }

  /**
   * Most bytes of results in one Complete: half of the default raft.batchBytesMax, so a batch of
   * results with large response excerpts still fits one log entry beside other ops.
   */
  static final long COMPLETE_BYTES_MAX = 512 * 1024;

  /** A result, how often it was proposed, when it was first queued and when it may go again. */
  private record Pending(AttemptResult result, int tries, long firstNanos, long notBeforeNanos) {}

  private final BlockingQueue<Pending> queue;
  private final int batchMax;
  private final long lingerNanos;
  private final int historyMax;
  private final String nodeId;
  private final Proposer proposer;
  private final LongSupplier epoch;
  private final LongSupplier clock;
  private final Recorded done;
  private final Thread thread;

  /**
   * Results handed to {@link #add} and not answered yet (recorded or given up): queued, lingering,
   * in a Complete or waiting to be proposed again. Counted from {@code add} to the answer, so that
   * {@link #idle} never misses one between the queue and its proposal.
   */
  private final java.util.concurrent.atomic.AtomicInteger unanswered =
      new java.util.concurrent.atomic.AtomicInteger();

  private volatile boolean closed;

  ResultBatcher(
      int queueMax,
      int batchMax,
      java.time.Duration linger,
      int historyMax,
      String nodeId,
      Proposer proposer,
      LongSupplier epoch,
      LongSupplier clock,
      Recorded done) {
    this.queue = new ArrayBlockingQueue<>(queueMax);
    this.historyMax = historyMax;
    this.batchMax = batchMax;
    this.lingerNanos = linger.toNanos();
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
    long now = System.nanoTime();
    unanswered.incrementAndGet();
    if (!queue.offer(new Pending(result, 0, now, now))) {
      unanswered.decrementAndGet();
      LOG.warn(
          "result queue full node={} execution={}; it will be fired again",
          nodeId,
          result.getExecutionId());
      done.recorded(result.getExecutionId(), -1);
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
        long wait = first.notBeforeNanos() - System.nanoTime();
        if (wait > 0) {
          // A retry: results queue in time order, so the first one's pause covers the rest.
          TimeUnit.NANOSECONDS.sleep(
              Math.min(wait, TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MAX_MILLIS)));
        }
        take(batch, first);
        if (first.tries() == 0) {
          linger(batch, first.firstNanos() + lingerNanos);
        }
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

  /** Adds {@code p} and whatever else is queued, up to {@code batchMax}. */
  private void take(List<Pending> batch, Pending p) {
    batch.add(p);
    queue.drainTo(batch, batchMax - batch.size());
  }

  /** Waits until {@code deadlineNanos} for more results, while the batch has room. */
  private void linger(List<Pending> batch, long deadlineNanos) throws InterruptedException {
    while (batch.size() < batchMax && !closed) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      take(batch, next);
    }
  }

  private void propose(List<Pending> batch) {
    Complete.Builder c =
        Complete.newBuilder()
            .setNodeId(nodeId)
            .setEpoch(epoch.getAsLong())
            .setNowMs(clock.getAsLong())
            .setAttemptHistoryMax(historyMax);
    batch.forEach(p -> c.addResults(p.result()));
    proposer
        .proposeIndexed(Op.newBuilder().setComplete(c).build())
        .whenComplete(
            (r, error) -> {
              if (error == null) {
                unanswered.addAndGet(-batch.size());
                batch.forEach(p -> done.recorded(p.result().getExecutionId(), r.index()));
                return;
              }
              long now = System.nanoTime();
              for (Pending p : batch) {
                long pause =
                    Math.min(
                        RETRY_PAUSE_MAX_MILLIS, RETRY_PAUSE_MIN_MILLIS << Math.min(p.tries(), 16));
                Pending again =
                    new Pending(
                        p.result(),
                        p.tries() + 1,
                        p.firstNanos(),
                        now + TimeUnit.MILLISECONDS.toNanos(pause));
                boolean inTime =
                    now - p.firstNanos() < TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MILLIS);
                if (inTime && !closed && queue.offer(again)) {
                  continue;
                }
                LOG.warn(
                    "giving up recording result node={} execution={} tries={}",
                    nodeId,
                    p.result().getExecutionId(),
                    p.tries() + 1,
                    error);
                unanswered.decrementAndGet();
                done.recorded(p.result().getExecutionId(), -1);
              }
            });
  }

  /** Results waiting to be proposed; for the metrics. */
  int queued() {
    return queue.size();
  }

  /**
   * Results taken from the queue (lingering or in a Complete) not answered yet; for the metrics.
   */
  int proposing() {
    return Math.max(0, unanswered.get() - queue.size());
  }

  /** True when every result handed to {@link #add} has been answered (recorded or given up). */
  boolean idle() {
    return unanswered.get() == 0;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
