package io.horae.server.coord;

import io.horae.internal.v1.Released;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import io.horae.statemachine.core.Shards;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leader's shard-map decisions as a pure state object (STYLE "the shell has the core's shape
 * too"): {@link #decide} takes a {@link CoordinatorView} with the time in it and returns effects;
 * it reads no clock, does no I/O and starts no thread. {@link Coordinator} is the shell that takes
 * the view, runs one decision per period on its one thread, and carries the effects out.
 *
 * <p>Sets the first map evenly; moves every shard of a node not heard from for lease + margin to
 * the live nodes; and, when nothing is orphaned, rebalances a few shards at a time towards
 * capacity-weighted shares, at most once per lease + margin. A new leader first waits until every
 * live node has had the chance to report to it. Not thread-safe: one thread drives it.
 */
final class CoordinatorCore {
  /** Shards moved between live nodes per rebalancing step. */
  static final int REBALANCE_MOVES_MAX = 4;

  /**
   * A node more entries than this behind its commit index is still replaying a backlog: it cannot
   * deliver until it has applied the map that gave it shards, so it is given none.
   */
  static final long CAUGHT_UP_LAG_ENTRIES_MAX = 64;

  /**
   * How long (in lease + margin) a new leader waits for the first report of a node that answers it
   * at the Raft level before judging it silent anyway.
   */
  static final long NEVER_HEARD_RESPONSIVE_WAIT_FACTOR = 2;

  /**
   * A live node this many entries behind the leader's applied index gets no shards, and when it
   * stays that far behind for {@link #STUCK_WAIT_FACTOR} x (lease + margin) its shards move away as
   * if it were leaving: it reports, so it is not silent, but it cannot deliver what it has not
   * applied (a follower whose log Ratis does not repair, or one replaying a long backlog). The
   * chaos suite found shards stuck on such a node.
   */
  static final long STUCK_LAG_ENTRIES = 1_000;

  static final long STUCK_WAIT_FACTOR = 4;

  /**
   * A node more than {@link #CAUGHT_UP_LAG_ENTRIES_MAX} behind that gains no applied entry for this
   * many (lease + margin) is stuck at the Raft level (see {@link LaggingNodes}): its shards move,
   * and the leader hands leadership to a caught-up member, at most once per {@link
   * #HAND_OVER_GAP_FACTOR} (lease + margin).
   */
  static final long FROZEN_WAIT_FACTOR = 6;

  static final long HAND_OVER_GAP_FACTOR = 24;

  /**
   * A member behind the leader by any number of entries that gains none for {@link
   * #FROZEN_WAIT_FACTOR} x (lease + margin) is stalled, however small its lag, and the leader
   * resyncs it ({@link CoordinatorEffect.Resync}) at most once per this many (lease + margin).
   * Ratis 3.3 lets a follower commit its own first entry when it differs from the leader's (a
   * heartbeat to a follower at next index 0 names no previous entry to check), and such a follower
   * refuses every append for good; once the leader's log no longer holds index 0, Ratis installs a
   * snapshot on it instead (docs/failover.md, "A follower that commits its own first entry").
   */
  static final long RESYNC_GAP_FACTOR = 24;

  /**
   * A member that answers the leader's Raft traffic but sends no report for this many (lease +
   * margin) counts as stuck too (the long chaos run found one: restarted, refused every append for
   * minutes, so it never learned the leader). Longer than a slow restart's gap between its Raft
   * server answering and its first report.
   */
  static final long MUTE_WAIT_FACTOR = 12;

  /**
   * A member counts as answering Raft, for the mute check, if it answered within this many (lease +
   * margin): a follower refused every append answers only every 5-7 s (Ratis backs off after
   * errors), so a one-lease test misses it (a RestartRejoinTest run found one so, drained and never
   * repaired). A dead node stops answering long before it has been mute for {@link
   * #MUTE_WAIT_FACTOR} (lease + margin).
   */
  static final long MUTE_ANSWER_WINDOW_FACTOR = 8;

