package io.horae.cli.cluster;

import static io.horae.cli.Cli.horaeAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.NodeStatus;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import io.horae.server.cluster.MiniCluster;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code horae cluster status} against a real three-node cluster: the header line and one row per
 * node as the answering node sees them, an unreachable node with its error, and the JSON form.
 */
class ClusterStatusCommandTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(3, Map.of());

  /** The status as node {@code id} answers it through the real API. */
  private static ClusterStatus statusFrom(String id) {
    return ClusterServiceGrpc.newBlockingStub(CLUSTER.cluster().channel(id))
        .getStatus(GetStatusRequest.getDefaultInstance());
  }

  /** The status without the indexes, which move on while a test runs. */
  private static ClusterStatus withoutIndexes(ClusterStatus status) {
    ClusterStatus.Builder b = status.toBuilder();
    b.getNodesBuilderList().forEach(n -> n.clearCommitIndex().clearAppliedIndex());
    return b.build();
  }

  @Test
  void statusPrintsTheLeaderAndOneRowPerNodeAsTheAnsweringNodeSeesThem() {
    MiniCluster cluster = CLUSTER.cluster();
    String leader = cluster.leader().id();
    String follower = cluster.follower().id();
    ClusterStatus expected = statusFrom(follower);

    Result result = horaeAt(cluster.endpoint(follower), "cluster", "status");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(1 + 1 + cluster.ids().size());
    assertThat(lines.get(0))
        .isEqualTo(
            "leader: %s  term: %d  shard epoch: %d  shards: %d  answered by: %s",
            leader,
            expected.getTerm(),
            expected.getShardEpoch(),
            expected.getShardCount(),
            follower);
    assertThat(expected.getShardCount()).isPositive();
    assertThat(lines.get(1))
        .isEqualTo("ID  ROLE      TERM  COMMIT  APPLIED  SHARDS  API ADDRESS");
    for (int i = 0; i < expected.getNodesCount(); i++) {
      NodeStatus node = expected.getNodes(i);
      assertThat(node.getId()).isEqualTo(cluster.ids().get(i));
      String role = node.getId().equals(leader) ? "LEADER" : "FOLLOWER";
      assertThat(lines.get(2 + i))
          .matches(
              Pattern.quote(node.getId())
                  + " {2}"
                  + role
                  + " +"
                  + expected.getTerm()
                  + " +\\d+ +\\d+ +"
                  + node.getShardsOwned()
                  + " +"
                  + Pattern.quote(cluster.endpoint(node.getId())));
    }
  }

  @Test
  void anUnreachableNodeIsListedWithItsError() throws Exception {
    MiniCluster cluster = CLUSTER.cluster();
    String leader = cluster.leader().id();
    String stopped = cluster.follower().id();
    cluster.stopNode(stopped);
    try {
      Result result = horaeAt(cluster.endpoint(leader), "cluster", "status");

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out().lines().toList().get(1))
          .matches("ID +ROLE +TERM +COMMIT +APPLIED +SHARDS +API ADDRESS +ERROR");
      assertThat(result.out().lines().filter(l -> l.startsWith(stopped + " ")))
          .singleElement()
          .asString()
          .matches(
              Pattern.quote(stopped)
                  + " +UNREACHABLE +0 +0 +0 +0 +"
                  + Pattern.quote(cluster.endpoint(stopped))
                  + " +UNAVAILABLE");
      assertThat(result.out().lines().filter(l -> l.startsWith(leader + " ")))
          .singleElement()
          .asString()
          .contains("LEADER")
          .endsWith(" -");
    } finally {
      cluster.startNode(stopped);
      cluster.awaitReady();
    }
  }

  @Test
  void jsonOutputIsTheClusterStatusAsProtoJson() throws Exception {
    MiniCluster cluster = CLUSTER.cluster();
    String leader = cluster.leader().id();

    Result result = horaeAt(cluster.endpoint(leader), "cluster", "status", "-o", "json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    ClusterStatus.Builder parsed = ClusterStatus.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(withoutIndexes(parsed.build())).isEqualTo(withoutIndexes(statusFrom(leader)));
    assertThat(parsed.getLeaderId()).isEqualTo(leader);
    assertThat(parsed.getNodesList()).extracting(NodeStatus::getId).isEqualTo(cluster.ids());
  }
}
