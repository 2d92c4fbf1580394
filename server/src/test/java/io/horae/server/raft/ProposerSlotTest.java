package io.horae.server.raft;

import static io.horae.server.raft.Proposer.slotFor;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * When the proposer may send another entry: one carrying the node's own ops (results above all)
 * takes any free slot; one of clients' ops alone waits until fewer than the clients' limit are in
 * flight, so that a create-only load goes in fewer, larger entries.
 */
class ProposerSlotTest {
  private static final int ALL = 4;
  private static final int CLIENTS = 1;

  @Test
  void anEntryWithTheNodesOwnOpsTakesAnyFreeSlot() {
    for (int inFlight = 0; inFlight < ALL; inFlight++) {
      assertThat(slotFor(true, false, inFlight, ALL, CLIENTS))
          .as("in flight %d", inFlight)
          .isTrue();
      assertThat(slotFor(true, true, inFlight, ALL, CLIENTS)).as("in flight %d", inFlight).isTrue();
    }
    assertThat(slotFor(true, true, ALL, ALL, CLIENTS)).isFalse();
  }

  @Test
  void clientsOpsAloneWaitWhileTheirLimitIsInFlight() {
    assertThat(slotFor(false, true, 0, ALL, CLIENTS)).isTrue();
    for (int inFlight = CLIENTS; inFlight <= ALL; inFlight++) {
      assertThat(slotFor(false, true, inFlight, ALL, CLIENTS))
          .as("in flight %d", inFlight)
          .isFalse();
    }
    assertThat(slotFor(false, true, 1, ALL, 2)).isTrue();
  }

  @Test
  void nothingIsSentWhenNothingWaits() {
    assertThat(slotFor(false, false, 0, ALL, CLIENTS)).isFalse();
  }
}
