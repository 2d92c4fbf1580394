package io.horae.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.MembershipResponse;
import io.horae.api.v1.SnapshotResponse;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import io.horae.server.cluster.MiniCluster;
import io.horae.server.node.HoraeNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code horae cluster add-node | remove-node | transfer-leader | snapshot} against a real
 * three-node cluster: each changes the cluster as it says, prints one line (or proto JSON), and bad
 * input fails naming the flag (exit 2) or the server's refusal (exit 1).
 */
class ClusterOpsCommandTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(3, Map.of());

  @Test
  void transferLeaderMovesLeadershipToTheNamedNodeAndSaysSo() {
    MiniCluster cluster = CLUSTER.cluster();
    String target = cluster.follower().id();

    Result result = CLUSTER.horae("cluster", "transfer-leader", target);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("leader: " + target + System.lineSeparator());
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.leader().id().equals(target));
    cluster.awaitLeases();
  }

  @Test
  void snapshotOfANamedNodePrintsItsIndexAsJson() throws Exception {
    MiniCluster cluster = CLUSTER.cluster();
    HoraeNode follower = cluster.follower();
    long applied = follower.store().appliedIndex();

    Result result = CLUSTER.horae("cluster", "snapshot", "--node", follower.id(), "-o", "json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    SnapshotResponse.Builder parsed = SnapshotResponse.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.getNodeId()).isEqualTo(follower.id());
    assertThat(parsed.getIndex()).isGreaterThanOrEqualTo(applied);
  }

  @Test
  void aJoiningNodeIsAddedThenRemovedAgain() throws Exception {
    MiniCluster cluster = CLUSTER.cluster();
    cluster.startJoiningNode("n4");

    Result added =
        CLUSTER.horae(
            "cluster",
            "add-node",
            "n4",
            "--raft",
            cluster.raftAddress("n4"),
            "--api",
            cluster.endpoint("n4"),
            "--internal",
            cluster.internalAddress("n4"),
            "--admin",
            cluster.adminAddress("n4"));

    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out())
        .isEqualTo("added node n4; members: n1, n2, n3, n4" + System.lineSeparator());
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node("n4").leaseFresh());

    Result removed = CLUSTER.horae("cluster", "remove-node", "n4", "-o", "json");

    assertThat(removed.exitCode()).as(removed.err()).isZero();
    MembershipResponse.Builder parsed = MembershipResponse.newBuilder();
    JsonFormat.parser().merge(removed.out(), parsed);
    assertThat(parsed.getVotersList()).containsExactly("n1", "n2", "n3");
    assertThat(cluster.leader().shardMap().orElseThrow().getOwnersList()).doesNotContain("n4");
    cluster.stopNode("n4");
  }

  @Test
  void aMalformedAddressIsAUsageErrorNamingTheFlag() {
    Result result =
        CLUSTER.horae(
            "cluster",
            "add-node",
            "n5",
            "--raft",
            "nohost",
            "--api",
            "127.0.0.1:1",
            "--internal",
            "127.0.0.1:2");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--raft").contains("'nohost' is not host:port");
  }

  @Test
  void aBadNodeIdIsAUsageErrorNamingTheParameter() {
    Result result = CLUSTER.horae("cluster", "snapshot", "--node", "N 1");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--node").contains("not a node id");
  }

  @Test
  void removingAnUnknownNodeFailsWithTheServersNotFound() {
    Result result = CLUSTER.horae("cluster", "remove-node", "n9");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("horae: not found: ").contains("n9");
  }
}
