package io.horae.server.exec;

import io.horae.api.v1.Execution;
import io.horae.api.v1.Job;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Claim;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.ShardMap;
import io.horae.server.config.ExecConfig;
import io.horae.server.config.HostConfig;
import io.horae.server.raft.Proposer;
import io.horae.server.secret.JobSecrets;
import io.horae.server.secret.SigningKeys;
import io.horae.statemachine.core.Executions;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard owner's loop (DESIGN §6): scan this node's shards' due ranges a few seconds ahead,
 * claim what will be due through Raft, fire each claimed execution at its due time, and record
 * results in batched Complete commands. The window of claimed executions is bounded; when it is
 * full the node stops claiming and work waits on disk.
 */
public final class Executor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
  /** Pauses before trying a fire again when the dispatch queue is full, or checking a lapsed lease. */
  static final long DISPATCH_RETRY_MILLIS = 20, LEASE_RETRY_MILLIS = 50;
  /** How long an orderly stop waits beyond the delivery timeout for results, and how often it checks. */
  static final long DRAIN_RESULTS_MILLIS = 2_000, DRAIN_POLL_MILLIS = 20;
  /** Least time between two scans (horae bench: back-to-back scans were the hottest loop). */
  static final long SCAN_GAP_MILLIS = 20;

  private record Candidate(String id, long dueMs, int priority, int shard, long shardEpoch) {}

  private final String nodeId;
  private final StoreReader store;
  private final Supplier<Optional<ShardMap>> shardMap;
  private final Proposer proposer;
  private final ExecConfig config;
  private final Clock clock;
  private final Delivery delivery;
  private final Attempts attempts;
  private final ResultBatcher results;
  private final ExecMetrics metrics;
  private final Fence fence;
  private final ShardTenures tenures;
  private final HostGate hosts; // Per-host limits and circuit breakers: docs/host-protection.md.
  private final HandBack handBack;
  /** Executions this node holds, by id. Size bounded by config.windowMax(). */
  private final Map<String, Claimed> window = new ConcurrentHashMap<>();
  private final Semaphore dispatchSlots;
  private final ScheduledExecutorService timer;
  private final Thread scanner;
  private final Object wake = new Object();
  /** Guarded by wake. */
  private boolean wakeRequested;
  private volatile boolean closed;
  /** Set by {@link #drain}: no more claims and no new deliveries. */
  private volatile boolean draining;
  private final ClaimFilter claims;

  public Executor(
      String nodeId,
      StoreReader store,
      Supplier<Optional<ShardMap>> shardMap,
      Proposer proposer,
      ExecConfig config,
      HostConfig hostConfig,
      Clock clock,
      ExecMetrics metrics,
      Fence fence,
      JobSecrets secrets) {
    this.nodeId = nodeId;
    this.fence = fence;
    this.tenures = new ShardTenures(nodeId, fence, config.deliveryTimeout().toNanos() + TimeUnit.MILLISECONDS.toNanos(DRAIN_RESULTS_MILLIS));
    this.claims = new ClaimFilter(nodeId, store, clock.millis() + config.lookahead().toMillis() + config.claimTtl().toMillis());
    this.store = store;
    this.shardMap = shardMap;
    this.proposer = proposer;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.delivery =
        new Delivery(nodeId, config, clock, this::admit, new WebhookSigning(secrets, Optional.of(new SigningKeys(secrets, store)), clock));
    this.attempts = new Attempts(nodeId, config, new Backoff(config, new java.util.SplittableRandom()));
    this.dispatchSlots = new Semaphore(config.dispatchQueueMax());
    this.results =
        new ResultBatcher(
            config.windowMax(), config.completeBatchMax(), config.attemptHistoryMax(), nodeId, proposer,
            () -> shardMap.get().map(ShardMap::getEpoch).orElse(0L), clock::millis, this::recorded);
    this.handBack = new HandBack(results::add, clock::millis, metrics::fenced);
    this.hosts = HostGate.create(hostConfig, config.maxRequestsPerHost(), clock, metrics.registry(), this::answer);
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("horae-timer-" + nodeId).daemon().factory());
    this.scanner = Thread.ofPlatform().name("horae-scanner-" + nodeId).daemon().unstarted(this::scanLoop);
    metrics.bindWindow(window::size, config.windowMax(), delivery::queuedCalls, delivery::runningCalls);
  }

  public Executor start() {
    results.start();
    scanner.start();
    return this;
  }

  /** Asks for a scan now: due work or ownership changed. Cheap; safe from the applier thread. */
  public void wake() {
    synchronized (wake) {
      wakeRequested = true;
      wake.notifyAll();
    }
  }

  /**
   * The execution was cancelled (by CancelExecution or a job delete): if this node holds it,
   * drop it from the window so it never fires, and abort its call if one is in flight; its
   * outcome is then not reported. Cheap; safe from the applier thread (the abort runs on the
   * timer thread, which also runs {@link #fire}, so an abort and a fire never interleave).
   */
  public void cancelled(String executionId) {
    if (window.remove(executionId) == null || closed) {
      return;
    }
    metrics.aborted();
    try {
      timer.execute(() -> delivery.abort(executionId));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: Delivery.close cancels every call anyway.
    }
  }

  /** Queues the result of c: nothing else is sent or given back for it. */
  private void answer(AttemptResult result) {
    handBack.answered(result.getExecutionId());
    results.add(result);
  }

  /** A result or release was recorded (or given up): the execution leaves the window. */
  private void recorded(String executionId) {
    window.remove(executionId);
    handBack.forget(executionId);
  }

  /** Whether c is still this node's to deliver: a cancel removes it from the window. */
  private boolean held(Claimed c) {
    return window.get(c.executionId()) == c;
  }

  public int windowSize() {
    return window.size();
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
   * An orderly stop's first half: claim nothing more, start no new delivery, and wait (at most
   * the delivery timeout plus {@link #DRAIN_RESULTS_MILLIS}) until the deliveries already running
   * have finished and their results are recorded. Claimed executions not yet started stay
   * claimed: their shards move to another owner, whose new tenure voids the claims, or this node
   * takes them back when it restarts (docs/failover.md, case 4). Without the drain, results of
   * requests the targets had answered were lost and those executions were delivered twice.
   */
  public void drain() {
    draining = true;
    long deadline = System.nanoTime() + config.deliveryTimeout().toNanos() + TimeUnit.MILLISECONDS.toNanos(DRAIN_RESULTS_MILLIS);
    try {
      while ((inFlight() > 0 || !results.idle()) && System.nanoTime() - deadline < 0) {
        Thread.sleep(DRAIN_POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (inFlight() > 0 || !results.idle()) {
      LOG.warn("stopping with work unrecorded node={} inFlight={}; those executions will be delivered again", nodeId, inFlight());
    }
  }

  private void scanLoop() {
    while (!closed) {
      try {
        scanOnce();
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("scan failed node={}", nodeId, e);
        }
      }
      // Every applied entry wakes the scan; without a gap it ran back to back under load.
      try {
        Thread.sleep(SCAN_GAP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      synchronized (wake) {
        if (!wakeRequested && !closed) {
          try {
            wake.wait(config.scanInterval().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        wakeRequested = false;
      }
    }
  }

  void scanOnce() {
    Optional<ShardMap> found = shardMap.get();
    if (found.isEmpty()) {
      metrics.shardsOwned(0);
      return;
    }
    ShardMap map = found.get();
    List<Integer> mine = tenures.owned(map);
    if (tenures.takeEnded()) {
      // Only when a tenure of this node ended: a pass over the whole window on the timer thread.
      timer.execute(this::giveBackMoved);
    }
    metrics.shardsOwned(mine.size());
    int free = config.windowMax() - window.size();
    // Without a fresh lease the shards may be moving away: claim nothing until it is renewed.
    if (free <= 0 || mine.isEmpty() || !fence.leaseFresh() || draining) {
      return;
    }
    long now = clock.millis();
    long horizon = now + config.lookahead().toMillis();
    int perShard = Math.min(free, config.claimBatchMax());
    List<Candidate> candidates = new ArrayList<>();
    for (int shard : mine) {
      long shardEpoch = map.getShardEpochs(shard);
      boolean othersDone = tenures.othersDone(map, shard);
      store.scan(
          Family.DUE,
          Keys.dueFrom(shard, 0),
          Keys.dueFrom(shard, horizon + 1),
          perShard,
          (key, value) -> {
            String id = Keys.dueExecutionId(key);
            if (!window.containsKey(id) && claims.claimable(id, now, shardEpoch, othersDone)) {
              candidates.add(new Candidate(id, Keys.dueMillis(key), value.length > 0 ? value[0] : 0, shard, shardEpoch));
            }
            return true;
          });
    }
    if (candidates.isEmpty()) {
      return;
    }
    candidates.sort(Comparator.comparingInt(Candidate::priority).reversed().thenComparingLong(Candidate::dueMs));
    List<Candidate> take = candidates.subList(0, Math.min(candidates.size(), perShard));
    claim(map.getEpoch(), now, horizon, take);
  }

  private void claim(long epoch, long now, long horizon, List<Candidate> take) {
    Claim.Builder claim =
        Claim.newBuilder().setNodeId(nodeId).setEpoch(epoch).setNowMs(now).setExpiryMs(horizon + config.claimTtl().toMillis());
    List<Claimed> reserved = new ArrayList<>();
    for (Candidate c : take) {
      byte[] bytes = store.get(Family.EXECUTIONS, Keys.execution(c.id()));
      if (bytes == null) {
        continue;
      }
      Execution e = Executions.parse(bytes);
      Claimed held =
          new Claimed(
              e.getId(), e.getNamespace(), e.getJobName(), e.getScheduledMs(), e.getDueMs(), e.getAttempt() + 1, c.shard(), c.shardEpoch());
      window.put(e.getId(), held);
      reserved.add(held);
      claim.addExecutionIds(e.getId());
    }
    metrics.claimProposed(reserved.size());
    proposer
        .propose(Op.newBuilder().setClaim(claim).build())
        .whenComplete(
            (r, error) -> {
              if (error != null || r.hasRejection()) {
                reserved.forEach(c -> window.remove(c.executionId()));
                LOG.debug("claim failed node={} size={}", nodeId, reserved.size(), error);
                return;
              }
              java.util.Set<String> granted = new java.util.HashSet<>(r.getClaim().getGrantedList());
              for (Claimed c : reserved) {
                if (granted.contains(c.executionId())) {
                  schedule(c);
                } else {
                  window.remove(c.executionId());
                }
              }
              metrics.claimGranted(granted.size());
            });
  }

  private void schedule(Claimed c) {
    long delay = Math.max(0, c.dueMs() - clock.millis());
    timer.schedule(() -> fire(c), delay, TimeUnit.MILLISECONDS);
  }

  private void fire(Claimed c) {
    if (closed || draining || !held(c)) {
      return;
    }
    long now = clock.millis();
    if (now < c.dueMs()) {
      // Never before its time, whatever the timer's own clock says.
      timer.schedule(() -> fire(c), c.dueMs() - now, TimeUnit.MILLISECONDS);
      return;
    }
    switch (tenures.check(shardMap.get(), c.shard(), c.shardEpoch())) {
      case MOVED -> {
        // The shard has a new tenure (another owner, or this one again under a later epoch):
        // the claim died with the old epoch; given back, whoever owns the shard claims it now.
        handBack.giveBack(c);
        return;
      }
      case WAIT -> {
        timer.schedule(() -> fire(c), LEASE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        return;
      }
      case GO -> {}
    }
    if (!dispatchSlots.tryAcquire()) {
      timer.schedule(() -> fire(c), DISPATCH_RETRY_MILLIS, TimeUnit.MILLISECONDS);
      return;
    }
    Optional<Job> job = c.readJob(store);
    if (job.isEmpty()) {
      // Deleted since the claim: the delete cancelled the execution; nothing to send.
      dispatchSlots.release();
      window.remove(c.executionId());
      return;
    }
    HostGuard.Permit permit = hosts.enter(job.get(), c, waitMs -> timer.schedule(() -> fire(c), waitMs, TimeUnit.MILLISECONDS));
    if (permit == null) {
      dispatchSlots.release(); // Waits for its host, or was deferred: nothing was sent.
      return;
    }
    metrics.lateness(now - c.dueMs());
    handBack.started(c.executionId());
    hosts
        .settle(permit, delivery.send(job.get(), c), () -> held(c))
        .whenComplete(
            (outcome, error) -> {
              dispatchSlots.release();
              handBack.ended(c.executionId());
              if (!held(c)) {
                // Cancelled while in flight: the cancel is the outcome; report nothing else.
                return;
              }
              if (unwrap(error) instanceof Delivery.Fenced fenced) {
                refenced(c, fenced.check());
                return;
              }
              if (error != null) {
                long at = clock.millis();
                outcome = Outcome.failure(0, unwrap(error).getClass().getSimpleName(), Delivery.bounded(error.toString()), at, 0, "");
              }
              metrics.delivered(outcome);
              answer(attempts.result(job.get(), c, outcome, clock.millis()));
            });
    if (!held(c)) {
      // A cancel removed it after the check above but before the call was registered for abort.
      delivery.abort(c.executionId());
    }
  }

  /** The gate of the last fence check, made right before the request is sent. */
  private ShardTenures.Check admit(Claimed c) {
    if (closed || !held(c)) {
      return ShardTenures.Check.MOVED;
    }
    return tenures.check(shardMap.get(), c.shard(), c.shardEpoch());
  }

  /** Stopped at the last check: nothing was sent, so no result; drop it or try again later. */
  private void refenced(Claimed c, ShardTenures.Check check) {
    if (check == ShardTenures.Check.MOVED) {
      handBack.giveBack(c);
      return;
    }
    try {
      timer.schedule(() -> fire(c), LEASE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: the claim is taken back by this node after a restart, or dies with the shard.
    }
  }

  /** On the timer thread (as fire): gives back every held claim whose shard moved and that did not start. */
  private void giveBackMoved() {
    Optional<ShardMap> map = shardMap.get();
    for (Claimed c : window.values()) {
      if (tenures.check(map, c.shard(), c.shardEpoch()) == ShardTenures.Check.MOVED) {
        handBack.giveBack(c);
      }
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  @Override
  public void close() {
    closed = true;
    wake();
    scanner.interrupt();
    timer.shutdownNow();
    results.close();
    delivery.close();
    try {
      scanner.join(2000);
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