  /**
   * A live member whose replica is older than this many (lease + margin) is stale (see {@link
   * AppliedTimes}): a slow disk that applies entries more slowly than they commit. It already fires
   * nothing (its lease counts only while it has applied what the leader had applied at the previous
   * ack, LeaseKeeper#leaseFresh), so its shards move away, as a stuck member's do, and the leader
   * releases their hand-offs on its behalf; it gets shards again once caught up. At most as many
   * members are drained for this as leave a majority live, so a cluster whose followers all lag
   * under load does not pile every shard onto the leader.
   */
  static final long STALE_WAIT_FACTOR = 2;

  /**
   * Samples of the leader's applied index: ten per second of checks covers well past the stale
   * wait.
   */
  static final int APPLIED_SAMPLES_MAX = 1_024;

  private final int shardCount;

  /** Lease + margin: a node not heard from for longer is silent. */
  private final long silenceNanos;

  /**
   * How long a new leader waits before judging nodes silent. Leases granted by the previous leader
   * have already run out when this node won the election (docs/failover.md, case 2: pre-vote and
   * lease.duration <= raft.electionTimeoutMin); the wait covers clock-rate differences (margin) and
   * gives every live node two heartbeats to find and report to the new leader.
   */
  private final long newLeaderWaitNanos;

  private final LaggingNodes lagging = new LaggingNodes(CAUGHT_UP_LAG_ENTRIES_MAX);

  /** Every member behind the leader at all, for the stall check (see RESYNC_GAP_FACTOR). */
  private final LaggingNodes stalling = new LaggingNodes(0);

  private final AppliedTimes appliedTimes = new AppliedTimes(APPLIED_SAMPLES_MAX);

  /** When this node became leader; -1 while it is not. */
  private long leaderSinceNanos = -1;

  private long lastRebalanceNanos;

  /** The epoch of the map in force, and when this leader first saw it applied. */
  private long mapEpochSeen = -1;

  private long mapSeenAtNanos;
  private long lastHandOverNanos;
  private boolean handedOver;
  private long lastResyncNanos;
  private boolean resynced;

  /**
   * Until then, a node this leader has never heard from is not yet judged silent: the new leader's
   * wait, or, when this leader created the first map, a whole lease + margin after that (nodes are
   * still starting).
   */
  private long neverHeardGraceUntilNanos;

  CoordinatorCore(int shardCount, long silenceNanos, long newLeaderWaitNanos) {
    this.shardCount = shardCount;
    this.silenceNanos = silenceNanos;
    this.newLeaderWaitNanos = newLeaderWaitNanos;
  }

  /** The even initial map: shard i goes to node i mod N. */
  static ShardMap evenMap(long epoch, List<String> sortedNodeIds, int shardCount) {
    ShardMap.Builder map = ShardMap.newBuilder().setEpoch(epoch);
    for (int i = 0; i < shardCount; i++) {
      map.addOwners(sortedNodeIds.get(i % sortedNodeIds.size()));
    }
    return map.build();
  }

