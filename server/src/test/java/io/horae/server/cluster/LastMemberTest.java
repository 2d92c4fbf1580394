package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.RemoveNodeRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single-node cluster refuses to remove its only member: the cluster would have no voter. */
class LastMemberTest {
  @TempDir Path tmp;

  @Test
  void removingTheLastMemberIsRefusedAndTheNodeKeepsItsShards() throws Exception {
    try (MiniCluster c = MiniCluster.start(tmp, 1, Map.of())) {
      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () ->
                  ClusterServiceGrpc.newBlockingStub(c.channel("n1"))
                      .withDeadlineAfter(30, TimeUnit.SECONDS)
                      .removeNode(RemoveNodeRequest.newBuilder().setId("n1").build()));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription()).contains("last member");
      assertThat(c.node("n1").shardMap().orElseThrow().getOwnersList()).containsOnly("n1");
      assertThat(c.node("n1").leaseFresh()).isTrue();
    }
  }
}
