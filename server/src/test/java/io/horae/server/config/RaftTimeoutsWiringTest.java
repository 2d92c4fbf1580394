package io.horae.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.server.raft.RaftWiring;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys.Rpc;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;

/** The election timeouts a node hands to Ratis: the first election's and the later ones'. */
class RaftTimeoutsWiringTest {

  @Test
  void aNodeCampaignsSoonerBeforeItFirstKnowsALeaderAndAfterThatAtTheElectionTimeouts()
      throws ConfigException {
    RaftProperties p =
        wired("raft.firstElectionTimeoutMin", "120ms", "raft.firstElectionTimeoutMax", "340ms");

    assertThat(ms(Rpc.firstElectionTimeoutMin(p))).isEqualTo(120);
    assertThat(ms(Rpc.firstElectionTimeoutMax(p))).isEqualTo(340);
    assertThat(ms(Rpc.timeoutMin(p))).isEqualTo(RaftConfig.ELECTION_TIMEOUT_MIN_DEFAULT.toMillis());
    assertThat(ms(Rpc.timeoutMax(p))).isEqualTo(RaftConfig.ELECTION_TIMEOUT_MAX_DEFAULT.toMillis());
  }

  @Test
  void shorterElectionTimeoutsSetAloneShortenTheFirstElectionWithThem() throws ConfigException {
    RaftProperties p =
        wired(
            "raft.electionTimeoutMin", "150ms",
            "raft.electionTimeoutMax", "300ms",
            "lease.duration", "150ms",
            "lease.heartbeatInterval", "50ms");

    assertThat(ms(Rpc.firstElectionTimeoutMin(p))).isEqualTo(150);
    assertThat(ms(Rpc.firstElectionTimeoutMax(p))).isEqualTo(300);
  }

  @Test
  void byDefaultTheFirstElectionComesWithinTheLaterOnesShortestTimeout() throws ConfigException {
    RaftProperties p = wired();

    assertThat(ms(Rpc.firstElectionTimeoutMax(p))).isLessThan(ms(Rpc.timeoutMin(p)));
  }

  /** The Ratis properties of node n1 of the three-node fixture with {@code keyValues} set. */
  private static RaftProperties wired(String... keyValues) throws ConfigException {
    Properties given = ConfigFixtures.threeNodes();
    for (int i = 0; i < keyValues.length; i += 2) {
      given.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return RaftWiring.serverProperties(ConfigLoader.fromProperties(given));
  }

  private static long ms(TimeDuration d) {
    return d.toLong(TimeUnit.MILLISECONDS);
  }
}
