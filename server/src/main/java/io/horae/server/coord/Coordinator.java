package io.horae.server.coord;

import io.horae.internal.v1.Op;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import io.horae.server.config.LeaseConfig;
import io.horae.server.raft.Proposer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only keeper of the shard map (DESIGN §6 step 1 and 5, docs/failover.md). Sets the first
 * map evenly; moves every shard of a node not heard from for lease + margin to the live nodes;
 * and, when nothing is orphaned, rebalances a few shards at a time towards capacity-weighted
 * shares, at most once per lease + margin. A new leader first waits until every live node has
 * had the chance to report to it (see {@link #newLeaderWaitNanos}). Each change is one
 * SetShardMap with a compare-and-set on the epoch.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  /** Shards moved between live nodes per rebalancing step. */
  static final int REBALANCE_MOVES_MAX = 4;
  /**
   * A node more entries than this behind its commit index is still replaying a backlog: it cannot
   * deliver until it has applied the map that gave it shards, so it is given none.
   */
  static final long CAUGHT_UP_LAG_ENTRIES_MAX = 64;
  /**
   * The map is checked at least this often: a check is cheap (no I/O), and each period is added
   * to the time a silent node's shards stay unowned.
   */
  static final long CHECK_PERIOD_MS_MAX = 100;
  /**
   * How long (in lease + margin) a new leader waits for the first report of a node that answers
   * it at the Raft level before judging it silent anyway.
   */
  static final long NEVER_HEARD_RESPONSIVE_WAIT_FACTOR = 2;
  /**
   * A live node this many entries behind the leader's applied index gets no shards, and when it
   * stays that far behind for {@link #STUCK_WAIT_FACTOR} x (lease + margin) its shards move away
   * as if it were leaving: it reports, so it is not silent, but it cannot deliver what it has not
   * applied (a follower whose log Ratis does not repair, or one replaying a long backlog). The
   * chaos suite found shards stuck on such a node.
   */
  static final long STUCK_LAG_ENTRIES = 1_000;
  static final long STUCK_WAIT_FACTOR = 4;
  /**
   * A node more than {@link #CAUGHT_UP_LAG_ENTRIES_MAX} behind that gains no applied entry for this
   * many (lease + margin) is stuck at the Raft level (see {@link LaggingNodes}): its shards move,
   * and the leader hands leadership to a caught-up member, at most once per
   * {@link #HAND_OVER_GAP_FACTOR} (lease + margin).
   */
  static final long FROZEN_WAIT_FACTOR = 6;
  static final long HAND_OVER_GAP_FACTOR = 24;
  /**
   * A member that answers the leader's Raft traffic but sends no report for this many (lease +
   * margin) counts as stuck too (the long chaos run found one: restarted, refused every append
   * for minutes, so it never learned the leader). Longer than a slow restart's gap between its
   * Raft server answering and its first report.
   */
  static final long MUTE_WAIT_FACTOR = 12;
  /**
   * A member counts as answering Raft, for the mute check, if it answered within this many
   * (lease + margin): a follower refused every append answers only every 5-7 s (Ratis backs off
   * after errors), so the one-lease test of {@link Liveness#raftResponsive} misses it (a
   * RestartRejoinTest run found one so, drained and never repaired). A dead node stops
   * answering long before it has been mute for {@link #MUTE_WAIT_FACTOR} (lease + margin).
   */
  static final long MUTE_ANSWER_WINDOW_FACTOR = 8;

  private final BooleanSupplier isLeader;
  private final Supplier<Optional<ShardMap>> current;
  private final Proposer proposer;
  /** The voting members (the Raft configuration), and those of them that are leaving. */
  private final Supplier<List<String>> members;
  private final Supplier<java.util.Set<String>> leaving;
  /** This (leading) node's applied index: how far a node's reported applied index is behind. */
  private final java.util.function.LongSupplier leaderApplied;
  private final LaggingNodes lagging = new LaggingNodes(CAUGHT_UP_LAG_ENTRIES_MAX);
  /** Asks for leadership to move to one of the given caught-up members (not this node). */
  private final java.util.function.Consumer<Set<String>> handOver;
  private long lastHandOverNanos;
  private boolean handedOver;
  private final int shardCount;
  private final Liveness liveness;
  private final LeaseConfig lease;
  private final Counter rebalances;
  private final Counter failovers;
  private final Counter shardMoves;
  private final AtomicBoolean proposing = new AtomicBoolean();
  /** Silent owners whose shards a proposed, not yet applied, map takes away (see {@link #withholdsLease}). */
  private final Set<String> withheld = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Releases for silent old owners are being proposed (see {@link #releaseForSilent}). */
  private final AtomicBoolean releasing = new AtomicBoolean();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("horae-coordinator").daemon().factory());
  /** Leader monotonic time when this node became leader; -1 while it is not. Loop thread only. */
  private long leaderSinceNanos = -1;
  private long lastRebalanceNanos;
  /**
   * Until then, a node this leader has never heard from is not yet judged silent: the new
   * leader's wait, or, when this leader created the first map, a whole lease + margin after that
   * (nodes are still starting). Set from the loop thread and the proposal callback.
   */
  private volatile long neverHeardGraceUntilNanos;

  public Coordinator(
      BooleanSupplier isLeader,
      Supplier<Optional<ShardMap>> current,
      Proposer proposer,
      Supplier<List<String>> members,
      Supplier<java.util.Set<String>> leaving,
      java.util.function.LongSupplier leaderApplied,
      int shardCount,
      Liveness liveness,
      LeaseConfig lease,
      java.util.function.Consumer<Set<String>> handOver,
      MeterRegistry registry) {
    this.handOver = handOver;
    this.isLeader = isLeader;
    this.current = current;
    this.proposer = proposer;
    this.members = members;
    this.leaving = leaving;
    this.leaderApplied = leaderApplied;
    this.shardCount = shardCount;
    this.liveness = liveness;
    this.lease = lease;
    this.rebalances = Counter.builder("horae.coord.rebalances").description("shard-map changes between live nodes").register(registry);
    this.failovers = Counter.builder("horae.coord.failovers").description("shard-map changes away from silent nodes").register(registry);
    this.shardMoves = Counter.builder("horae.coord.shard.moves").description("shards given a new owner").register(registry);
  }

  public Coordinator start() {
    long every = Math.min(CHECK_PERIOD_MS_MAX, lease.heartbeatInterval().toMillis());
    loop.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The even initial map: shard i goes to node i mod N. */
  public static ShardMap evenMap(long epoch, List<String> sortedNodeIds, int shardCount) {
    ShardMap.Builder map = ShardMap.newBuilder().setEpoch(epoch);
    for (int i = 0; i < shardCount; i++) {
      map.addOwners(sortedNodeIds.get(i % sortedNodeIds.size()));
    }
    return map.build();
  }

  private void check() {
    try {
      if (!isLeader.getAsBoolean()) {
        leaderSinceNanos = -1;
        return;
      }
      long now = liveness.nowNanos();
      if (leaderSinceNanos == -1) {
        leaderSinceNanos = now;
        lastRebalanceNanos = now;
        neverHeardGraceUntilNanos = now + newLeaderWaitNanos();
        liveness.reset();
        LOG.info("leading: shard map changes wait {} ms for reports", java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(newLeaderWaitNanos()));
      }
      if (proposing.get()) {
        return;
      }
      Optional<ShardMap> map = current.get();
      long silence = lease.silenceBeforeMove().toNanos();
      List<String> nodeIds = members.get().stream().sorted().toList();
      Set<String> leavingIds = leaving.get();
      if (nodeIds.isEmpty()) {
        return; // Not a configured group yet (a joining node never leads before it is added).
      }
      if (map.isEmpty()) {
        propose(SetShardMap.newBuilder().setExpectedEpoch(0).setMap(evenMap(1, nodeIds, shardCount)).build(), null, 0);
        return;
      }
      SortedMap<String, Integer> live = new TreeMap<>();
      Set<String> receivers = new HashSet<>();
      Set<String> draining = new TreeSet<>();
      Set<String> frozen = new TreeSet<>();
      for (String id : nodeIds) {
        Optional<Liveness.Seen> seen = liveness.last(id);
        if (seen.isEmpty() && now - neverHeardGraceUntilNanos < 0) {
          return; // Still waiting to hear from every node once: change nothing yet.
        }
        if (seen.isEmpty() && liveness.raftResponsive(id) && now - leaderSinceNanos < NEVER_HEARD_RESPONSIVE_WAIT_FACTOR * silence) {
          // Alive at the Raft level but not reported yet (its report may be stuck on the old
          // leader): wait for it rather than move its shards, for a bounded time.
          return;
        }
        Optional<Liveness.Seen> alive = seen.filter(s -> now - s.atNanos() <= silence);
        long lag = alive.isPresent() ? leaderApplied.getAsLong() - alive.get().report().getAppliedIndex() : 0;
        boolean lagging = alive.isPresent() && this.lagging.observe(id, alive.get().report().getAppliedIndex(), leaderApplied.getAsLong(), now);
        if (alive.isEmpty()) {
          this.lagging.forget(id);
        }
        boolean behind = lag > STUCK_LAG_ENTRIES;
        boolean mute = alive.isEmpty() && liveness.raftAnsweredWithin(id, MUTE_ANSWER_WINDOW_FACTOR * silence);
        this.lagging.observeMute(id, mute, now);
        boolean isFrozen =
            (lagging && this.lagging.stuckFor(id, now, FROZEN_WAIT_FACTOR * silence)) || (mute && this.lagging.muteFor(id, now, MUTE_WAIT_FACTOR * silence));
        if (isFrozen) {
          frozen.add(id);
        }
        boolean stuck = isFrozen || (behind && this.lagging.behindFor(id, now, STUCK_WAIT_FACTOR * silence));
        if (alive.isPresent() && (leavingIds.contains(id) || stuck)) {
          draining.add(id);
        } else if (alive.isPresent()) {
          live.put(id, alive.get().report().getCapacity());
          if (!behind && isReceiver(alive.get(), now, silence)) {
            receivers.add(id);
          }
        }
      }
      repairFrozen(frozen, receivers, now, silence);
      Set<String> alive = new HashSet<>(live.keySet());
      alive.addAll(draining);
      releaseForSilent(map.get(), alive);
      // A leaving node's shards all move at once, before anything else and at no pace; to the
      // receivers if there are any.
      SortedMap<String, Integer> takers = new TreeMap<>(live);
      if (!receivers.isEmpty()) {
        takers.keySet().retainAll(receivers);
      }
      Optional<ShardPlanner.Plan> drain = ShardPlanner.drain(map.get(), takers, draining);
      Optional<ShardPlanner.Plan> plan = drain.isPresent() ? drain : ShardPlanner.plan(map.get(), live, receivers, REBALANCE_MOVES_MAX);
      if (plan.isEmpty()) {
        return;
      }
      boolean rebalance = !plan.get().liveHandoffs().isEmpty();
      if (rebalance && drain.isEmpty() && now - lastRebalanceNanos < silence) {
        return; // Few at a time: let the last hand-off settle first.
      }
      ShardMap next = ShardMap.newBuilder().setEpoch(map.get().getEpoch() + 1).addAllOwners(plan.get().owners()).build();
      SetShardMap set =
          SetShardMap.newBuilder()
              .setExpectedEpoch(map.get().getEpoch())
              .setMap(next)
              .addAllLiveHandoffShards(plan.get().liveHandoffs())
              .build();
      if (rebalance) {
        lastRebalanceNanos = now;
      }
      if (!rebalance) {
        // Until this map is applied, a silent owner that reports again must get no lease for
        // the map it is losing (see withholdsLease).
        for (int s = 0; s < map.get().getOwnersCount(); s++) {
          String owner = map.get().getOwners(s);
          if (!owner.equals(next.getOwners(s)) && !live.containsKey(owner) && !draining.contains(owner)) {
            withheld.add(owner);
          }
        }
      }
      propose(set, rebalance ? rebalances : failovers, plan.get().moves());
      LOG.info(
          "{} epoch={} moves={} live={}",
          rebalance ? "rebalancing shards" : "moving shards of silent nodes",
          next.getEpoch(),
          plan.get().moves(),
          live.keySet());
      if (!draining.isEmpty()) {
        LOG.info("draining nodes (leaving, or stuck behind) nodes={} epoch={}", draining, next.getEpoch());
      }
    } catch (RuntimeException e) {
      proposing.set(false);
      LOG.warn("coordinator check failed", e);
    }
  }

  /**
   * The hand-off barrier's way out (DESIGN §6 step 5): a shard waiting for the Released of an old
   * owner that went silent would wait forever, so the leader releases it on that owner's behalf.
   * Silent means no report for lease + margin, so its lease has run out and it starts no call;
   * a call it had in flight may still be answered, and then the new owner sends it again under
   * the same key, as after any failure.
   */
  private void releaseForSilent(ShardMap map, Set<String> alive) {
    if (releasing.get()) {
      return;
    }
    List<Op> ops = new java.util.ArrayList<>();
    for (int s = 0; s < map.getOwnersCount(); s++) {
      if (io.horae.statemachine.core.Shards.handoffPending(map, s) && !alive.contains(map.getHandoffFrom(s))) {
        ops.add(
            Op.newBuilder()
                .setReleased(
                    io.horae.internal.v1.Released.newBuilder().setShard(s).setNodeId(map.getHandoffFrom(s)).setEpoch(map.getHandoffFromEpoch(s)))
                .build());
      }
    }
    if (ops.isEmpty()) {
      return;
    }
    releasing.set(true);
    LOG.info("releasing {} hand-offs of silent old owners", ops.size());
    java.util.concurrent.CompletableFuture.allOf(ops.stream().map(proposer::propose).toArray(java.util.concurrent.CompletableFuture[]::new))
        .whenComplete((r, error) -> releasing.set(false));
  }

  /**
   * Whether the leader must not acknowledge this node's report now: a map that moves its shards
   * away as silent is proposed and not yet applied. An ack now would carry the old map's epoch
   * and give the node a fresh lease for shards that the new owners fire as soon as the map is
   * applied (chaos seed 5010: a frozen leader resumed, reported to the new leader during a slow
   * commit, and sent an execution 14 ms after its new owner). Once the map is applied, acks
   * carry its epoch, and the node's lease counts only after it applied it too.
   */
  public boolean withholdsLease(String nodeId) {
    return withheld.contains(nodeId);
  }

  /** Hands leadership over when a member is stuck at the Raft level (see {@link LaggingNodes}). */
  private void repairFrozen(Set<String> frozen, Set<String> receivers, long now, long silence) {
    if (frozen.isEmpty() || (handedOver && now - lastHandOverNanos < HAND_OVER_GAP_FACTOR * silence)) {
      return;
    }
    Set<String> to = new TreeSet<>(receivers);
    to.removeAll(frozen);
    if (to.isEmpty()) {
      return;
    }
    handedOver = true;
    lastHandOverNanos = now;
    LOG.warn("members {} made no progress for {} ms (far behind, or answering Raft without reporting): handing leadership to one of {} so that a new leader repairs their logs", frozen,
        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(FROZEN_WAIT_FACTOR * silence), to);
    handOver.accept(to);
  }

  /**
   * A live node may be given shards once it is caught up and has reported without a gap for one
   * lease + margin (a node that just restarted is slow and would flap between live and silent).
   * The streak rule does not apply to the first map's grace period, when every node just started.
   */
  private boolean isReceiver(Liveness.Seen seen, long now, long silence) {
    boolean caughtUp = seen.report().getCommitIndex() - seen.report().getAppliedIndex() <= CAUGHT_UP_LAG_ENTRIES_MAX;
    boolean steady = now - seen.sinceNanos() >= silence || now - neverHeardGraceUntilNanos < 0;
    return caughtUp && steady;
  }

  /**
   * How long a new leader waits before judging nodes silent. Leases granted by the previous leader
   * have already run out when this node won the election (docs/failover.md, case 2: pre-vote and
   * lease.duration <= raft.electionTimeoutMin); the wait covers clock-rate differences (margin)
   * and gives every live node two heartbeats to find and report to the new leader.
   */
  private long newLeaderWaitNanos() {
    return Math.max(lease.margin().toNanos(), 2 * lease.heartbeatInterval().toNanos());
  }

  private void propose(SetShardMap set, Counter kind, int moves) {
    proposing.set(true);
    proposer
        .propose(Op.newBuilder().setSetShardMap(set).build())
        .whenComplete(
            (r, error) -> {
              proposing.set(false);
              withheld.clear();
              if (error != null) {
                LOG.warn("shard map epoch={} not set; will retry", set.getMap().getEpoch(), error);
              } else if (r.hasRejection()) {
                LOG.info("shard map epoch={} refused: {}", set.getMap().getEpoch(), r.getRejection().getMessage());
              } else {
                if (set.getExpectedEpoch() == 0) {
                  neverHeardGraceUntilNanos = liveness.nowNanos() + lease.silenceBeforeMove().toNanos();
                }
                if (kind != null) {
                  kind.increment();
                  shardMoves.increment(moves);
                }
                LOG.info("shard map set epoch={} shards={} owners={}", r.getShardMap().getEpoch(), shardCount, counts(r.getShardMap()));
              }
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