  /** One check: what to do now, given what the shell sees. */
  List<CoordinatorEffect> decide(CoordinatorView view) {
    List<CoordinatorEffect> effects = new ArrayList<>();
    long now = view.nowNanos();
    if (!view.leading()) {
      leaderSinceNanos = -1;
      return effects;
    }
    if (leaderSinceNanos == -1) {
      leaderSinceNanos = now;
      lastRebalanceNanos = now;
      neverHeardGraceUntilNanos = now + newLeaderWaitNanos;
      effects.add(new CoordinatorEffect.ResetLiveness());
      view = view.withoutReports();
      appliedTimes.clear();
    }
    appliedTimes.record(view.leaderApplied(), now);
    if (view.busy() || view.members().isEmpty()) {
      return effects; // A change is in flight, or not a configured group yet (a joining node never
      // leads before it is added).
    }
    if (view.map().isEmpty()) {
      SetShardMap first =
          SetShardMap.newBuilder()
              .setExpectedEpoch(0)
              .setMap(evenMap(1, view.members(), shardCount))
              .setLeaderTerm(view.term())
              .build();
      effects.add(
          new CoordinatorEffect.ProposeMap(
              first, CoordinatorEffect.Kind.FIRST, 0, Set.of(), Set.of(), Set.of()));
      return effects;
    }
    Optional<Classified> classified = classify(view);
    if (classified.isEmpty()) {
      return effects;
    }
    Classified c = classified.get();
    handOverFor(c.frozen(), c.receivers(), now).ifPresent(effects::add);
    resyncFor(c.stalled(), c.receivers(), now).ifPresent(effects::add);
    ShardMap map = view.map().get();
    Set<String> alive = new HashSet<>(c.live().keySet());
    alive.addAll(c.draining());
    if (map.getEpoch() != mapEpochSeen) {
      mapEpochSeen = map.getEpoch();
      mapSeenAtNanos = now;
    }
    if (now - mapSeenAtNanos > silenceNanos) {
      // A stale old owner would release its hand-offs only after applying its backlog. Since this
      // map was applied here, acks carry its epoch, which the stale owner has not applied, so its
      // lease lapsed within lease.duration and it starts no call; release on its behalf, as for a
      // silent owner (a call it still had in flight may be sent again under the same key).
      alive.removeAll(c.stale());
    }
    if (!view.releasing()) {
      releasesFor(map, alive, view.term()).ifPresent(effects::add);
    }
    planMove(map, c, now, view.term()).ifPresent(effects::add);
    return effects;
  }

  /** A proposed map completed (applied or refused); the first map starts the nodes' grace. */
  void mapProposed(boolean firstMap, long nowNanos) {
    if (firstMap) {
      neverHeardGraceUntilNanos = nowNanos + silenceNanos;
    }
  }

  /** The members sorted by what they can do now. */
  private record Classified(
      SortedMap<String, Integer> live,
      Set<String> receivers,
      Set<String> draining,
      Set<String> frozen,
      Set<String> stale,
      SortedMap<String, Long> stalled) {}

