package io.horae.server.coord;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.NodeReport;
import io.horae.internal.v1.Released;
import io.horae.internal.v1.ShardMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's shard-map decisions, driven with plain numbers and a settable clock, no cluster:
 * each case is a transition the chaos suite found or the design relies on (DESIGN §6,
 * docs/failover.md).
 */
class CoordinatorCoreTest {
  private static final long SILENCE_MS = 1_250;
  private static final long NEW_LEADER_WAIT_MS = 500;
  private static final int SHARDS = 12;
  private static final long TERM = 3;
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  private CoordinatorCore core;
  private long nowMs;
  private boolean leading;
  private boolean busy;
  private boolean releasing;
  private ShardMap map;
  private long leaderApplied;
  private final Set<String> leaving = new TreeSet<>();
  private final List<String> members = new ArrayList<>(NODES);
  private final Map<String, Liveness.Seen> reports = new HashMap<>();
  private final Map<String, Long> raftAgeMs = new HashMap<>();

  /** For the leader before this one: ms since it last answered this node's reports. */
  private final Map<String, Long> unansweredMs = new HashMap<>();

  @BeforeEach
  void newLeaderWithAnEvenMap() {
    core = new CoordinatorCore(SHARDS, ms(SILENCE_MS), ms(NEW_LEADER_WAIT_MS));
    nowMs = 10_000;
    leading = true;
    map = CoordinatorCore.evenMap(7, NODES, SHARDS);
    leaderApplied = 5_000;
    NODES.forEach(n -> raftAgeMs.put(n, 0L));
  }

  @Test
  void aNewLeaderForgetsEveryReportAndMovesNothingUntilItHasHeardEachNode() {
    NODES.forEach(this::reports);

    List<CoordinatorEffect> first = decide();
    assertThat(first).containsExactly(new CoordinatorEffect.ResetLiveness());

    reports("n1");
    reports("n2");
    nowMs += SILENCE_MS; // n3 answers Raft but has not reported: its report may be stuck on the old
    // leader.
    assertThat(decide()).isEmpty();

    nowMs += SILENCE_MS + 1; // Waited twice lease + margin for it: now it counts as silent.
    reports("n1");
    reports("n2");
    CoordinatorEffect.ProposeMap move = onlyMap(decide());
    assertThat(move.kind()).isEqualTo(CoordinatorEffect.Kind.FAILOVER);
    assertThat(move.set().getMap().getOwnersList()).doesNotContain("n3");
  }

  @Test
  void aNewLeaderMovesTheShardsOfAPredecessorSilentForLeasePlusMarginAsSoonAsTheOthersReported() {
    // n3 led until it was killed; n1 won the election. Its reports to n3 went unanswered for
    // longer than lease + margin, and n3 answers no Raft traffic.
    unansweredMs.put("n3", SILENCE_MS + 1);
    raftAgeMs.remove("n3");
    assertThat(decide()).containsExactly(new CoordinatorEffect.ResetLiveness());

    reports("n1");
    assertThat(decide()).as("n2 is not heard yet: the new leader's wait holds").isEmpty();

    nowMs += 100; // Well inside the new leader's 500 ms wait.
    reports("n1");
    reports("n2");
    CoordinatorEffect.ProposeMap move = onlyMap(decide());
    assertThat(move.kind()).isEqualTo(CoordinatorEffect.Kind.FAILOVER);
    assertThat(move.set().getMap().getOwnersList()).doesNotContain("n3").hasSize(SHARDS);
  }

  @Test
  void aNewLeaderWaitsForAPredecessorThatAnsweredItWithinLeasePlusMargin() {
    // A leadership transfer: n3 answered n1's reports until just before n1 won.
    unansweredMs.put("n3", 100L);
    raftAgeMs.remove("n3");
    decide();

    nowMs += NEW_LEADER_WAIT_MS - 1;
    reports("n1");
    reports("n2");
    assertThat(decide()).as("n3 gets the new leader's wait to report").isEmpty();

    nowMs += 1;
    reports("n3");
    assertThat(maps(decide())).as("heard from every node: nothing moves").isEmpty();
  }

