package io.horae.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.server.raft.RaftWiring;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

/** The election timeouts a node hands to Ratis: the first election's and the later ones'. */
class RaftTimeoutsWiringTest {

  @Test
  void aNodeCampaignsSoonerBeforeItFirstKnowsALeaderAndAfterThatAtTheElectionTimeouts()
      throws ConfigException {
    java.util.Properties given = ConfigFixtures.threeNodes();
    given.setProperty("raft.firstElectionTimeoutMin", "120ms");
    given.setProperty("raft.firstElectionTimeoutMax", "340ms");

    RaftProperties p = RaftWiring.serverProperties(ConfigLoader.fromProperties(given));

    assertThat(RaftServerConfigKeys.Rpc.firstElectionTimeoutMin(p).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(120);
    assertThat(RaftServerConfigKeys.Rpc.firstElectionTimeoutMax(p).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(340);
    assertThat(RaftServerConfigKeys.Rpc.timeoutMin(p).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(RaftConfig.ELECTION_TIMEOUT_MIN_DEFAULT.toMillis());
    assertThat(RaftServerConfigKeys.Rpc.timeoutMax(p).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(RaftConfig.ELECTION_TIMEOUT_MAX_DEFAULT.toMillis());
  }

  @Test
  void shorterElectionTimeoutsSetAloneShortenTheFirstElectionWithThem() throws ConfigException {
    java.util.Properties given = ConfigFixtures.threeNodes();
    given.setProperty("raft.electionTimeoutMin", "150ms");
    given.setProperty("raft.electionTimeoutMax", "300ms");
    given.setProperty("lease.duration", "150ms");
    given.setProperty("lease.heartbeatInterval", "50ms");

    RaftProperties p = RaftWiring.serverProperties(ConfigLoader.fromProperties(given));

    assertThat(RaftServerConfigKeys.Rpc.firstElectionTimeoutMin(p).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(150);
    assertThat(RaftServerConfigKeys.Rpc.firstElectionTimeoutMax(p).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(300);
  }

  @Test
  void byDefaultTheFirstElectionComesWithinTheLaterOnesShortestTimeout() throws ConfigException {
    RaftProperties p =
        RaftWiring.serverProperties(ConfigLoader.fromProperties(ConfigFixtures.threeNodes()));

    assertThat(RaftServerConfigKeys.Rpc.firstElectionTimeoutMax(p).toLong(TimeUnit.MILLISECONDS))
        .isLessThan(RaftServerConfigKeys.Rpc.timeoutMin(p).toLong(TimeUnit.MILLISECONDS));
  }
}
