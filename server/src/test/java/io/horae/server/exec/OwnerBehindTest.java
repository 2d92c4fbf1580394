package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.ShardMap;
import io.horae.server.exec.OwnerCore.Fire;
import org.junit.jupiter.api.Test;

/**
 * How far behind its due work an owner says it is ({@link OwnerCore#behindMs}), the figure the
 * cluster sheds creates by: only the node's own lateness counts, never a wait it could not help
 * (the fence, a host's permits, the time before it met an execution).
 */
class OwnerBehindTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final long SECOND_NANOS = 1_000_000_000L;

  private static final ShardMap MAP =
      ShardMap.newBuilder()
          .setEpoch(1)
          .addOwners("n1")
          .addShardEpochs(1)
          .addHandoff(false)
          .addHandoffFrom("")
          .addHandoffFromEpoch(0)
          .build();

  private static OwnerCore owner(int slots) {
    OwnerCore core = new OwnerCore("n1", 100, slots, SECOND_NANOS);
    core.mapApplied(MAP);
    return core;
  }

  @Test
  void anOwnerThatStartsEveryCallAtItsDueTimeIsNotBehind() {
    OwnerCore core = owner(10);
    core.tick(T0 - 1_000, 0, true, 0);
    core.scanned("a", T0, 0, 0, 1);
    core.scanned("b", T0 + 100, 0, 0, 1);

    assertThat(core.tick(T0, 0, true, 0)).containsExactly(new Fire("a", T0, 0, 1));
    assertThat(core.tick(T0 + 100, 0, true, 0)).containsExactly(new Fire("b", T0 + 100, 0, 1));

    assertThat(core.behindMs(T0 + 200, true)).isZero();
  }

  @Test
  void dueWorkWaitingForADispatchSlotMakesTheOwnerBehindUntilItCatchesUp() {
    OwnerCore core = owner(1);
    core.tick(T0 - 1_000, 0, true, 0);
    for (String id : new String[] {"a", "b", "c"}) {
      core.scanned(id, T0, 0, 0, 1);
    }
    assertThat(core.tick(T0, 0, true, 0)).hasSize(1);

    assertThat(core.behindMs(T0 + 1_500, true))
        .as("the next one has waited 1.5 s for the only slot")
        .isEqualTo(1_500);

    core.answered(firedAt(core, T0 + 1_500));
    assertThat(core.tick(T0 + 2_000, 0, true, 0)).hasSize(1);
    assertThat(core.behindMs(T0 + 2_000, true))
        .as("the least late call started meanwhile was 2 s late")
        .isEqualTo(2_000);

    core.answered(firedAt(core, T0 + 2_000));
    assertThat(core.tick(T0 + 2_100, 0, true, 0)).hasSize(1);
    assertThat(core.behindMs(T0 + 2_200, true)).isEqualTo(2_100);
    assertThat(core.behindMs(T0 + 2_700, true)).as("nothing waits any more").isZero();
  }

  @Test
  void aLapsedLeaseIsNotCountedAsBeingBehind() {
    OwnerCore core = owner(10);
    core.tick(T0 - 1_000, 0, true, 0);
    core.scanned("a", T0, 0, 0, 1);

    assertThat(core.tick(T0, 0, false, 0)).isEmpty();
    assertThat(core.behindMs(T0 + 2_000, false)).as("waiting for the fence").isZero();
    assertThat(core.tick(T0 + 3_000, 0, false, 0)).isEmpty();

    assertThat(core.tick(T0 + 3_010, 0, true, 0)).containsExactly(new Fire("a", T0, 0, 1));
    assertThat(core.behindMs(T0 + 3_010, true))
        .as("fired as soon as the fence opened again")
        .isZero();
  }

  @Test
  void anExecutionMetOverdueCountsOnlyFromWhenTheOwnerMetIt() {
    OwnerCore core = owner(10);
    core.scanned("down-for-an-hour", T0 - 3_600_000, 0, 0, 1);
    assertThat(core.tick(T0, 0, true, 0)).as("the node's first tick").hasSize(1);
    assertThat(core.behindMs(T0, true)).as("a node that starts with overdue work").isZero();

    core.pushed("created-in-the-past", T0 - 4_000, 0, 0, 1);
    assertThat(core.tick(T0 + 5, 0, true, 0)).hasSize(1);
    assertThat(core.behindMs(T0 + 5, true)).isEqualTo(5);
  }

  @Test
  void aWaitForAHostsPermitIsNotCountedAsBeingBehind() {
    OwnerCore core = owner(10);
    core.tick(T0 - 1_000, 0, true, 0);
    core.scanned("a", T0, 0, 0, 1);
    assertThat(core.tick(T0, 0, true, 0)).hasSize(1);
    core.awaitHost("a", "h");

    assertThat(core.tick(T0 + 4_000, 0, true, 0)).isEmpty();
    assertThat(core.behindMs(T0 + 4_000, true)).as("waiting for its host").isZero();

    core.hostRoom("h", 1);
    assertThat(core.tick(T0 + 4_001, 0, true, 0)).containsExactly(new Fire("a", T0, 0, 1));
    assertThat(core.behindMs(T0 + 4_001, true)).isEqualTo(1);
  }

  @Test
  void aHostWhoseExecutionsWaitForItsPermitsIsBehindByTheFirstOnesWait() {
    OwnerCore core = owner(10);
    core.tick(T0 - 1_000, 0, true, 0);
    core.scanned("a", T0, 0, 0, 1);
    core.scanned("b", T0 + 200, 0, 0, 1);
    core.tick(T0 + 200, 0, true, 0);
    core.awaitHost("a", "http://slow:80");
    core.awaitHost("b", "http://slower:80");

    assertThat(core.hostsBehind(T0 + 1_000, true, 8))
        .containsExactly(
            java.util.Map.entry("http://slow:80", 1_000L),
            java.util.Map.entry("http://slower:80", 800L));
    assertThat(core.hostsBehind(T0 + 1_000, true, 1)).containsOnlyKeys("http://slow:80");
    assertThat(core.hostsBehind(T0 + 1_000, false, 8)).as("fence closed").isEmpty();

    core.hostRoom("http://slow:80", 1);
    core.hostRoom("http://slower:80", 1);
    assertThat(core.hostsBehind(T0 + 1_001, true, 8)).isEmpty();
  }

  /** The one entry in flight: the test fires one at a time. */
  private static String firedAt(OwnerCore core, long nowMs) {
    for (String id : new String[] {"a", "b", "c"}) {
      if (core.stageOf(id) == OwnerCore.Stage.STARTED) {
        return id;
      }
    }
    throw new AssertionError("nothing in flight at " + nowMs);
  }
}
