package io.horae.server.raft;

import io.horae.internal.v1.Command;
import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;
import io.horae.server.raft.ProposeLane.Pending;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: operations proposed concurrently (creates, claims, results) are packed many to one
 * Raft entry, bounded by count and bytes. One small op per entry caps a 3-node group near 2-3 k
 * entries/s on 2 cores; a hundred per entry reaches tens of thousands (DESIGN §11).
 *
 * <p>A batch is sent as soon as the previous ones leave room ({@code batchesInFlightMax}), so under
 * light load an op waits for no timer, and under heavy load batches grow by themselves while
 * earlier ones are in flight. When a slot is free, the proposing thread sends the batch itself: a
 * lone create then costs no hand-off to another thread, which on a loaded 2-core machine is worth
 * up to a millisecond per hop (docs/bench.md, "Where a create spends its time"). Ops that queue
 * behind full slots are sent by the proposer thread when a batch completes, never by the thread
 * completing it: that is the Ratis client's reply thread, inside its sliding window's lock. On the
 * leader an entry goes straight into the local Raft server; elsewhere the Ratis client finds the
 * leader, so any node can propose ({@link EntrySender}).
 */
public final class Proposer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Proposer.class);

  /** How often the idle proposer thread checks whether the proposer was closed. */
  static final long IDLE_POLL_MILLIS = 100;

  /**
   * How long an op whose kind needs a member's apply version waits for that version to be known.
   */
  static final long VERSION_WAIT_MILLIS_MAX = 5_000;

  /** How often such an op looks again. */
  static final long VERSION_RECHECK_MILLIS = 100;

  /** An op's result and the index of the log entry that carried it. */
  public record Committed(OpResult result, long index) {}

  private final EntrySender sender;

  /** The node's own ops (results, shard-map and membership changes, history sweeps): sent first. */
  private final ProposeLane internal;

  /** Clients' ops (creates, updates, deletes, ...): sent when no internal op waits. */
  private final ProposeLane clients;

  private final int batchOpsMax;
  private final long batchBytesMax;
  private final int batchesInFlightMax;
  private final int clientBatchesInFlightMax;
  private final Semaphore inFlight;

  /** Released when ops may wait for a free slot or sender; wakes the proposer thread. */
  private final Semaphore batchDone = new Semaphore(0);

  /** Held while taking ops from the queue and handing them to the Ratis client. */
  private final java.util.concurrent.locks.ReentrantLock sendLock =
      new java.util.concurrent.locks.ReentrantLock();

  private final Thread thread;
  private final DistributionSummary batchSize;
  private volatile boolean closed;

  /**
   * Keeps op kinds some member does not know out of the log; none in tests that build a bare
   * proposer.
   */
  private volatile ApplyVersionGate gate;

  /** {@code raft.proposeQueueWaitMax} in nanos; 0: clients' ops are refused only when full. */
  private volatile long queueWaitMaxNanos;

  /** Refuses clients' ops while a member's data dir is low on space; none in bare tests. */
  private volatile io.horae.server.disk.DiskGuard disk;

  /**
   * @param queueMax most ops waiting in each lane
   * @param queueBytesMax most encoded bytes waiting in each lane (one op larger than this still
   *     queues when its lane is empty: the API bounds an op's size)
   * @param batchesInFlightMax batches sent and awaiting their commit at once
   * @param clientBatchesInFlightMax of those, most that may be in flight when a new batch would
   *     carry only clients' ops (see {@link #maySend})
   */
  public Proposer(
      EntrySender sender,
      int queueMax,
      long queueBytesMax,
      int batchOpsMax,
      long batchBytesMax,
      int batchesInFlightMax,
      int clientBatchesInFlightMax,
      MeterRegistry registry) {
    this.sender = sender;
    this.batchesInFlightMax = batchesInFlightMax;
    this.clientBatchesInFlightMax = Math.min(clientBatchesInFlightMax, batchesInFlightMax);
    this.inFlight = new Semaphore(batchesInFlightMax);
    this.internal = new ProposeLane("internal", queueMax, queueBytesMax, registry);
    this.clients = new ProposeLane("client", queueMax, queueBytesMax, registry);
    this.batchOpsMax = batchOpsMax;
    this.batchBytesMax = batchBytesMax;
    this.batchSize =
        DistributionSummary.builder("horae.raft.batch.ops")
            .description("ops per Raft entry")
            .register(registry);
    this.thread = Thread.ofPlatform().name("horae-proposer").daemon().unstarted(this::run);
  }

  /** Checks every op against the members' apply versions before it is queued. */
  public Proposer gate(ApplyVersionGate gate) {
    this.gate = gate;
    return this;
  }

  /**
   * True when every voting member applies {@code version} (see {@link ApplyVersionGate#allows}); a
   * bare proposer (tests) allows every version.
   */
  public boolean allows(int version) {
    ApplyVersionGate g = gate;
    return g == null || g.allows(version);
  }

  /** Refuses clients' ops (except removals) while a member's data dir is low on space. */
  public Proposer disk(io.horae.server.disk.DiskGuard disk) {
    this.disk = disk;
    return this;
  }

  /**
   * Refuses clients' ops while the oldest one waiting has waited longer than {@code max} (zero:
   * never): past capacity a write is answered at once instead of after seconds in the queue.
   */
  public Proposer queueWaitMax(java.time.Duration max) {
    this.queueWaitMaxNanos = max.toNanos();
    return this;
  }

  public Proposer start() {
    thread.start();
    return this;
  }

  /**
   * Queues one op for the next entry. Fails fast with {@link OverloadedException} when the queue is
   * full: nothing was proposed, and the caller may retry later.
   */
  public CompletableFuture<OpResult> propose(Op op) {
    return proposeIndexed(op).thenApply(Committed::result);
  }

  /**
   * {@link #propose}, answering also the log index of the entry that carried the op: once the local
   * replica has applied that index, it reflects the op.
   */
  public CompletableFuture<Committed> proposeIndexed(Op op) {
    return proposeIndexed(op, 0);
  }

  private CompletableFuture<Committed> proposeIndexed(Op op, long versionWaitedMillis) {
    CompletableFuture<Committed> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new UnavailableException("node is shutting down"));
      return result;
    }
    ApplyVersionGate g = gate;
    if (g != null) {
      try {
        g.check(op);
      } catch (ApplyVersionException e) {
        if (!e.unknown() || versionWaitedMillis >= VERSION_WAIT_MILLIS_MAX) {
          result.completeExceptionally(e);
          return result;
        }
        // A member's version is not known yet (a new leader has not heard every member): it
        // usually is within a heartbeat, so look again shortly rather than fail the call.
        CompletableFuture.delayedExecutor(VERSION_RECHECK_MILLIS, TimeUnit.MILLISECONDS)
            .execute(
                () ->
                    proposeIndexed(op, versionWaitedMillis + VERSION_RECHECK_MILLIS)
                        .whenComplete(
                            (c, error) -> {
                              if (error != null) {
                                result.completeExceptionally(error);
                              } else {
                                result.complete(c);
                              }
                            }));
        return result;
      }
    }
    ProposeLane lane = isInternal(op) ? internal : clients;
    io.horae.server.disk.DiskGuard d = disk;
    if (d != null && lane == clients && !frees(op)) {
      try {
        d.checkWritable();
      } catch (io.horae.server.disk.DiskFullException e) {
        result.completeExceptionally(e);
        return result;
      }
    }
    long now = System.nanoTime();
    long waited = lane == clients ? clients.headWaitNanos(now) : 0;
    if (queueWaitMaxNanos > 0 && waited > queueWaitMaxNanos) {
      result.completeExceptionally(
          new OverloadedException(
              "the cluster is past its capacity for clients' writes: the oldest one here has waited "
                  + TimeUnit.NANOSECONDS.toMillis(waited)
                  + " ms to be proposed (raft.proposeQueueWaitMax); retry later"));
      return result;
    }
    if (!lane.offer(new Pending(op, op.getSerializedSize(), result, now))) {
      result.completeExceptionally(
          new OverloadedException(
              "the proposal queue is full for "
                  + lane.name
                  + " ops ("
                  + lane.describe()
                  + "); retry later"));
      return result;
    }
    sendWhileRoom(false);
    return result;
  }

  /**
   * Sends what waits while a batch slot is free, in FIFO order. Only the holder of {@link
   * #sendLock} takes ops from the queue and hands batches to the {@link EntrySender}, so entries
   * keep the order in which ops were proposed while the leader stays the same (across a change of
   * leader an entry the old one refused may land after later ones; no op waits on an earlier entry
   * it did not see committed). A proposing thread only tries the lock: it may be a Ratis reply
   * thread (a stage chained to an earlier proposal) that holds the client's own lock, and waiting
   * here could deadlock with a sender waiting for that lock. When it cannot send, the proposer
   * thread does.
   *
   * <p>An op is never stranded: its proposer queues it before it tries the lock and a slot, and
   * whoever frees either afterwards (a sender leaving, a batch completing) wakes the proposer
   * thread when ops wait.
   */
  private void sendWhileRoom(boolean wait) {
    if (wait) {
      sendLock.lock();
    } else if (!sendLock.tryLock()) {
      batchDone.release();
      return;
    }
    try {
      while (maySend() && inFlight.tryAcquire()) {
        send(takeBatch());
      }
    } finally {
      sendLock.unlock();
    }
    if (maySend()) {
      batchDone.release(); // an op arrived while this thread was leaving
    }
  }

  /**
   * Whether a batch may go now. One with the node's own ops may take any free slot; one of clients'
   * ops alone only while fewer than clientBatchesInFlightMax batches are in flight. On a full
   * machine fewer, larger entries cost less than a shorter wait (each costs every replica an
   * append, an fsync, an apply and the replies): fewer client entries in flight cut the CPU of a
   * single create at 64 in flight by a third to a half, but results, which must keep up with
   * firing, need the deeper pipeline (docs/bench.md, "Fewer entries in flight"). Batches in flight
   * rise only under the send lock, so a yes stays a yes until its holder takes the slot.
   */
  private boolean maySend() {
    return slotFor(
        !internal.queue.isEmpty(),
        !clients.queue.isEmpty(),
        batchesInFlightMax - inFlight.availablePermits(),
        batchesInFlightMax,
        clientBatchesInFlightMax);
  }

  /** {@link #maySend} as a pure rule. */
  static boolean slotFor(
      boolean internalWaiting,
      boolean clientsWaiting,
      int inFlight,
      int batchesInFlightMax,
      int clientBatchesInFlightMax) {
    if (internalWaiting) {
      return inFlight < batchesInFlightMax;
    }
    return clientsWaiting && inFlight < clientBatchesInFlightMax;
  }

  private boolean waiting() {
    return !internal.queue.isEmpty() || !clients.queue.isEmpty();
  }

  /**
   * Up to batchOpsMax ops and batchBytesMax bytes, at least one: the internal lane's first, then
   * the clients' lane's, each in FIFO order.
   */
  private List<Pending> takeBatch() {
    List<Pending> batch = new ArrayList<>();
    long bytes = internal.drainInto(batch, batchOpsMax, batchBytesMax, 0);
    clients.drainInto(batch, batchOpsMax, batchBytesMax, bytes);
    return batch;
  }

  /**
   * Whether the op is the node's own work that deliveries and failover wait on: results, shard-map
   * changes, releases, membership records, history sweeps. A flood of client ops must not delay
   * them (issue 14): a result that waits lets the owner's window fill and its lease-bound work
   * stall.
   */
  static boolean isInternal(Op op) {
    return switch (op.getKindCase()) {
      case COMPLETE, RELEASED, SET_SHARD_MAP, PUT_MEMBER, REMOVE_MEMBER, EXPIRE_HISTORY -> true;
      default -> false;
    };
  }

  /**
   * Whether a client's op removes data: it passes while a disk is low, so that an operator can
   * still delete jobs and purge dead letters (the entry itself is small).
   */
  static boolean frees(Op op) {
    return switch (op.getKindCase()) {
      case DELETE_JOB, PURGE_DEAD -> true;
      default -> false;
    };
  }

  /** Sends ops that queued while every slot was taken or another thread was sending. */
  private void run() {
    while (!closed) {
      try {
        if (!batchDone.tryAcquire(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          continue;
        }
        batchDone.drainPermits();
        sendWhileRoom(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  private void send(List<Pending> batch) {
    Command.Builder command = Command.newBuilder();
    batch.forEach(p -> command.addOps(p.op()));
    batchSize.record(batch.size());
    Message message =
        Message.valueOf(UnsafeByteOperations.unsafeWrap(command.build().toByteArray()));
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = sender.send(message);
    } catch (RuntimeException e) {
      inFlight.release();
      batchDone.release();
      batch.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    reply.whenComplete(
        (r, error) -> {
          inFlight.release();
          if (waiting()) {
            batchDone.release();
          }
          if (error == null && !r.isSuccess()) {
            error =
                r.getException() != null
                    ? r.getException()
                    : new UnavailableException("Raft reply without success");
          }
          if (error != null) {
            LOG.debug("batch of {} ops failed", batch.size(), error);
            for (Pending p : batch) {
              p.result().completeExceptionally(error);
            }
            return;
          }
          complete(batch, r);
        });
  }

  private static void complete(List<Pending> batch, RaftClientReply reply) {
    CommandResult result;
    try {
      result = CommandResult.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    if (result.getResultsCount() != batch.size()) {
      // An entry replayed after a restart answers with no results; its outcome is unknown.
      // Not INTERNAL: a retry with the same request id is safe and finds out.
      UnavailableException e =
          new UnavailableException(
              "outcome unknown: the entry was applied before this reply ("
                  + result.getResultsCount()
                  + " results for "
                  + batch.size()
                  + " ops); retry");
      batch.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(new Committed(result.getResults(i), reply.getLogIndex()));
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProposeLane lane : List.of(internal, clients)) {
      Pending p;
      while ((p = lane.queue.poll()) != null) {
        p.result().completeExceptionally(new UnavailableException("node is shutting down"));
      }
    }
    sender.close();
  }
}
