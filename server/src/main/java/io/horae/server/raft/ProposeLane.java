package io.horae.server.raft;

import io.horae.internal.v1.Op;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/** One FIFO lane of the {@link Proposer}, bounded by count and by bytes. */
final class ProposeLane {
  /** An op waiting to be proposed: its encoded size, and the caller's future. */
  record Pending(
      Op op, int bytes, CompletableFuture<Proposer.Committed> result, long queuedAtNanos) {}

  final String name;
  final BlockingQueue<Pending> queue;
  final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
  final int countMax;
  final long bytesMax;

  ProposeLane(String name, int countMax, long bytesMax, MeterRegistry registry) {
    this.name = name;
    this.queue = new ArrayBlockingQueue<>(countMax);
    this.countMax = countMax;
    this.bytesMax = bytesMax;
    io.micrometer.core.instrument.Gauge.builder(
            "horae.raft.propose.queue.depth", queue, BlockingQueue::size)
        .description("ops waiting in a proposal lane")
        .tag("lane", name)
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "horae.raft.propose.queue.bytes", bytes, java.util.concurrent.atomic.AtomicLong::get)
        .description("bytes of the ops waiting in a proposal lane")
        .tag("lane", name)
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("horae.raft.propose.queue.capacity", () -> countMax)
        .description("most ops a proposal lane holds (raft.proposeQueueMax)")
        .tag("lane", name)
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "horae.raft.propose.queue.bytes.capacity", () -> bytesMax)
        .description("most bytes a proposal lane holds")
        .tag("lane", name)
        .register(registry);
  }

  boolean offer(Pending p) {
    long after = bytes.addAndGet(p.bytes());
    if (after > bytesMax && after != p.bytes()) {
      bytes.addAndGet(-p.bytes());
      return false;
    }
    if (!queue.offer(p)) {
      bytes.addAndGet(-p.bytes());
      return false;
    }
    return true;
  }

  /** Moves ops from the head into batch while both bounds allow; returns the batch's bytes. */
  long drainInto(List<Pending> batch, int opsMax, long bytesMax, long batchBytes) {
    Pending next;
    while (batch.size() < opsMax && (next = queue.peek()) != null) {
      if (!batch.isEmpty() && batchBytes + next.bytes() > bytesMax) {
        break;
      }
      batch.add(queue.poll());
      bytes.addAndGet(-next.bytes());
      batchBytes += next.bytes();
    }
    return batchBytes;
  }

  /** How long the op at the head has waited at {@code nowNanos}; 0 when the lane is empty. */
  long headWaitNanos(long nowNanos) {
    Pending head = queue.peek();
    return head == null ? 0 : Math.max(0, nowNanos - head.queuedAtNanos());
  }

  String describe() {
    return queue.size() + " of " + countMax + " ops, " + bytes.get() + " of " + bytesMax + " bytes";
  }
}
