package io.horae.server.coord;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaggingNodesTest {
  private static final long S = 1_000_000_000L;
  private final LaggingNodes nodes = new LaggingNodes(64);

  @Test
  void aNodeFarBehindThatGainsNothingIsStuckOnlyAfterTheWait() {
    nodes.observe("n2", 100, 100, 5_000, 0);
    nodes.observe("n2", 100, 100, 5_100, 5 * S);
    assertThat(nodes.stuckFor("n2", 5 * S, 6 * S)).isFalse();
    nodes.observe("n2", 100, 100, 5_200, 6 * S);
    assertThat(nodes.stuckFor("n2", 6 * S, 6 * S)).isTrue();
  }

  @Test
  void progressRestartsTheStuckClockAndCatchingUpEndsTheLag() {
    nodes.observe("n2", 100, 100, 5_000, 0);
    nodes.observe("n2", 101, 101, 5_000, 5 * S);
    assertThat(nodes.stuckFor("n2", 10 * S, 6 * S)).isFalse();
    assertThat(nodes.observe("n2", 4_990, 4_990, 5_000, 11 * S)).isFalse();
    assertThat(nodes.behindFor("n2", 11 * S, 0)).isFalse();
  }

  @Test
  void aRestartedNodeReplayingWhatItsStoreHoldsIsNotStuck() {
    // Applied index still at 3,259 for 10 s while Ratis hands it the replayed entries.
    nodes.observe("n1", 3_259, 0, 6_000, 0);
    nodes.observe("n1", 3_259, 1_500, 6_100, 5 * S);
    nodes.observe("n1", 3_259, 3_259, 6_200, 10 * S);
    assertThat(nodes.stuckFor("n1", 10 * S, 6 * S)).isFalse();
    nodes.observe("n1", 3_259, 3_259, 6_300, 16 * S);
    assertThat(nodes.stuckFor("n1", 16 * S, 6 * S)).isTrue();
  }

  @Test
  void aNodeThatAnswersRaftButNeverReportsIsMuteAfterTheWait() {
    nodes.observeMute("n3", true, 0);
    nodes.observeMute("n3", true, 3 * S);
    assertThat(nodes.muteFor("n3", 3 * S, 6 * S)).isFalse();
    nodes.observeMute("n3", true, 6 * S);
    assertThat(nodes.muteFor("n3", 6 * S, 6 * S)).isTrue();
  }

  @Test
  void aReportEndsMuteness() {
    nodes.observeMute("n3", true, 0);
    nodes.observeMute("n3", false, 5 * S);
    nodes.observeMute("n3", true, 6 * S);
    assertThat(nodes.muteFor("n3", 7 * S, 6 * S)).isFalse();
  }
}
