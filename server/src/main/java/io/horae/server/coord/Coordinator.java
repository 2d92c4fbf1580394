package io.horae.server.coord;

import io.horae.internal.v1.Op;
import io.horae.internal.v1.Released;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import io.horae.server.config.LeaseConfig;
import io.horae.server.raft.Proposer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only keeper of the shard map (DESIGN §6 step 1 and 5, docs/failover.md): the shell around
 * {@link CoordinatorCore}. Every period, on its one thread, it takes a {@link CoordinatorView},
 * asks the core to decide, and carries the effects out: proposes a SetShardMap (compare-and-set on
 * the epoch), releases hand-offs of silent old owners, hands leadership over. The decisions and
 * their reasons are in the core.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  /**
   * The map is checked at least this often: a check is cheap (no I/O), and each period is added to
   * the time a silent node's shards stay unowned.
   */
  static final long CHECK_PERIOD_MS_MAX = 100;

  private final BooleanSupplier isLeader;

  /** This node's current Raft term. */
  private final LongSupplier term;

  private final Supplier<Optional<ShardMap>> current;
  private final Proposer proposer;

  /** The voting members (the Raft configuration), and those of them that are leaving. */
  private final Supplier<List<String>> members;

  private final Supplier<Set<String>> leaving;

  /** This (leading) node's applied index: how far a node's reported applied index is behind. */
  private final LongSupplier leaderApplied;

  /**
   * For a member that led before this node: nanoseconds since it last answered this node's reports
   * (LeaseKeeper#unansweredNanos).
   */
  private final Function<String, OptionalLong> unanswered;

  /**
   * What the coordinator asks of its node to repair members whose logs Ratis leaves broken (see
   * {@link LaggingNodes} and {@link CoordinatorCore#RESYNC_GAP_FACTOR}).
   */
  public interface Repairs {
    /** Asks for leadership to move to one of the given caught-up members (not this node). */
    void handOver(Set<String> candidates);

    /**
     * Takes a snapshot of this node's state machine now; completes with its index. Ratis then
     * purges the log's closed segments up to it.
     */
    CompletableFuture<Long> snapshot();

    /** The first index this node's Raft log still holds. */
    long logStartIndex();
  }

  private final Repairs repairs;

  /** A resync's snapshot is being taken. */
  private final AtomicBoolean resyncing = new AtomicBoolean();

  private final int shardCount;
  private final Liveness liveness;
  private final LeaseConfig lease;

  /** Loop thread only. */
  private final CoordinatorCore core;

  private final Counter rebalances;
  private final Counter failovers;
  private final Counter shardMoves;
  private final AtomicBoolean proposing = new AtomicBoolean();

  /**
   * Silent owners whose shards a proposed, not yet applied, map takes away (see {@link
   * #withholdsLease}).
   */
  private final Set<String> withheld = ConcurrentHashMap.newKeySet();

  /** Releases for silent old owners are being proposed. */
  private final AtomicBoolean releasing = new AtomicBoolean();

  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("horae-coordinator").daemon().factory());

  public Coordinator(
      BooleanSupplier isLeader,
      LongSupplier term,
      Supplier<Optional<ShardMap>> current,
      Proposer proposer,
      Supplier<List<String>> members,
      Supplier<Set<String>> leaving,
      LongSupplier leaderApplied,
      int shardCount,
      Liveness liveness,
      LeaseConfig lease,
      Function<String, OptionalLong> unanswered,
      Repairs repairs,
      MeterRegistry registry) {
    this.repairs = repairs;
    this.unanswered = unanswered;
    this.isLeader = isLeader;
    this.term = term;
    this.current = current;
    this.proposer = proposer;
    this.members = members;
    this.leaving = leaving;
    this.leaderApplied = leaderApplied;
    this.shardCount = shardCount;
    this.liveness = liveness;
    this.lease = lease;
    long newLeaderWait =
        Math.max(lease.margin().toNanos(), 2 * lease.heartbeatInterval().toNanos());
    this.core = new CoordinatorCore(shardCount, lease.silenceBeforeMove().toNanos(), newLeaderWait);
    this.rebalances =
        Counter.builder("horae.coord.rebalances")
            .description("shard-map changes between live nodes")
            .register(registry);
    this.failovers =
        Counter.builder("horae.coord.failovers")
            .description("shard-map changes away from silent nodes")
            .register(registry);
    this.shardMoves =
        Counter.builder("horae.coord.shard.moves")
            .description("shards given a new owner")
            .register(registry);
  }

  public Coordinator start() {
    long every = Math.min(CHECK_PERIOD_MS_MAX, lease.heartbeatInterval().toMillis());
    loop.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The even initial map: shard i goes to node i mod N. */
  public static ShardMap evenMap(long epoch, List<String> sortedNodeIds, int shardCount) {
    return CoordinatorCore.evenMap(epoch, sortedNodeIds, shardCount);
  }

  private void check() {
    try {
      for (CoordinatorEffect effect : core.decide(view())) {
        act(effect);
      }
    } catch (RuntimeException e) {
      proposing.set(false);
      LOG.warn("coordinator check failed", e);
    }
  }

  /** The snapshot the core decides on; a follower's is just "not leading". */
  private CoordinatorView view() {
    long now = liveness.nowNanos();
    // The term first: if leadership is lost and won again in between, the decision is bound to
    // the older term and refused at apply, never the other way round.
    long currentTerm = term.getAsLong();
    if (!isLeader.getAsBoolean()) {
      return new CoordinatorView(
          now,
          currentTerm,
          false,
          false,
          false,
          Optional.empty(),
          List.of(),
          Set.of(),
          0,
          Map.of(),
          Map.of(),
          Map.of());
    }
    List<String> ids = members.get().stream().sorted().toList();
    Map<String, Liveness.Seen> reports = new HashMap<>();
    Map<String, Long> raftAges = new HashMap<>();
    Map<String, Long> unansweredAges = new HashMap<>();
    for (String id : ids) {
      liveness.last(id).ifPresent(s -> reports.put(id, s));
      raftAges.put(id, liveness.raftAnswerAgeNanos(id));
      unanswered.apply(id).ifPresent(age -> unansweredAges.put(id, age));
    }
    return new CoordinatorView(
        now,
        currentTerm,
        true,
        proposing.get(),
        releasing.get(),
        current.get(),
        ids,
        leaving.get(),
        leaderApplied.getAsLong(),
        reports,
        raftAges,
        unansweredAges);
  }

  private void act(CoordinatorEffect effect) {
    switch (effect) {
      case CoordinatorEffect.ResetLiveness r -> {
        liveness.reset();
        LOG.info(
            "leading: shard map changes wait {} ms for reports",
            TimeUnit.NANOSECONDS.toMillis(
                Math.max(lease.margin().toNanos(), 2 * lease.heartbeatInterval().toNanos())));
      }
      case CoordinatorEffect.ProposeMap p -> propose(p);
      case CoordinatorEffect.ReleaseSilent r -> releaseForSilent(r.releases());
      case CoordinatorEffect.HandOver h -> {
        LOG.warn(
            "members {} made no progress for {} ms (far behind, or answering Raft without reporting): handing leadership to one of {} so that a new leader repairs their logs",
            h.frozen(),
            TimeUnit.NANOSECONDS.toMillis(h.waitedNanos()),
            h.to());
        repairs.handOver(h.to());
      }
      case CoordinatorEffect.Resync r -> resync(r);
    }
  }

  /**
   * A snapshot here, so that Ratis sends the stalled members a snapshot instead of the entries they
   * refuse; leadership moves if the purge could not reach the entries they need.
   */
  private void resync(CoordinatorEffect.Resync r) {
    if (!resyncing.compareAndSet(false, true)) {
      return;
    }
    LOG.warn(
        "members {} are behind and applied nothing for {} ms (lowest applied index {}): taking a snapshot so that Ratis sends them one instead of entries they refuse",
        r.stalled(),
        TimeUnit.NANOSECONDS.toMillis(
            CoordinatorCore.FROZEN_WAIT_FACTOR * lease.silenceBeforeMove().toNanos()),
        r.lowestApplied());
    repairs
        .snapshot()
        .whenComplete(
            (index, error) -> {
              resyncing.set(false);
              if (error != null) {
                LOG.warn("snapshot for members {} failed", r.stalled(), error);
                return;
              }
              long start = repairs.logStartIndex();
              if (start > r.lowestApplied()) {
                LOG.info(
                    "snapshot at index {}; the log now starts at {}: Ratis sends {} the snapshot",
                    index,
                    start,
                    r.stalled());
              } else if (!r.to().isEmpty()) {
                LOG.warn(
                    "snapshot at index {}, but the log still starts at {} (its first segment is open): handing leadership to one of {}, whose log starts a segment with its term",
                    index,
                    start,
                    r.to());
                repairs.handOver(r.to());
              }
            });
  }

  /** Released ops for silent old owners (see CoordinatorCore#releasesFor). */
  private void releaseForSilent(List<Released> releases) {
    releasing.set(true);
    LOG.info("releasing {} hand-offs of silent old owners", releases.size());
    CompletableFuture.allOf(
            releases.stream()
                .map(r -> proposer.propose(Op.newBuilder().setReleased(r).build()))
                .toArray(CompletableFuture[]::new))
        .whenComplete((r, error) -> releasing.set(false));
  }

  /**
   * Whether the leader must not acknowledge this node's report now: a map that moves its shards
   * away as silent is proposed and not yet applied. An ack now would carry the old map's epoch and
   * give the node a fresh lease for shards that the new owners fire as soon as the map is applied
   * (chaos seed 5010: a frozen leader resumed, reported to the new leader during a slow commit, and
   * sent an execution 14 ms after its new owner). Once the map is applied, acks carry its epoch,
   * and the node's lease counts only after it applied it too.
   */
  public boolean withholdsLease(String nodeId) {
    return withheld.contains(nodeId);
  }

  private void propose(CoordinatorEffect.ProposeMap p) {
    SetShardMap set = p.set();
    proposing.set(true);
    withheld.addAll(p.withhold());
    if (p.kind() != CoordinatorEffect.Kind.FIRST) {
      LOG.info(
          "{} epoch={} moves={} live={}",
          p.kind() == CoordinatorEffect.Kind.REBALANCE
              ? "rebalancing shards"
              : "moving shards of silent nodes",
          set.getMap().getEpoch(),
          p.moves(),
          p.live());
      if (!p.draining().isEmpty()) {
        LOG.info(
            "draining nodes (leaving, or stuck behind) nodes={} epoch={}",
            p.draining(),
            set.getMap().getEpoch());
      }
    }
    proposer
        .propose(Op.newBuilder().setSetShardMap(set).build())
        .whenComplete(
            (r, error) -> {
              withheld.clear();
              if (error != null) {
                LOG.warn("shard map epoch={} not set; will retry", set.getMap().getEpoch(), error);
              } else if (r.hasRejection()) {
                LOG.info(
                    "shard map epoch={} refused: {}",
                    set.getMap().getEpoch(),
                    r.getRejection().getMessage());
              } else {
                boolean first = p.kind() == CoordinatorEffect.Kind.FIRST;
                long now = liveness.nowNanos();
                // The core is the loop thread's; proposing stays set until it has heard.
                try {
                  loop.execute(
                      () -> {
                        core.mapProposed(first, now);
                        proposing.set(false);
                      });
                } catch (RejectedExecutionException closed) {
                  proposing.set(false);
                }
                if (!first) {
                  (p.kind() == CoordinatorEffect.Kind.REBALANCE ? rebalances : failovers)
                      .increment();
                  shardMoves.increment(p.moves());
                }
                LOG.info(
                    "shard map set epoch={} shards={} owners={}",
                    r.getShardMap().getEpoch(),
                    shardCount,
                    counts(r.getShardMap()));
                return;
              }
              proposing.set(false);
            });
  }

  private static SortedMap<String, Long> counts(ShardMap map) {
    SortedMap<String, Long> c = new TreeMap<>();
    map.getOwnersList().forEach(o -> c.merge(o, 1L, Long::sum));
    return c;
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
