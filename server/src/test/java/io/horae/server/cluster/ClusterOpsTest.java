package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.AddNodeRequest;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.NodeStatus;
import io.horae.api.v1.RemoveNodeRequest;
import io.horae.api.v1.ShardOwner;
import io.horae.api.v1.SnapshotRequest;
import io.horae.api.v1.SnapshotResponse;
import io.horae.api.v1.TransferLeaderRequest;
import io.horae.api.v1.TransferLeaderResponse;
import io.horae.internal.v1.ShardMap;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster operations against one real three-node cluster: status with lease ages and per-shard
 * epochs, leadership transfer, snapshots on request, and the errors of bad membership requests.
 * Each test asks a node other than the one it acts on, so forwarding is exercised too.
 */
class ClusterOpsTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 3, Map.of());
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster);
  }

  private static ClusterServiceGrpc.ClusterServiceBlockingStub stub(String id) {
    return ClusterServiceGrpc.newBlockingStub(cluster.channel(id))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @Test
  void everyReplicaReportsTheSameStateDigestAtTheSameAppliedIndex() {
    // With no writes in flight every replica reaches the leader's index; equal index, equal digest.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<io.horae.api.v1.StateDigest> digests =
                  cluster.ids().stream()
                      .map(
                          id ->
                              stub(id)
                                  .getStateDigest(
                                      io.horae.api.v1.GetStateDigestRequest.getDefaultInstance()))
                      .toList();
              assertThat(digests)
                  .extracting(io.horae.api.v1.StateDigest::getNodeId)
                  .containsExactlyElementsOf(cluster.ids());
              assertThat(digests)
                  .extracting(io.horae.api.v1.StateDigest::getAppliedIndex)
                  .containsOnly(digests.get(0).getAppliedIndex());
              assertThat(digests)
                  .extracting(io.horae.api.v1.StateDigest::getSha256)
                  .containsOnly(digests.get(0).getSha256());
              assertThat(digests.get(0).getSha256()).matches("[0-9a-f]{64}");
            });
  }

  @Test
  void statusShowsEachNodesLeaseAgeAsTheLeaderSeesItItsOwnLeaseAndEveryShardsEpoch() {
    cluster.awaitLeases();
    // Polled: a GC pause on a loaded machine may age one answer past a lease; a steady cluster
    // must give a consistent answer within the deadline.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(ClusterOpsTest::statusMatchesTheLeadersViewAndTheReplica);
  }

  private static void statusMatchesTheLeadersViewAndTheReplica() {
    HoraeNode leader = cluster.leader();
    String follower = cluster.follower().id();

    ClusterStatus status = stub(follower).getStatus(GetStatusRequest.getDefaultInstance());

    assertThat(status.getLeaderId()).isEqualTo(leader.id());
    assertThat(status.getNodesList())
        .extracting(NodeStatus::getId)
        .containsExactlyElementsOf(cluster.ids());
    for (NodeStatus n : status.getNodesList()) {
      assertThat(n.getLeaseAgeMs())
          .as("lease age of %s (leader's view)", n.getId())
          .isBetween(0L, 999L);
      assertThat(n.getOwnLeaseAgeMs()).as("own lease age of %s", n.getId()).isBetween(0L, 999L);
      assertThat(n.getLeaseFresh()).as("lease of %s", n.getId()).isTrue();
      assertThat(n.getAppliedMapEpoch())
          .as("map epoch applied by %s", n.getId())
          .isEqualTo(status.getShardEpoch());
    }
    ShardMap map = cluster.node(follower).shardMap().orElseThrow();
    assertThat(map.getEpoch()).isEqualTo(status.getShardEpoch());
    assertThat(status.getShardOwnersList()).hasSize(map.getOwnersCount());
    for (ShardOwner o : status.getShardOwnersList()) {
      assertThat(o.getNodeId()).isEqualTo(map.getOwners(o.getShard()));
      assertThat(o.getEpoch())
          .as("epoch of shard %d", o.getShard())
          .isEqualTo(map.getShardEpochs(o.getShard()))
          .isBetween(1L, status.getShardEpoch());
      assertThat(o.getHandoff()).isEqualTo(map.getHandoff(o.getShard()));
    }
  }

  @Test
  void transferLeaderMovesLeadershipToTheNamedNodeAndWithoutANameToAnother() {
    String leader = cluster.leader().id();
    String target = cluster.follower().id();
    String asked =
        cluster.ids().stream()
            .filter(id -> !id.equals(leader) && !id.equals(target))
            .findFirst()
            .orElseThrow();

    TransferLeaderResponse named =
        stub(asked).transferLeader(TransferLeaderRequest.newBuilder().setTargetId(target).build());

    assertThat(named.getLeaderId()).isEqualTo(target);
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.leader().id().equals(target));

    TransferLeaderResponse any =
        stub(target).transferLeader(TransferLeaderRequest.getDefaultInstance());

    assertThat(any.getLeaderId()).isNotEqualTo(target);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster.leader().id().equals(any.getLeaderId()));
    cluster.awaitLeases();
  }

  @Test
  void aSnapshotCoversAtLeastTheIndexAppliedWhenItWasAskedFor() {
    HoraeNode leader = cluster.leader();
    HoraeNode follower = cluster.follower();
    long leaderApplied = leader.store().appliedIndex();

    SnapshotResponse onLeader = stub(follower.id()).snapshot(SnapshotRequest.getDefaultInstance());

    assertThat(onLeader.getNodeId()).isEqualTo(leader.id());
    assertThat(onLeader.getIndex()).isGreaterThanOrEqualTo(leaderApplied).isPositive();

    long followerApplied = follower.store().appliedIndex();
    SnapshotResponse onFollower =
        stub(leader.id()).snapshot(SnapshotRequest.newBuilder().setNodeId(follower.id()).build());

    assertThat(onFollower.getNodeId()).isEqualTo(follower.id());
    assertThat(onFollower.getIndex()).isGreaterThanOrEqualTo(followerApplied).isPositive();
  }

  @Test
  void anAddWithoutItsFieldsIsRefusedWithOneViolationPerField() {
    StatusRuntimeException e =
        failure(
            () ->
                stub("n1")
                    .addNode(
                        AddNodeRequest.newBuilder().setId("N 4").setApiAddress("nohost").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violations(e))
        .extracting(BadRequest.FieldViolation::getField)
        .containsExactly("id", "raft_address", "api_address", "internal_address");
    assertThat(violations(e).get(0).getDescription()).contains("N 4").contains("[a-z0-9-]{1,32}");
  }

  @Test
  void addingAMemberAgainIsRefusedAsAlreadyExisting() {
    StatusRuntimeException e =
        failure(
            () ->
                stub("n1")
                    .addNode(
                        AddNodeRequest.newBuilder()
                            .setId("n2")
                            .setRaftAddress("127.0.0.1:1")
                            .setApiAddress("127.0.0.1:2")
                            .setInternalAddress("127.0.0.1:3")
                            .build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  @Test
  void requestsNamingAnUnknownNodeAreRefusedAsNotFound() {
    assertThat(
            failure(() -> stub("n1").removeNode(RemoveNodeRequest.newBuilder().setId("n9").build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            failure(
                    () ->
                        stub("n2")
                            .transferLeader(
                                TransferLeaderRequest.newBuilder().setTargetId("n9").build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            failure(() -> stub("n3").snapshot(SnapshotRequest.newBuilder().setNodeId("n9").build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aRemoveWithoutAnIdIsRefusedNamingTheField() {
    StatusRuntimeException e =
        failure(() -> stub("n1").removeNode(RemoveNodeRequest.getDefaultInstance()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violations(e)).extracting(BadRequest.FieldViolation::getField).containsExactly("id");
  }

  private static StatusRuntimeException failure(ThrowingCallable call) {
    try {
      call.call();
    } catch (StatusRuntimeException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a gRPC status, got " + t, t);
    }
    throw new AssertionError("the call succeeded");
  }

  private static List<BadRequest.FieldViolation> violations(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).isNotNull();
    return status.getDetailsList().stream()
        .filter(d -> d.is(BadRequest.class))
        .flatMap(
            d -> {
              try {
                return d.unpack(BadRequest.class).getFieldViolationsList().stream();
              } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new AssertionError(x);
              }
            })
        .toList();
  }
}