  /** Empty while the leader should still wait to hear from a node before changing anything. */
  private Optional<Classified> classify(CoordinatorView view) {
    long now = view.nowNanos();
    SortedMap<String, Integer> live = new TreeMap<>();
    Set<String> receivers = new HashSet<>();
    Set<String> draining = new TreeSet<>();
    Set<String> frozen = new TreeSet<>();
    SortedMap<String, Long> stalled = new TreeMap<>();
    Map<String, Long> stale = new HashMap<>();
    for (String id : view.members()) {
      Optional<Liveness.Seen> seen = view.seen(id);
      if (seen.isEmpty()
          && now - neverHeardGraceUntilNanos < 0
          && !view.unansweredFor(id, silenceNanos)) {
        // Still waiting to hear from every node once: change nothing yet. Not for the leader
        // before this one if it stopped answering this node's reports lease + margin ago: it is
        // silent as a follower's silence is judged, and its shards move as soon as the others
        // are heard (a killed leader's shards half a second sooner).
        return Optional.empty();
      }
      if (seen.isEmpty()
          && view.raftAnsweredWithin(id, silenceNanos)
          && now - leaderSinceNanos < NEVER_HEARD_RESPONSIVE_WAIT_FACTOR * silenceNanos) {
        // Alive at the Raft level but not reported yet (its report may be stuck on the old
        // leader): wait for it rather than move its shards, for a bounded time.
        return Optional.empty();
      }
      Optional<Liveness.Seen> alive = seen.filter(s -> now - s.atNanos() <= silenceNanos);
      long applied = alive.map(s -> s.report().getAppliedIndex()).orElse(0L);
      long lag = alive.isPresent() ? view.leaderApplied() - applied : 0;
      long handed = alive.map(s -> s.report().getHandedIndex()).orElse(0L);
      boolean isLagging =
          alive.isPresent() && lagging.observe(id, applied, handed, view.leaderApplied(), now);
      if (alive.isEmpty()) {
        lagging.forget(id);
        stalling.forget(id);
      } else if (stalling.observe(id, applied, handed, view.leaderApplied(), now)
          && stalling.stuckFor(id, now, FROZEN_WAIT_FACTOR * silenceNanos)) {
        stalled.put(id, applied);
      }
      boolean behind = lag > STUCK_LAG_ENTRIES;
      boolean mute =
          alive.isEmpty() && view.raftAnsweredWithin(id, MUTE_ANSWER_WINDOW_FACTOR * silenceNanos);
      lagging.observeMute(id, mute, now);
      boolean isFrozen =
          (isLagging && lagging.stuckFor(id, now, FROZEN_WAIT_FACTOR * silenceNanos))
              || (mute && lagging.muteFor(id, now, MUTE_WAIT_FACTOR * silenceNanos));
      if (isFrozen) {
        frozen.add(id);
      }
      boolean stuck =
          isFrozen || (behind && lagging.behindFor(id, now, STUCK_WAIT_FACTOR * silenceNanos));
      long age = alive.isPresent() ? appliedTimes.ageNanos(applied, now) : 0;
      if (alive.isPresent() && (view.leaving().contains(id) || stuck)) {
        draining.add(id);
      } else if (alive.isPresent()) {
        live.put(id, alive.get().report().getCapacity());
        if (age > STALE_WAIT_FACTOR * silenceNanos) {
          stale.put(id, age);
        } else if (!behind && isReceiver(alive.get(), now)) {
          receivers.add(id);
        }
      }
    }
    // The stalest first, while a majority of the members stays live.
    List<String> stalest =
        stale.keySet().stream()
            .sorted(
                java.util.Comparator.<String, Long>comparing(stale::get)
                    .reversed()
                    .thenComparing(java.util.Comparator.naturalOrder()))
            .toList();
    Set<String> drainedStale = new TreeSet<>();
    for (String id : stalest) {
      if (live.size() - 1 <= view.members().size() / 2) {
        break;
      }
      live.remove(id);
      draining.add(id);
      drainedStale.add(id);
    }
    return Optional.of(new Classified(live, receivers, draining, frozen, drainedStale, stalled));
  }

  /**
   * A live node may be given shards once it is caught up and has reported without a gap for one
   * lease + margin (a node that just restarted is slow and would flap between live and silent). The
   * streak rule does not apply to the first map's grace period, when every node just started.
   */
  private boolean isReceiver(Liveness.Seen seen, long now) {
    boolean caughtUp =
        seen.report().getCommitIndex() - seen.report().getAppliedIndex()
            <= CAUGHT_UP_LAG_ENTRIES_MAX;
    boolean steady = now - seen.sinceNanos() >= silenceNanos || now - neverHeardGraceUntilNanos < 0;
    return caughtUp && steady;
  }

  /** Hands leadership over when a member is stuck at the Raft level (see {@link LaggingNodes}). */
  private Optional<CoordinatorEffect> handOverFor(
      Set<String> frozen, Set<String> receivers, long now) {
    if (frozen.isEmpty()
        || (handedOver && now - lastHandOverNanos < HAND_OVER_GAP_FACTOR * silenceNanos)) {
      return Optional.empty();
    }
    Set<String> to = new TreeSet<>(receivers);
    to.removeAll(frozen);
    if (to.isEmpty()) {
      return Optional.empty();
    }
    handedOver = true;
    lastHandOverNanos = now;
    return Optional.of(
        new CoordinatorEffect.HandOver(frozen, to, FROZEN_WAIT_FACTOR * silenceNanos));
  }

