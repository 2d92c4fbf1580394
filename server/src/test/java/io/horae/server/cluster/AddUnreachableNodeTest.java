package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.horae.api.v1.AddNodeRequest;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.NodeStatus;
import io.horae.api.v1.TransferLeaderRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a node that is not running fails within membership.changeTimeout, leaves the voting
 * members as they were and no member record of it on any replica (the record is written before the
 * configuration change, and dropped when the change fails), and does not block later operations.
 */
class AddUnreachableNodeTest {
  @TempDir Path tmp;

  @Test
  void addingANodeThatDoesNotAnswerFailsAndLeavesTheMembersAsTheyWere() throws Exception {
    try (MiniCluster c = MiniCluster.start(tmp, 3, Map.of("membership.changeTimeout", "3s"))) {
      int[] free = LoopbackPorts.distinct(3);
      var stub =
          ClusterServiceGrpc.newBlockingStub(c.channel("n1"))
              .withDeadlineAfter(60, TimeUnit.SECONDS);

      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () ->
                  stub.addNode(
                      AddNodeRequest.newBuilder()
                          .setId("n7")
                          .setRaftAddress("127.0.0.1:" + free[0])
                          .setApiAddress("127.0.0.1:" + free[1])
                          .setInternalAddress("127.0.0.1:" + free[2])
                          .build()));

      assertThat(e.getStatus().getCode())
          .isIn(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
      ClusterStatus status =
          ClusterServiceGrpc.newBlockingStub(c.channel("n2"))
              .getStatus(GetStatusRequest.getDefaultInstance());
      assertThat(status.getNodesList())
          .extracting(NodeStatus::getId)
          .containsExactly("n1", "n2", "n3");
      for (String id : c.ids()) {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(recordIds(c, id))
                        .as("member records on %s", id)
                        .doesNotContain("n7"));
      }
      String target = c.follower().id();
      var moved =
          ClusterServiceGrpc.newBlockingStub(c.channel("n3"))
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .transferLeader(TransferLeaderRequest.newBuilder().setTargetId(target).build());
      assertThat(moved.getLeaderId()).isEqualTo(target);
    }
  }

  private static java.util.List<String> recordIds(MiniCluster c, String node) throws Exception {
    byte[] bytes =
        c.node(node)
            .store()
            .get(
                io.horae.statemachine.core.Family.META,
                io.horae.statemachine.core.Keys.META_MEMBERS);
    if (bytes == null) {
      return java.util.List.of();
    }
    return io.horae.internal.v1.Members.parseFrom(bytes).getMembersList().stream()
        .map(io.horae.internal.v1.Member::getId)
        .toList();
  }
}