  @Test
  void theFirstLeaderProposesAnEvenMapAtOnce() {
    map = null;
    List<CoordinatorEffect> effects = decide();

    CoordinatorEffect.ProposeMap first = onlyMap(effects);
    assertThat(first.kind()).isEqualTo(CoordinatorEffect.Kind.FIRST);
    assertThat(first.set().getExpectedEpoch()).isZero();
    assertThat(Collections.frequency(first.set().getMap().getOwnersList(), "n1"))
        .isEqualTo(SHARDS / 3);
  }

  @Test
  void aSilentOwnersShardsMoveToTheLiveNodesAndItGetsNoLeaseUntilTheMapIsApplied() {
    settledLeader();
    reports("n1");
    reports("n2");
    nowMs += SILENCE_MS - 1;
    reports("n1");
    reports("n2");
    assertThat(maps(decide()))
        .as("n3 silent for less than lease + margin keeps its shards")
        .isEmpty();

    nowMs += 2;
    reports("n1");
    reports("n2");
    CoordinatorEffect.ProposeMap move = onlyMap(decide());

    assertThat(move.kind()).isEqualTo(CoordinatorEffect.Kind.FAILOVER);
    assertThat(move.set().getExpectedEpoch()).isEqualTo(7);
    assertThat(move.set().getMap().getEpoch()).isEqualTo(8);
    assertThat(move.set().getMap().getOwnersList()).doesNotContain("n3").hasSize(SHARDS);
    assertThat(move.set().getLiveHandoffShardsList())
        .as("a silent owner's shards are not live hand-offs")
        .isEmpty();
    assertThat(move.withhold())
        .as("chaos seed 5010: a frozen n3 that reports during the commit must get no lease")
        .containsExactly("n3");
    assertThat(move.moves()).isEqualTo(SHARDS / 3);
    assertThat(move.set().getLeaderTerm())
        .as("chaos seed 6003: valid only if committed in this leader's term")
        .isEqualTo(TERM);
  }

  @Test
  void nothingIsDecidedWhileAMapChangeIsInFlight() {
    settledLeader();
    nowMs += SILENCE_MS + 1;
    reports("n1");
    reports("n2");
    busy = true;
    assertThat(decide()).isEmpty();
    busy = false;
    assertThat(maps(decide())).hasSize(1);
  }

  @Test
  void theLeaderReleasesAHandOffOnlyWhenItsOldOwnerIsSilent() {
    settledLeader();
    map =
        map.toBuilder()
            .setOwners(2, "n1")
            .addAllHandoff(handoffAt(2))
            .addAllHandoffFrom(fromAt(2, "n3"))
            .addAllHandoffFromEpoch(epochAt(2, 6))
            .build();
    NODES.forEach(this::reports);
    assertThat(decide())
        .as("the old owner is alive: it releases the shard itself")
        .noneMatch(e -> e instanceof CoordinatorEffect.ReleaseSilent);

    nowMs += SILENCE_MS + 1;
    reports("n1");
    reports("n2");
    List<CoordinatorEffect> effects = decide();
    assertThat(effects)
        .contains(
            new CoordinatorEffect.ReleaseSilent(
                List.of(
                    Released.newBuilder()
                        .setShard(2)
                        .setNodeId("n3")
                        .setEpoch(6)
                        .setLeaderTerm(TERM)
                        .build())));

    releasing = true;
    assertThat(decide()).noneMatch(e -> e instanceof CoordinatorEffect.ReleaseSilent);
  }