  /** Resyncs stalled members, at most once per {@link #RESYNC_GAP_FACTOR} (lease + margin). */
  private Optional<CoordinatorEffect> resyncFor(
      SortedMap<String, Long> stalled, Set<String> receivers, long now) {
    if (stalled.isEmpty()
        || (resynced && now - lastResyncNanos < RESYNC_GAP_FACTOR * silenceNanos)) {
      return Optional.empty();
    }
    resynced = true;
    lastResyncNanos = now;
    Set<String> to = new TreeSet<>(receivers);
    to.removeAll(stalled.keySet());
    long lowest = stalled.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    return Optional.of(new CoordinatorEffect.Resync(new TreeSet<>(stalled.keySet()), lowest, to));
  }

  /**
   * The hand-off barrier's way out (DESIGN §6 step 5): a shard waiting for the Released of an old
   * owner that went silent would wait forever, so the leader releases it on that owner's behalf.
   * Silent means no report for lease + margin, so its lease has run out and it starts no call; a
   * call it had in flight may still be answered, and then the new owner sends it again under the
   * same key, as after any failure.
   */
  private static Optional<CoordinatorEffect> releasesFor(
      ShardMap map, Set<String> alive, long term) {
    List<Released> releases = new ArrayList<>();
    for (int s = 0; s < map.getOwnersCount(); s++) {
      if (Shards.handoffPending(map, s) && !alive.contains(map.getHandoffFrom(s))) {
        releases.add(
            Released.newBuilder()
                .setShard(s)
                .setNodeId(map.getHandoffFrom(s))
                .setEpoch(map.getHandoffFromEpoch(s))
                .setLeaderTerm(term)
                .build());
      }
    }
    return releases.isEmpty()
        ? Optional.empty()
        : Optional.of(new CoordinatorEffect.ReleaseSilent(releases));
  }

  /** The next map, if one is due: a leaving or stuck node's shards first, then a rebalance step. */
  private Optional<CoordinatorEffect> planMove(ShardMap map, Classified c, long now, long term) {
    // A leaving node's shards all move at once, before anything else and at no pace; to the
    // receivers if there are any.
    SortedMap<String, Integer> takers = new TreeMap<>(c.live());
    if (!c.receivers().isEmpty()) {
      takers.keySet().retainAll(c.receivers());
    }
    Optional<ShardPlanner.Plan> drain = ShardPlanner.drain(map, takers, c.draining());
    Optional<ShardPlanner.Plan> plan =
        drain.isPresent()
            ? drain
            : ShardPlanner.plan(map, c.live(), c.receivers(), REBALANCE_MOVES_MAX);
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    boolean rebalance = !plan.get().liveHandoffs().isEmpty();
    if (rebalance && drain.isEmpty() && now - lastRebalanceNanos < silenceNanos) {
      return Optional.empty(); // Few at a time: let the last hand-off settle first.
    }
    ShardMap next =
        ShardMap.newBuilder()
            .setEpoch(map.getEpoch() + 1)
            .addAllOwners(plan.get().owners())
            .build();
    SetShardMap set =
        SetShardMap.newBuilder()
            .setExpectedEpoch(map.getEpoch())
            .setMap(next)
            .addAllLiveHandoffShards(plan.get().liveHandoffs())
            .setLeaderTerm(term)
            .build();
    Set<String> withhold = new TreeSet<>();
    if (rebalance) {
      lastRebalanceNanos = now;
    } else {
      // Until this map is applied, a silent owner that reports again must get no lease for the
      // map it is losing (see Coordinator#withholdsLease).
      for (int s = 0; s < map.getOwnersCount(); s++) {
        String owner = map.getOwners(s);
        if (!owner.equals(next.getOwners(s))
            && !c.live().containsKey(owner)
            && !c.draining().contains(owner)) {
          withhold.add(owner);
        }
      }
    }
    CoordinatorEffect.Kind kind =
        rebalance ? CoordinatorEffect.Kind.REBALANCE : CoordinatorEffect.Kind.FAILOVER;
    return Optional.of(
        new CoordinatorEffect.ProposeMap(
            set, kind, plan.get().moves(), withhold, c.live().keySet(), c.draining()));
  }
}
