package io.horae.server.exec;

import io.horae.api.v1.Execution;
import io.horae.api.v1.Job;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Released;
import io.horae.internal.v1.ShardMap;
import io.horae.server.config.ExecConfig;
import io.horae.server.config.HostConfig;
import io.horae.server.raft.Proposer;
import io.horae.server.secret.JobSecrets;
import io.horae.server.secret.SigningKeys;
import io.horae.statemachine.core.Executions;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Shards;
import io.horae.statemachine.core.StoreReader;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard owner's shell (DESIGN §6): one thread, the loop, owns the {@link OwnerCore} and is the
 * only one to touch it. Other threads (apply, HTTP callbacks, the result batcher) post events to
 * it. Each pass runs the events, scans this node's shards' due ranges a little ahead when asked or
 * when the scan interval passed, asks the core what to do now, and does it: fire a due execution
 * from the local replica (no Raft round before the call), abort a cancelled call, or propose a
 * hand-off's Released. Results go back through Raft in batched Complete commands.
 */
public final class Executor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  /** Pause before trying again a fire stopped by the lease at the last check. */
  static final long LEASE_RETRY_MILLIS = 20;

  /**
   * How long an orderly stop waits beyond the delivery timeout for results, and how often it
   * checks.
   */
  static final long DRAIN_RESULTS_MILLIS = 2_000, DRAIN_POLL_MILLIS = 20;

  /** Least time between two scans asked for by applied entries (back-to-back scans cost CPU). */
  static final long SCAN_GAP_MILLIS = 20;

  /** Longest sleep of the loop: results applied and the lease are looked at this often. */
  static final long PARK_MAX_MILLIS = 50;

  /** Pause of the loop while due work waits for the fence or a dispatch slot. */
  static final long BLOCKED_PARK_MILLIS = 5;

  /** How long after a Released to propose it again while the map still waits for it. */
  static final long RELEASE_REPEAT_MILLIS = 1_000;

  /** How often the loop measures how far behind it is ({@link #behindMs}). */
  static final long BEHIND_WINDOW_MILLIS = 500;

  /** Most target hosts a node reports as behind ({@link #hostsBehind}), the longest waits. */
  static final int HOSTS_BEHIND_MAX = 8;

  private final String nodeId;
  private final StoreReader store;
  private final Supplier<Optional<ShardMap>> shardMap;
  private final LongSupplier appliedIndex;
  private final Proposer proposer;
  private final ExecConfig config;
  private final Clock clock;
  private final Delivery delivery;
  private final Attempts attempts;
  private final ResultBatcher results;
  private final ExecMetrics metrics;
  private final Fence fence;
  private final HostGate hosts; // Per-host limits and circuit breakers: docs/host-protection.md.

  /** Spans of attempts; {@link AttemptTracer#OFF} unless tracing is on (docs/tracing.md). */
  private final AttemptTracer tracer;

  /** Owned by the loop thread only, as is the scanner. */
  private final OwnerCore core;

  private final DueScanner scanner;

  /** The shard map the loop last gave the core (loop thread only). */
  private ShardMap current = ShardMap.getDefaultInstance();

  /** Events for the loop; bounded: at most a few per window entry, plus cancels. */
  private final BlockingQueue<Runnable> events;

  /** Executions whose call a cancel aborted: their outcome counts for nothing. */
  private final Set<String> aborted = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean scanAsked = new AtomicBoolean(true);

  /** An event was dropped (the queue was full): the scanner's floors are no longer known. */
  private final AtomicBoolean eventLost = new AtomicBoolean();

  /** Set while the loop sleeps: only then does a poster pay for an unpark (a futex wake). */
  private final AtomicBoolean parked = new AtomicBoolean();

  private final Thread loop;
  private volatile boolean closed;

  /** Set by {@link #drain}: no new deliveries. */
  private volatile boolean draining;

  /** Published by the loop for other threads (status, metrics, drain). */
  private volatile int windowSize, unfinished, started;

  /** {@link OwnerCore#behindMs} over the last window, published by the loop. */
  private volatile long behindMs;

  /** {@link OwnerCore#hostsBehind}, published by the loop with {@link #behindMs}. */
  private volatile java.util.Map<String, Long> hostsBehind = java.util.Map.of();

  private long behindTakenMs;

  public Executor(
      String nodeId,
      StoreReader store,
      Supplier<Optional<ShardMap>> shardMap,
      LongSupplier appliedIndex,
      Proposer proposer,
      ExecConfig config,
      HostConfig hostConfig,
      Clock clock,
      ExecMetrics metrics,
      Fence fence,
      JobSecrets secrets,
      io.horae.server.egress.TargetGuard targets,
      AttemptTracer tracer) {
    this.nodeId = nodeId;
    this.tracer = tracer;
    this.fence = fence;
    this.store = store;
    this.shardMap = shardMap;
    this.appliedIndex = appliedIndex;
    this.proposer = proposer;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    // At most dispatchConcurrency calls are started, the HTTP client's own limit: due work beyond
    // that waits in the core, which hands out each free slot to the highest priority. Handing the
    // client more (as dispatchQueueMax once did) queued them there first come, first served, so a
    // backlog of low-priority calls started earlier held back every higher one due later.
    this.core =
        new OwnerCore(
            nodeId,
            config.windowMax(),
            config.dispatchConcurrency(),
            TimeUnit.MILLISECONDS.toNanos(RELEASE_REPEAT_MILLIS));
    this.scanner = new DueScanner(store);
    this.events = new LinkedBlockingQueue<>(4 * config.windowMax() + 10_000);
    this.delivery =
        new Delivery(
            nodeId,
            config,
            clock,
            this::admit,
            new WebhookSigning(secrets, Optional.of(new SigningKeys(secrets, store)), clock),
            targets);
    this.attempts =
        new Attempts(nodeId, config, new Backoff(config, new java.util.SplittableRandom()));
    this.results =
        new ResultBatcher(
            config.windowMax(),
            config.completeBatchMax(),
            config.resultLinger(),
            config.attemptHistoryMax(),
            nodeId,
            proposer,
            () -> shardMap.get().map(ShardMap::getEpoch).orElse(0L),
            clock::millis,
            (id, index) -> post(() -> core.recorded(id, index)));
    this.hosts =
        HostGate.create(
            hostConfig, config.maxRequestsPerHost(), clock, metrics.registry(), this::answer);
    this.loop = Thread.ofPlatform().name("horae-owner-" + nodeId).daemon().unstarted(this::run);
    metrics.bindWindow(
        () -> windowSize, config.windowMax(), delivery::queuedCalls, delivery::runningCalls);
    metrics.bindResults(results::queued, results::proposing);
    metrics.bindBehind(() -> behindMs);
  }

  public Executor start() {
    results.start();
    loop.start();
    return this;
  }

  /** Asks for a scan soon: due work or ownership changed. Cheap; safe from the applier thread. */
  public void wake() {
    scanAsked.set(true);
    unpark();
  }

  private void unpark() {
    if (parked.get()) {
      LockSupport.unpark(loop);
    }
  }

  /**
   * An apply of this replica wrote a live execution's due entry (a create, a retry, a deferral, a
   * replay): if its shard is this node's and it is due within the lookahead, it goes straight to
   * the window, since a scan continues from where the last one stopped and would not see it behind
   * that point. Cheap; safe from the applier thread.
   */
  public void due(Execution e) {
    Optional<ShardMap> map = shardMap.get();
    if (map.isEmpty()
        || e.getShard() >= map.get().getOwnersCount()
        || !map.get().getOwners(e.getShard()).equals(nodeId)) {
      return;
    }
    String id = e.getId();
    long dueMs = e.getDueMs();
    int priority = e.getPriority();
    int shard = e.getShard();
    post(
        () -> {
          scanner.written(shard, dueMs, id);
          if (dueMs <= clock.millis() + config.lookahead().toMillis()
              && shard < current.getOwnersCount()
              && !core.pushed(id, dueMs, priority, shard, current.getShardEpochs(shard))) {
            scanner.askFull();
          }
        });
  }

  /** The whole state was replaced (a snapshot installed): the next scan starts from time 0. */
  public void restored() {
    post(scanner::reset);
    wake();
  }

  /**
   * The execution was cancelled (by CancelExecution or a job delete), as applied here: if this node
   * holds it, it never fires, and a call in flight is aborted; its outcome is not reported. Cheap;
   * safe from the applier thread.
   */
  public void cancelled(String executionId) {
    post(() -> core.cancelled(executionId).forEach(this::carryOut));
  }

  public int windowSize() {
    return windowSize;
  }

  /**
   * How far behind its due work this node was over the last half second, in ms (0: on time); what
   * its report tells the leader, which sheds new work while an owner is behind. Waits for the
   * lease, a hand-off, a host's limits and retries are not counted ({@link OwnerCore#behindMs}).
   */
  public long behindMs() {
    return behindMs;
  }

  /**
   * Target hosts whose executions wait for a permit of theirs (exec.maxRequestsPerHost), with how
   * long the first has waited in ms; at most {@value #HOSTS_BEHIND_MAX}, the longest waits.
   */
  public java.util.Map<String, Long> hostsBehind() {
    return hostsBehind;
  }

  /** Target hosts whose circuit breaker on this node is not closed, bounded, for status. */
  public List<io.horae.api.v1.HostBreaker> hostBreakers() {
    return hosts.notClosed();
  }

  /** Deliveries running or queued in the HTTP client now. */
  public int inFlight() {
    return delivery.runningCalls() + delivery.queuedCalls();
  }

  /**
   * An orderly stop's first half: start no new delivery, and wait (at most the delivery timeout
   * plus {@link #DRAIN_RESULTS_MILLIS}) until the calls already running have ended and their
   * results are committed. The shards then move to other owners, who fire what this node did not
   * start; nothing it sent is sent again. Without the drain, results of requests the targets had
   * answered were lost and those executions were delivered twice.
   */
  public void drain() {
    draining = true;
    LockSupport.unpark(loop);
    long deadline =
        System.nanoTime()
            + config.deliveryTimeout().toNanos()
            + TimeUnit.MILLISECONDS.toNanos(DRAIN_RESULTS_MILLIS);
    try {
      while ((unfinished > 0 || !results.idle()) && System.nanoTime() - deadline < 0) {
        Thread.sleep(DRAIN_POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (unfinished > 0 || !results.idle()) {
      LOG.warn(
          "stopping with work unrecorded node={} unfinished={}; those executions will be delivered again",
          nodeId,
          unfinished);
    }
  }

  private void post(Runnable event) {
    if (!events.offer(event)) {
      // Only if the loop is stuck: the window is bounded and each entry posts a few events.
      LOG.error("executor event queue full node={}; an event is dropped", nodeId);
      eventLost.set(true); // the next pass scans from time 0: it may have been a due entry
      return;
    }
    unpark();
  }

  private void run() {
    Optional<ShardMap> seen = null;
    long lastScanNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
    while (!closed) {
      try {
        if (eventLost.getAndSet(false)) {
          scanner.reset();
        }
        Runnable event;
        while ((event = events.poll()) != null) {
          event.run();
        }
        Optional<ShardMap> map = shardMap.get();
        if (map != seen) {
          seen = map;
          current = map.orElse(ShardMap.getDefaultInstance());
          core.mapApplied(current);
          // Floors of a shard that left and came back are stale: its writes were not followed.
          scanner.reset();
          metrics.shardsOwned(
              map.map(m -> (int) m.getOwnersList().stream().filter(nodeId::equals).count())
                  .orElse(0));
        }
        long nanos = System.nanoTime();
        long sinceScan = nanos - lastScanNanos;
        boolean asked =
            scanAsked.get() && sinceScan >= TimeUnit.MILLISECONDS.toNanos(SCAN_GAP_MILLIS);
        if (asked || sinceScan >= config.scanInterval().toNanos()) {
          scanAsked.set(false);
          lastScanNanos = nanos;
          scan(map);
        }
        for (String host : core.hostsAwaited()) {
          core.hostRoom(host, hosts.room(host));
        }
        long now = clock.millis();
        boolean fenceOpen = !draining && fence.leaseFresh(current.getEpoch());
        for (OwnerCore.Effect e : core.tick(now, nanos, fenceOpen, appliedIndex.getAsLong())) {
          carryOut(e);
        }
        if (now - behindTakenMs >= BEHIND_WINDOW_MILLIS) {
          behindTakenMs = now;
          behindMs = core.behindMs(now, fenceOpen);
          hostsBehind = core.hostsBehind(now, fenceOpen, HOSTS_BEHIND_MAX);
        }
        windowSize = core.size();
        unfinished = core.unfinished();
        started = core.started();
        park(now, nanos, lastScanNanos);
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("owner loop pass failed node={}", nodeId, e);
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PARK_MAX_MILLIS));
        }
      }
    }
  }

  /** Sleeps until the next due time, the next scan, or an event, whichever comes first. */
  private void park(long nowMs, long nanos, long lastScanNanos) {
    if (!events.isEmpty()) {
      return;
    }
    long next = core.nextDueMs();
    long waitMs =
        next == Long.MIN_VALUE
            ? BLOCKED_PARK_MILLIS
            : Math.min(PARK_MAX_MILLIS, Math.max(0, next - nowMs));
    long scanInNanos =
        (scanAsked.get()
                ? TimeUnit.MILLISECONDS.toNanos(SCAN_GAP_MILLIS)
                : config.scanInterval().toNanos())
            - (nanos - lastScanNanos);
    long parkNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(waitMs), Math.max(0, scanInNanos));
    if (parkNanos <= 0) {
      return;
    }
    parked.set(true);
    // Checked again after the flag is up: an event posted just before it would find no sleeper.
    if (events.isEmpty()
        && !(scanAsked.get()
            && nanos - lastScanNanos >= TimeUnit.MILLISECONDS.toNanos(SCAN_GAP_MILLIS))) {
      LockSupport.parkNanos(parkNanos);
    }
    parked.set(false);
  }

  private void scan(Optional<ShardMap> found) {
    if (found.isEmpty() || draining) {
      return;
    }
    long now = clock.millis();
    scanner.scan(
        found.get(), core, now, now + config.lookahead().toMillis(), config.scanBatchMax());
  }

  private void carryOut(OwnerCore.Effect effect) {
    switch (effect) {
      case OwnerCore.Fire f -> fire(f);
      case OwnerCore.Abort a -> {
        aborted.add(a.id());
        metrics.aborted();
        delivery.abort(a.id());
      }
      case OwnerCore.Release r -> release(r);
    }
  }

  /**
   * Fires one due execution. Its record is read again from the local replica first: an entry that
   * finished, moved to a later time, or whose job is gone since it was scanned is dropped (a rescan
   * finds its current state).
   */
  private void fire(OwnerCore.Fire f) {
    byte[] bytes = store.get(Family.EXECUTIONS, Keys.execution(f.id()));
    Execution e = bytes == null ? null : Executions.parse(bytes);
    if (e == null || !Executions.isLive(e) || e.getDueMs() != f.dueMs()) {
      core.drop(f.id());
      return;
    }
    Held c =
        new Held(
            e.getId(),
            e.getNamespace(),
            e.getJobName(),
            e.getScheduledMs(),
            e.getDueMs(),
            e.getAttempt() + 1,
            f.shard(),
            f.shardEpoch());
    Optional<Job> job = c.readJob(store);
    if (job.isEmpty()) {
      core.drop(f.id()); // Deleted: the delete cancelled the execution; nothing to send.
      return;
    }
    switch (Overlap.decide(store, core::stageOf, job.get(), e, clock.millis())) {
      case Overlap.Skip skip -> {
        metrics.skipped();
        answer(attempts.skipped(job.get(), c, skip.reason(), clock.millis()));
        return;
      }
      case Overlap.Wait w -> {
        core.requeue(c.executionId(), clock.millis() + Overlap.QUEUE_RECHECK_MILLIS);
        return;
      }
      case Overlap.Send s -> {}
    }
    String host = hosts.hostOf(job.get());
    if (host != null && core.outranked(host, c.executionId())) {
      core.awaitHost(c.executionId(), host); // A permit free now belongs to a waiter before it.
      return;
    }
    HostGuard.Permit permit =
        hosts.enter(
            job.get(),
            c,
            waitMs -> core.requeue(c.executionId(), clock.millis() + waitMs),
            atLimit -> core.awaitHost(c.executionId(), atLimit));
    if (permit == null) {
      return; // Waits for its host (for a permit, or requeued), or was deferred (a result is on its
      // way).
    }
    long startedMs = clock.millis();
    metrics.lateness(startedMs - c.dueMs());
    AttemptSpan span = tracer.start(job.get(), c, startedMs); // Null when tracing is off.
    hosts
        .settle(
            permit,
            delivery.send(job.get(), c, span, startedMs),
            () -> !aborted.contains(c.executionId()))
        .whenComplete((outcome, error) -> ended(c, job.get(), outcome, error, span));
  }

  /** On the HTTP client's thread: turns the call's end into an event for the loop. */
  private void ended(Held c, Job job, Outcome outcome, Throwable error, AttemptSpan span) {
    Throwable cause = unwrap(error);
    if (cause instanceof Delivery.Fenced fenced) {
      if (span != null) {
        span.endWithoutResult("fenced");
      }
      post(() -> refenced(c, fenced.check()));
      return;
    }
    if (aborted.remove(c.executionId())) {
      if (span != null) {
        span.endWithoutResult("cancelled");
      }
      post(() -> core.answered(c.executionId())); // Cancelled: the cancel is the outcome.
      return;
    }
    Outcome o =
        error == null
            ? outcome
            : Outcome.failure(
                0,
                cause.getClass().getSimpleName(),
                Delivery.bounded(cause.toString()),
                clock.millis(),
                0,
                span == null ? "" : span.spanId());
    metrics.delivered(o);
    AttemptResult result = attempts.result(job, c, o, clock.millis());
    if (!o.succeeded() && result.getRetryAtMs() == 0) {
      metrics.dead();
    }
    if (span != null) {
      span.end(o, result);
    }
    answer(result);
  }

  /** Queues a result (an attempt's, or a deferral's) once the loop agrees it is still wanted. */
  private void answer(AttemptResult result) {
    post(
        () -> {
          if (core.answered(result.getExecutionId())) {
            results.add(result);
          }
        });
  }

  /** Stopped at the last check: nothing was sent, so no result; drop it or try again later. */
  private void refenced(Held c, FenceCheck check) {
    aborted.remove(c.executionId());
    if (check == FenceCheck.MOVED) {
      metrics.fenced();
      core.drop(c.executionId());
    } else {
      core.requeue(c.executionId(), clock.millis() + LEASE_RETRY_MILLIS);
    }
  }

  private void release(OwnerCore.Release r) {
    metrics.released();
    proposer
        .propose(
            Op.newBuilder()
                .setReleased(
                    Released.newBuilder().setShard(r.shard()).setNodeId(nodeId).setEpoch(r.epoch()))
                .build())
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                LOG.debug(
                    "released not recorded node={} shard={}; proposed again later",
                    nodeId,
                    r.shard(),
                    error);
              } else {
                LOG.info("released shard={} node={} tenureEpoch={}", r.shard(), nodeId, r.epoch());
              }
            });
  }

  /**
   * The last fence check, made right before the request is sent (on the HTTP client's thread): the
   * shard is still this node's under the tenure it fired in, the hand-off barrier is passed, and
   * the lease is fresh.
   */
  private FenceCheck admit(Held c) {
    if (closed || aborted.contains(c.executionId())) {
      return FenceCheck.MOVED;
    }
    Optional<ShardMap> found = shardMap.get();
    if (found.isEmpty()
        || !found.get().getOwners(c.shard()).equals(nodeId)
        || found.get().getShardEpochs(c.shard()) != c.shardEpoch()
        || Shards.handoffPending(found.get(), c.shard())) {
      return FenceCheck.MOVED;
    }
    // The fence judges the map read above, not the replica's map now: a newer map applied since
    // would let a stale ownership pass with a fresh lease (Fence#leaseFresh).
    return !draining && fence.leaseFresh(found.get().getEpoch()) ? FenceCheck.GO : FenceCheck.WAIT;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(loop);
    results.close();
    delivery.close();
    try {
      loop.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