  @Test
  void aMemberStuckFarBehindGivesUpItsShardsAfterItsWait() {
    settledLeader();
    long stuckMs = CoordinatorCore.STUCK_WAIT_FACTOR * SILENCE_MS;
    leaderApplied = 100_000;
    // Behind by more than STUCK_LAG_ENTRIES, but making progress at the leader's pace, so its
    // replica is young (not stale): only the count of entries behind can drain it.
    for (long t = 0; t < stuckMs; t += SILENCE_MS / 2) {
      leaderApplied += 1_000;
      everyoneReports();
      reportsAt("n3", leaderApplied - CoordinatorCore.STUCK_LAG_ENTRIES - 100);
      assertThat(maps(decide())).as("at %d ms", t).isEmpty();
      nowMs += SILENCE_MS / 2;
    }
    leaderApplied += 1_000;
    everyoneReports();
    reportsAt("n3", leaderApplied - CoordinatorCore.STUCK_LAG_ENTRIES - 100);
    CoordinatorEffect.ProposeMap drain = onlyMap(decide());

    assertThat(drain.draining()).containsExactly("n3");
    assertThat(drain.set().getMap().getOwnersList()).doesNotContain("n3");
    assertThat(drain.withhold()).as("n3 reports: it is not silent").isEmpty();
  }

  @Test
  void aMemberWhoseReplicaFallsBehindInTimeGivesUpItsShardsThoughFewEntriesBehind() {
    settledLeader();
    long staleMs = CoordinatorCore.STALE_WAIT_FACTOR * SILENCE_MS;
    long stepMs = SILENCE_MS / 5;
    long startMs = nowMs;
    long n3Applied = leaderApplied;
    // A slow disk: n3 applies one entry while the leader applies ten. It is never "stuck" by
    // entries (STUCK_LAG_ENTRIES), but its replica ages: after k steps it has what the leader had
    // after k/10, so it is 0.9 k steps old.
    CoordinatorEffect.ProposeMap drain = null;
    for (int k = 1; drain == null && k <= 100; k++) {
      nowMs += stepMs;
      leaderApplied += 10;
      n3Applied += 1;
      everyoneReports();
      reportsAt("n3", n3Applied);
      List<CoordinatorEffect.ProposeMap> proposed = maps(decide());
      long replicaAgeMs = (k - (k - 1) / 10) * stepMs;
      if (replicaAgeMs <= staleMs) {
        assertThat(proposed).as("step %d: n3's replica is %d ms old", k, replicaAgeMs).isEmpty();
      } else if (!proposed.isEmpty()) {
        drain = proposed.getFirst();
      }
    }

    assertThat(drain).as("n3 drained within 100 steps").isNotNull();
    assertThat(drain.draining()).containsExactly("n3");
    assertThat(drain.set().getMap().getOwnersList()).doesNotContain("n3");
    assertThat(nowMs - startMs)
        .as("drained once its replica was older than the stale wait, soon after")
        .isBetween(staleMs, staleMs + 2 * stepMs + staleMs / 9);
    assertThat(leaderApplied - n3Applied)
        .as("entries behind")
        .isLessThan(CoordinatorCore.STUCK_LAG_ENTRIES);
  }

