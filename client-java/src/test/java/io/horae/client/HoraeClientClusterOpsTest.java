package io.horae.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.horae.api.v1.SnapshotResponse;
import io.horae.api.v1.TransferLeaderResponse;
import io.horae.server.cluster.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's cluster operations against a real three-node cluster: leadership transfer and
 * snapshots succeed and say where they happened; bad or unknown nodes surface as the documented
 * exceptions with the server's field names.
 */
class HoraeClientClusterOpsTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static HoraeClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 3, Map.of());
    client = AdminClients.of(cluster).deadline(Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void transferLeaderWithoutATargetHandsLeadershipToAnotherMember() {
    String before = cluster.leader().id();

    TransferLeaderResponse r = client.transferLeader(null);

    assertThat(r.getLeaderId()).isNotEqualTo(before).isIn(cluster.ids());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster.leader().id().equals(r.getLeaderId()));
  }

  @Test
  void snapshotWithoutANodeIsTakenByTheLeader() {
    SnapshotResponse r = client.snapshot(null);

    assertThat(r.getNodeId()).isIn(cluster.ids());
    assertThat(r.getIndex()).isPositive();
  }

  @Test
  void removingAnUnknownNodeThrowsNotFound() {
    NotFoundException e =
        catchThrowableOfType(NotFoundException.class, () -> client.removeNode("n9"));

    assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getMessage()).contains("n9");
  }

  @Test
  void addingANodeWithBadAddressesNamesEachField() {
    InvalidArgumentException e =
        catchThrowableOfType(
            InvalidArgumentException.class, () -> client.addNode("n4", "nohost", "", null, ""));

    assertThat(e.violations())
        .extracting(FieldViolation::field)
        .containsExactly("raft_address", "api_address", "internal_address");
  }
}
