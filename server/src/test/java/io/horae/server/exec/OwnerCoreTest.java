package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.ShardMap;
import io.horae.server.exec.OwnerCore.Abort;
import io.horae.server.exec.OwnerCore.Effect;
import io.horae.server.exec.OwnerCore.Fire;
import io.horae.server.exec.OwnerCore.Release;
import io.horae.server.exec.OwnerCore.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shard owner's decisions without a cluster, a clock or a thread: maps, scans, ticks, call
 * outcomes and commits go in as plain values, effects come out. Each case is a transition the chaos
 * suite found or the design relies on: lease lapses, hand-off barrier, late results of an ended
 * tenure, a frozen owner, cancels, priorities and the window bound.
 */
class OwnerCoreTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final long SECOND_NANOS = 1_000_000_000L;

  private final OwnerCore n1 = new OwnerCore("n1", 100, 10, SECOND_NANOS);

  @Test
  void anEntryFiresAtItsDueTimeOnlyWhileTheFenceIsOpenAndOnlyOnce() {
    n1.mapApplied(map(1, "n1", "n2"));
    assertThat(n1.scanned("a", T0 + 100, 0, 0, 1)).isTrue();

    assertThat(n1.tick(T0 + 99, 0, true, 0)).as("not before its time").isEmpty();
    assertThat(n1.tick(T0 + 100, 0, false, 0)).as("lease lapsed: nothing starts").isEmpty();
    assertThat(n1.tick(T0 + 150, 0, true, 0)).containsExactly(new Fire("a", T0 + 100, 0, 1));
    assertThat(n1.tick(T0 + 200, 0, true, 0)).isEmpty();
    assertThat(n1.scanned("a", T0 + 100, 0, 0, 1)).as("a rescan never takes it twice").isFalse();
  }

  @Test
  void aResultIsHeldUntilThisReplicaAppliedItsCommitSoARescanCannotFireItAgain() {
    n1.mapApplied(map(1, "n1", "n2"));
    n1.scanned("a", T0, 0, 0, 1);
    n1.tick(T0, 0, true, 0);

    assertThat(n1.answered("a")).isTrue();
    n1.recorded("a", 42);
    n1.tick(T0 + 10, 0, true, 41);
    assertThat(n1.stageOf("a")).isEqualTo(Stage.RECORDED);
    assertThat(n1.scanned("a", T0, 0, 0, 1)).as("the local replica still shows it due").isFalse();

    n1.tick(T0 + 20, 0, true, 42);
    assertThat(n1.holds("a")).isFalse();
    assertThat(n1.size()).isZero();
  }

  @Test
  void aLeaseThatLapsesMidCallLetsTheCallFinishAndItsResultCount() {
    n1.mapApplied(map(1, "n1", "n2"));
    n1.scanned("a", T0, 0, 0, 1);
    n1.scanned("b", T0, 0, 0, 1);
    OwnerCore few = n1;
    assertThat(few.tick(T0, 0, true, 0)).hasSize(2);
    // The lease runs out while both calls are in flight; one is stopped at the last check.
    few.requeue("b", T0 + 20);
    assertThat(few.tick(T0 + 30, 0, false, 0)).as("no new start without a lease").isEmpty();
    assertThat(few.answered("a")).as("a call already sent is answered as usual").isTrue();

    assertThat(few.tick(T0 + 40, 0, true, 0)).containsExactly(new Fire("b", T0, 0, 1));
  }

  @Test
  void theOldOwnerReleasesALiveHandOffOnlyOnceItsCallsEndedAndTheirResultsCommitted() {
    n1.mapApplied(map(1, "n1", "n1"));
    n1.scanned("inflight", T0, 0, 0, 1);
    n1.scanned("later", T0 + 1000, 0, 0, 1);
    n1.tick(T0, 0, true, 0);

    ShardMap moved = handoff(map(2, "n2", "n1"), 0, "n1", 1);
    n1.mapApplied(moved);
    assertThat(n1.holds("later")).as("unstarted work of the ended tenure is dropped").isFalse();
    assertThat(n1.tick(T0 + 2000, 0, true, 0)).as("a call is in flight").isEmpty();
    assertThat(n1.answered("inflight")).isTrue();
    assertThat(n1.tick(T0 + 2000, 1, true, 0)).as("its result is not committed yet").isEmpty();

    n1.recorded("inflight", 7);
    assertThat(n1.tick(T0 + 2000, 2, true, 0)).containsExactly(new Release(0, 1));
    assertThat(n1.tick(T0 + 2000, 3, true, 0)).as("once per repeat interval").isEmpty();
    assertThat(n1.tick(T0 + 2000, 2 + SECOND_NANOS, true, 0))
        .as("the map still waits: again")
        .containsExactly(new Release(0, 1));

    n1.mapApplied(map(2, "n2", "n1"));
    assertThat(n1.tick(T0 + 2000, 3 * SECOND_NANOS, true, 0))
        .as("released: nothing owed")
        .isEmpty();
  }

  @Test
  void anOldOwnerReleasesATenureItNeverSawWhenItHasNothingInFlightThere() {
    // Under load the loop skipped a map: the shard came to n1 under epoch 5 and moved on to n2
    // with a live hand-off before n1 looked. The map still waits for n1's Released of tenure 5.
    n1.mapApplied(map(1, "n2", "n2"));
    n1.mapApplied(handoff(map(6, "n2", "n2"), 0, "n1", 5));

    assertThat(n1.tick(T0, 0, true, 0)).containsExactly(new Release(0, 5));
  }

  @Test
  void theNewOwnerTakesNothingFromAShardUntilTheOldOwnersReleasedIsApplied() {
    OwnerCore n2 = new OwnerCore("n2", 100, 10, SECOND_NANOS);
    n2.mapApplied(handoff(map(2, "n2", "n1"), 0, "n1", 1));

    assertThat(n2.scannable()).isEmpty();
    assertThat(n2.scanned("a", T0, 0, 0, 2)).isFalse();

    n2.mapApplied(map(2, "n2", "n1"));
    assertThat(n2.scannable()).containsExactly(0);
    assertThat(n2.scanned("a", T0, 0, 0, 2)).isTrue();
    assertThat(n2.tick(T0, 0, true, 0)).containsExactly(new Fire("a", T0, 0, 2));
  }

  @Test
  void aFrozenOwnerThatWakesUpAfterItsShardMovedFiresNothingOfIt() {
    n1.mapApplied(map(1, "n1", "n2"));
    n1.scanned("a", T0, 0, 0, 1);
    // Frozen past its lease: the leader moved the shard (no barrier: n1 was silent). On waking,
    // the loop applies the new map before it ticks.
    n1.mapApplied(map(2, "n3", "n2"));

    assertThat(n1.tick(T0 + 5000, 0, true, 0)).isEmpty();
    assertThat(n1.size()).isZero();
  }

  @Test
  void anEntryOfATenureThatEndedBeforeItsTurnIsDroppedNotFired() {
    n1.mapApplied(map(1, "n1", "n2"));
    n1.scanned("a", T0, 0, 0, 1);
    // The shard came back to n1 under a later epoch: the first tenure's entry is not its work.
    n1.mapApplied(map(3, "n1", "n2"));
    assertThat(n1.tick(T0, 0, true, 0)).isEmpty();
    assertThat(n1.scanned("a", T0, 0, 0, 3)).isTrue();
  }

  @Test
  void aCancelDropsAWaitingEntryAndAbortsACallInFlightWhoseOutcomeIsThenIgnored() {
    n1.mapApplied(map(1, "n1", "n1"));
    n1.scanned("waiting", T0 + 1000, 0, 0, 1);
    n1.scanned("inflight", T0, 0, 1, 1);
    n1.tick(T0, 0, true, 0);

    assertThat(n1.cancelled("waiting")).isEmpty();
    assertThat(n1.cancelled("inflight")).containsExactly(new Abort("inflight"));
    assertThat(n1.cancelled("inflight")).as("aborted once").isEmpty();
    assertThat(n1.answered("inflight")).as("the cancel is its outcome").isFalse();
    assertThat(n1.tick(T0 + 2000, 0, true, 0)).isEmpty();
    assertThat(n1.size()).isZero();
    assertThat(n1.unfinished()).isZero();
  }

  @Test
  void higherPriorityFiresFirstAcrossShardsWhenSlotsAreShort() {
    OwnerCore two = new OwnerCore("n1", 100, 2, SECOND_NANOS);
    two.mapApplied(map(1, "n1", "n1"));
    two.scanned("low-early", T0, 0, 0, 1);
    two.scanned("high", T0 + 5, 3, 1, 1);
    two.scanned("mid", T0 + 3, 2, 0, 1);

    List<Effect> first = two.tick(T0 + 10, 0, true, 0);

    assertThat(first).extracting(e -> ((Fire) e).id()).containsExactly("high", "mid");
    two.answered("high");
    assertThat(two.tick(T0 + 11, 0, true, 0))
        .extracting(e -> ((Fire) e).id())
        .containsExactly("low-early");
  }

  @Test
  void aFreedHostPermitGoesToTheHostsHighestPriorityWaiterNotToWhoeverTriesFirst() {
    n1.mapApplied(map(1, "n1", "n1"));
    n1.scanned("low", T0, 0, 0, 1);
    n1.scanned("high", T0 + 5, 3, 1, 1);
    n1.tick(T0 + 10, 0, true, 0);
    // Both found the host at its limit.
    n1.awaitHost("low", "h");
    n1.awaitHost("high", "h");
    assertThat(n1.tick(T0 + 20, 0, true, 0)).as("no timer brings them back").isEmpty();
    n1.scanned("fresh-low", T0, 0, 0, 1);
    assertThat(n1.outranked("h", "fresh-low"))
        .as("a fresh entry does not jump the host's queue")
        .isTrue();

    n1.hostRoom("h", 1);

    assertThat(n1.tick(T0 + 30, 0, true, 0))
        .extracting(e -> ((Fire) e).id())
        .containsExactly("high", "fresh-low");
    assertThat(n1.hostsAwaited()).containsExactly("h");
    assertThat(n1.cancelled("low")).isEmpty();
    assertThat(n1.hostsAwaited()).as("a cancelled waiter leaves the host's queue").isEmpty();
  }

  @Test
  void theWindowNeverHoldsMoreThanItsLimit() {
    OwnerCore small = new OwnerCore("n1", 2, 10, SECOND_NANOS);
    small.mapApplied(map(1, "n1", "n1"));

    assertThat(small.scanned("a", T0, 0, 0, 1)).isTrue();
    assertThat(small.scanned("b", T0, 0, 1, 1)).isTrue();
    assertThat(small.scanned("c", T0, 0, 0, 1)).isFalse();
    assertThat(small.free()).isZero();
  }

  @Test
  void aResultGivenUpLeavesTheWindowSoTheExecutionIsFiredAgainUnderTheSameKey() {
    n1.mapApplied(map(1, "n1", "n2"));
    n1.scanned("a", T0, 0, 0, 1);
    n1.tick(T0, 0, true, 0);
    n1.answered("a");

    n1.recorded("a", -1);

    assertThat(n1.holds("a")).isFalse();
    assertThat(n1.unfinished()).isZero();
    assertThat(n1.scanned("a", T0, 0, 0, 1)).isTrue();
  }

  @Test
  void aRetryWrittenByApplyReplacesTheRecordedCopyAndFiresAtItsNewTime() {
    n1.mapApplied(map(1, "n1", "n2"));
    n1.scanned("a", T0, 0, 0, 1);
    n1.tick(T0, 0, true, 0);
    n1.answered("a");
    n1.recorded("a", 9);

    // The apply that recorded the failure wrote its retry at T0 + 1000 (pushed, before the loop
    // saw that index applied); a stale scan of the old due key changes nothing.
    assertThat(n1.pushed("a", T0 + 1000, 0, 0, 1)).isTrue();
    assertThat(n1.scanned("a", T0, 0, 0, 1)).isFalse();
    n1.tick(T0 + 10, 0, true, 9);
    assertThat(n1.stageOf("a"))
        .as("the retry is not released with the old result")
        .isEqualTo(Stage.QUEUED);

    assertThat(n1.tick(T0 + 1000, 0, true, 9)).containsExactly(new Fire("a", T0 + 1000, 0, 1));
  }

  @Test
  void aPushThatFindsNoRoomSaysSoAndOneForACallInFlightIsLeftToItsResult() {
    OwnerCore one = new OwnerCore("n1", 1, 10, SECOND_NANOS);
    one.mapApplied(map(1, "n1", "n1"));
    one.scanned("a", T0, 0, 0, 1);
    one.tick(T0, 0, true, 0);

    assertThat(one.pushed("a", T0 + 5000, 0, 0, 1)).isTrue();
    assertThat(one.stageOf("a")).isEqualTo(Stage.STARTED);
    assertThat(one.pushed("b", T0 + 10, 0, 1, 1)).as("no room: a full scan must find it").isFalse();
  }

  /**
   * Two shards: shard 0 owned by {@code owner0}, shard 1 by {@code owner1}, both at {@code epoch}.
   */
  private static ShardMap map(long epoch, String owner0, String owner1) {
    return ShardMap.newBuilder()
        .setEpoch(epoch)
        .addOwners(owner0)
        .addOwners(owner1)
        .addShardEpochs(epoch)
        .addShardEpochs(epoch)
        .addHandoff(false)
        .addHandoff(false)
        .addHandoffFrom("")
        .addHandoffFrom("")
        .addHandoffFromEpoch(0)
        .addHandoffFromEpoch(0)
        .build();
  }

  private static ShardMap handoff(ShardMap map, int shard, String from, long fromEpoch) {
    return map.toBuilder()
        .setHandoff(shard, true)
        .setHandoffFrom(shard, from)
        .setHandoffFromEpoch(shard, fromEpoch)
        .build();
  }
}