  @Test
  void theLeaderReleasesAStaleOldOwnersHandOffsOnceItsMapHasBeenInForceForALeaseAndMargin() {
    settledLeader();
    long staleMs = CoordinatorCore.STALE_WAIT_FACTOR * SILENCE_MS;
    long n3Applied = leaderApplied;
    // n3's replica ages past the stale wait: the leader drains it.
    CoordinatorEffect.ProposeMap drain = null;
    for (int k = 0; drain == null && k < 100; k++) {
      nowMs += SILENCE_MS / 5;
      leaderApplied += 10;
      everyoneReports();
      reportsAt("n3", n3Applied);
      List<CoordinatorEffect.ProposeMap> proposed = maps(decide());
      drain = proposed.isEmpty() ? null : proposed.getFirst();
    }
    assertThat(drain).isNotNull();
    map = handOffs(drain.set(), drain.set().getMap());
    int shard = map.getHandoffList().indexOf(true);
    assertThat(shard).as("n3's shards move by live hand-off").isNotNegative();

    nowMs += SILENCE_MS / 2;
    leaderApplied += 10;
    everyoneReports();
    reportsAt("n3", n3Applied);
    assertThat(decide())
        .as("the map is new: n3's lease may still be running")
        .noneMatch(e -> e instanceof CoordinatorEffect.ReleaseSilent);

    nowMs += SILENCE_MS + 1;
    leaderApplied += 10;
    everyoneReports();
    reportsAt("n3", n3Applied);
    List<CoordinatorEffect> effects = decide();
    assertThat(effects)
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        CoordinatorEffect.ReleaseSilent.class,
                        r ->
                            assertThat(r.releases())
                                .allMatch(rel -> rel.getNodeId().equals("n3"))
                                .isNotEmpty()));
  }

  /**
   * The map a SetShardMap makes: its owners, with the hand-off of each live hand-off shard from its
   * old owner.
   */
  private static ShardMap handOffs(io.horae.internal.v1.SetShardMap set, ShardMap next) {
    ShardMap.Builder b = next.toBuilder().clearHandoff().clearHandoffFrom().clearHandoffFromEpoch();
    for (int s = 0; s < SHARDS; s++) {
      boolean moved = set.getLiveHandoffShardsList().contains(s);
      b.addHandoff(moved)
          .addHandoffFrom(moved ? NODES.get(s % NODES.size()) : "")
          .addHandoffFromEpoch(moved ? set.getExpectedEpoch() : 0);
    }
    return b.build();
  }

  @Test
  void whenEveryFollowerLagsOnlyAsManyAreDrainedAsLeaveAMajorityLive() {
    settledLeader();
    long staleMs = CoordinatorCore.STALE_WAIT_FACTOR * SILENCE_MS;
    long behindApplied = leaderApplied;
    for (long t = 0; t <= staleMs + SILENCE_MS; t += SILENCE_MS / 5) {
      leaderApplied += 10;
      reports("n1");
      reportsAt("n2", behindApplied + 15); // n2 has one sample more than n3: a little less old
      reportsAt("n3", behindApplied);
      decide();
      nowMs += SILENCE_MS / 5;
    }
    leaderApplied += 10;
    reports("n1");
    reportsAt("n2", behindApplied + 15);
    reportsAt("n3", behindApplied);
    List<CoordinatorEffect.ProposeMap> proposed = maps(decide());

    assertThat(proposed)
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.draining()).as("the stalest only").containsExactly("n3"));
  }

  @Test
  void aMemberThatMakesNoProgressGetsANewLeaderOncePerGap() {
    settledLeader();
    leaderApplied = 100_000;
    long frozenMs = CoordinatorCore.FROZEN_WAIT_FACTOR * SILENCE_MS;
    List<CoordinatorEffect> effects = List.of();
    for (long t = 0; t <= frozenMs; t += SILENCE_MS / 2) {
      everyoneReports();
      reportsAt("n3", 40_000); // Frozen: never gains an entry.
      effects = decide();
      nowMs += SILENCE_MS / 2;
    }
    assertThat(effects)
        .contains(new CoordinatorEffect.HandOver(Set.of("n3"), Set.of("n1", "n2"), ms(frozenMs)));

    everyoneReports();
    reportsAt("n3", 40_000);
    assertThat(decide())
        .as("at most one hand-over per gap")
        .noneMatch(e -> e instanceof CoordinatorEffect.HandOver);
  }

  @Test
  void aMemberAFewEntriesBehindThatAppliesNothingIsResyncedBySnapshotOncePerGap() {
    leaderApplied = 12;
    settledLeader();
    long frozenMs = CoordinatorCore.FROZEN_WAIT_FACTOR * SILENCE_MS;
    List<CoordinatorEffect> effects = List.of();
    long t = 0;
    for (; t <= frozenMs; t += SILENCE_MS / 2) {
      assertThat(effects).as("not before %d ms (at %d)", frozenMs, t).isEmpty();
      everyoneReports();
      reportsAt("n3", 0); // Stuck at the log's first entry, a few entries behind.
      effects = resyncs(decide());
      nowMs += SILENCE_MS / 2;
    }
    assertThat(effects)
        .containsExactly(new CoordinatorEffect.Resync(Set.of("n3"), 0, Set.of("n1", "n2")));

    long resyncedAtMs = nowMs - SILENCE_MS / 2;
    while (nowMs - resyncedAtMs < CoordinatorCore.RESYNC_GAP_FACTOR * SILENCE_MS) {
      everyoneReports();
      reportsAt("n3", 0);
      assertThat(resyncs(decide()))
          .as("at most one resync per gap (%d ms after)", nowMs - resyncedAtMs)
          .isEmpty();
      nowMs += SILENCE_MS / 2;
    }
    everyoneReports();
    reportsAt("n3", 0);
    assertThat(resyncs(decide())).as("again after the gap").hasSize(1);
  }

  @Test
  void aMemberThatKeepsApplyingIsNotResyncedHoweverLongItTrails() {
    settledLeader();
    for (long t = 0; t <= 3 * CoordinatorCore.FROZEN_WAIT_FACTOR * SILENCE_MS; t += SILENCE_MS) {
      leaderApplied += 100;
      everyoneReports();
      reportsAt("n3", leaderApplied - 50); // Trails, but gains entries at every report.
      assertThat(resyncs(decide())).as("at %d ms", t).isEmpty();
      nowMs += SILENCE_MS;
    }
  }

  @Test
  void aMemberThatAnswersRaftButNeverReportsCountsAsFrozen() {
    settledLeader();
    long muteMs = CoordinatorCore.MUTE_WAIT_FACTOR * SILENCE_MS;
    reports.remove("n3");
    raftAgeMs.put("n3", 6_000L); // Refused appends: Ratis contacts it every 5-7 s.
    boolean handedOver = false;
    for (long t = 0; t <= muteMs + SILENCE_MS && !handedOver; t += SILENCE_MS / 2) {
      reports("n1");
      reports("n2");
      handedOver =
          decide().stream()
              .anyMatch(
                  e ->
                      e instanceof CoordinatorEffect.HandOver h && h.frozen().equals(Set.of("n3")));
      assertThat(handedOver && t < muteMs)
          .as("not before %d ms of silence (at %d)", muteMs, t)
          .isFalse();
      nowMs += SILENCE_MS / 2;
    }
    assertThat(handedOver).isTrue();
  }

  @Test
  void aLeavingNodesShardsAllMoveAtOnceToTheOthers() {
    settledLeader();
    leaving.add("n1");
    everyoneReports();
    CoordinatorEffect.ProposeMap drain = onlyMap(decide());

    assertThat(drain.kind())
        .as("live hand-offs, barrier applies")
        .isEqualTo(CoordinatorEffect.Kind.REBALANCE);
    assertThat(drain.set().getMap().getOwnersList()).doesNotContain("n1");
    assertThat(drain.set().getLiveHandoffShardsList()).hasSize(SHARDS / 3);
    assertThat(drain.withhold()).isEmpty();
  }

  @Test
  void aNewMemberGetsShardsAFewAtATimeAndNotBeforeItHasReportedSteadily() {
    settledLeader();
    members.add("n4");
    raftAgeMs.put("n4", 0L);
    everyoneReports();
    assertThat(maps(decide())).as("n4 just started reporting: not a receiver yet").isEmpty();

    nowMs += SILENCE_MS;
    everyoneReports();
    CoordinatorEffect.ProposeMap step = onlyMap(decide());
    assertThat(step.kind()).isEqualTo(CoordinatorEffect.Kind.REBALANCE);
    assertThat(Collections.frequency(step.set().getMap().getOwnersList(), "n4"))
        .isEqualTo(CoordinatorCore.REBALANCE_MOVES_MAX - 1);
    map = step.set().getMap();

    nowMs += SILENCE_MS - 1;
    everyoneReports();
    assertThat(maps(decide())).as("one rebalance step per lease + margin").isEmpty();
  }

  @Test
  void aFollowerDecidesNothingAndLeadingAgainStartsAFreshWait() {
    settledLeader();
    leading = false;
    assertThat(decide()).isEmpty();
    leading = true;
    assertThat(decide()).containsExactly(new CoordinatorEffect.ResetLiveness());
  }

  // --- fixture ---

  /** Leading for long enough that the new leader's waits are over, every node heard. */
  private void settledLeader() {
    decide();
    nowMs += 3 * SILENCE_MS;
    everyoneReports();
    assertThat(maps(decide())).isEmpty();
  }

  private void everyoneReports() {
    members.forEach(this::reports);
  }

  private void reports(String node) {
    reportsAt(node, leaderApplied);
  }

  private void reportsAt(String node, long applied) {
    Liveness.Seen before = reports.get(node);
    long now = ms(nowMs);
    long since =
        before == null || now - before.atNanos() > ms(SILENCE_MS) ? now : before.sinceNanos();
    NodeReport report =
        NodeReport.newBuilder()
            .setNodeId(node)
            .setAppliedIndex(applied)
            .setCommitIndex(applied)
            .setCapacity(64)
            .build();
    reports.put(node, new Liveness.Seen(report, now, since));
  }

  private List<CoordinatorEffect> decide() {
    Map<String, Long> ages = new HashMap<>();
    raftAgeMs.forEach((n, a) -> ages.put(n, ms(a)));
    List<CoordinatorEffect> effects =
        core.decide(
            new CoordinatorView(
                ms(nowMs),
                TERM,
                leading,
                busy,
                releasing,
                Optional.ofNullable(map),
                members.stream().sorted().toList(),
                leaving,
                leaderApplied,
                Map.copyOf(reports),
                ages,
                unansweredAges()));
    if (effects.contains(new CoordinatorEffect.ResetLiveness())) {
      reports.clear();
    }
    return effects;
  }

  /** What this node's lease tells of the leader before it, as of now. */
  private Map<String, Long> unansweredAges() {
    Map<String, Long> ages = new HashMap<>();
    unansweredMs.forEach((n, a) -> ages.put(n, ms(a)));
    return ages;
  }

  private static List<CoordinatorEffect.ProposeMap> maps(List<CoordinatorEffect> effects) {
    return effects.stream()
        .filter(e -> e instanceof CoordinatorEffect.ProposeMap)
        .map(e -> (CoordinatorEffect.ProposeMap) e)
        .toList();
  }

  private static List<CoordinatorEffect> resyncs(List<CoordinatorEffect> effects) {
    return effects.stream().filter(e -> e instanceof CoordinatorEffect.Resync).toList();
  }

  private static CoordinatorEffect.ProposeMap onlyMap(List<CoordinatorEffect> effects) {
    assertThat(maps(effects)).hasSize(1);
    return maps(effects).getFirst();
  }

  private static List<Boolean> handoffAt(int shard) {
    List<Boolean> h = new ArrayList<>(Collections.nCopies(SHARDS, false));
    h.set(shard, true);
    return h;
  }

  private static List<String> fromAt(int shard, String node) {
    List<String> f = new ArrayList<>(Collections.nCopies(SHARDS, ""));
    f.set(shard, node);
    return f;
  }

  private static List<Long> epochAt(int shard, long epoch) {
    List<Long> e = new ArrayList<>(Collections.nCopies(SHARDS, 0L));
    e.set(shard, epoch);
    return e;
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
