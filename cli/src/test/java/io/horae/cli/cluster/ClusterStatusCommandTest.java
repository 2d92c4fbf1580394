package io.horae.cli.cluster;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.NodeStatus;
import io.horae.cli.Cli.Result;
import io.horae.cli.FakeNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterStatusCommandTest {
  private final FakeNode node = new FakeNode();

  @AfterEach
  void tearDown() {
    node.close();
  }

  private static NodeStatus.Builder n(String id, String role, int shards) {
    return NodeStatus.newBuilder()
        .setId(id)
        .setRole(role)
        .setTerm(7)
        .setCommitIndex(120)
        .setAppliedIndex(119)
        .setShardsOwned(shards)
        .setApiAddress("127.0.0.1:707" + id.charAt(1))
        .setReachable(true);
  }

  @Test
  void statusPrintsTheLeaderAndOneRowPerNode() {
    node.clusterStatus =
        ClusterStatus.newBuilder()
            .setLeaderId("n1")
            .setTerm(7)
            .setShardEpoch(3)
            .setShardCount(64)
            .setAnsweredBy("n2")
            .addNodes(n("n1", "LEADER", 22))
            .addNodes(n("n2", "FOLLOWER", 21))
            .build();

    Result result = horae("cluster", "status", "--endpoints", node.endpoint());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines())
        .containsExactly(
            "leader: n1  term: 7  shard epoch: 3  shards: 64  answered by: n2",
            "ID  ROLE      TERM  COMMIT  APPLIED  SHARDS  API ADDRESS",
            "n1  LEADER    7     120     119      22      127.0.0.1:7071",
            "n2  FOLLOWER  7     120     119      21      127.0.0.1:7072");
  }

  @Test
  void anUnreachableNodeShowsItsError() {
    node.clusterStatus =
        ClusterStatus.newBuilder()
            .setLeaderId("n1")
            .addNodes(n("n1", "LEADER", 64))
            .addNodes(
                NodeStatus.newBuilder()
                    .setId("n3")
                    .setRole("UNREACHABLE")
                    .setError("deadline exceeded"))
            .build();

    Result result = horae("cluster", "status", "--endpoints", node.endpoint());

    assertThat(result.out()).contains("ERROR").contains("deadline exceeded");
  }

  @Test
  void jsonOutputIsTheClusterStatusAsProtoJson() throws Exception {
    node.clusterStatus =
        ClusterStatus.newBuilder().setLeaderId("n1").addNodes(n("n1", "LEADER", 64)).build();

    Result result = horae("cluster", "status", "-o", "json", "--endpoints", node.endpoint());

    ClusterStatus.Builder parsed = ClusterStatus.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.build()).isEqualTo(node.clusterStatus);
  }
}
