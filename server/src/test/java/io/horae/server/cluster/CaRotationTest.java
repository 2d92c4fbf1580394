package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.NodeStatus;
import io.horae.server.tls.ClusterCerts;
import io.horae.server.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CA rotation in its middle step, on a real three-node cluster (docs/security.md, "Rotating the
 * CA"): every node trusts the bundle {old CA, new CA}; n1 already presents a certificate of the new
 * CA while n2 and n3 still present the old one's. The cluster forms (Raft and the internal port are
 * mTLS in both directions, and every lease needs them), the API of each node answers, and n1's
 * certificate really is the new CA's: a client trusting only the old CA cannot reach it.
 */
class CaRotationTest {
  @TempDir Path tmp;

  @Test
  void aNodeWithACertificateOfTheNewCaWorksWithNodesOfTheOldOneWhenEveryNodeTrustsBoth()
      throws Exception {
    Path root = tmp.resolve("cluster");
    ClusterCerts old = ClusterCerts.loopback(root.resolve("certs"), List.of("n1", "n2", "n3"));
    ClusterCerts fresh = ClusterCerts.loopback(tmp.resolve("new-ca"), List.of("n1"));
    Files.copy(fresh.cert("n1"), old.cert("n1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(fresh.key("n1"), old.key("n1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path bundle = tmp.resolve("ca-bundle.pem");
    Files.writeString(bundle, Files.readString(fresh.caCert()) + Files.readString(old.caCert()));

    try (MiniCluster c = MiniCluster.start(root, 3, Map.of("tls.caFile", bundle.toString()))) {
      ClusterStatus status =
          ClusterServiceGrpc.newBlockingStub(c.channel("n2"))
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .getStatus(GetStatusRequest.getDefaultInstance());
      assertThat(status.getNodesList())
          .extracting(NodeStatus::getId)
          .containsExactlyInAnyOrder("n1", "n2", "n3");
      assertThat(status.getNodesList())
          .allSatisfy(n -> assertThat(n.getReachable()).as(n.getId()).isTrue());
      assertThat(c.nodes()).allSatisfy(n -> assertThat(n.leaseFresh()).as(n.id()).isTrue());

      X509Certificate n1 = Pem.readCertificates(c.certs().cert("n1")).get(0);
      n1.verify(Pem.readCertificates(fresh.caCert()).get(0).getPublicKey());
      ManagedChannel oldTrustOnly =
          NettyChannelBuilder.forTarget(c.endpoint("n1"))
              .sslContext(GrpcSslContexts.forClient().trustManager(old.caCert().toFile()).build())
              .build();
      try {
        StatusRuntimeException e =
            catchThrowableOfType(
                StatusRuntimeException.class,
                () ->
                    ClusterServiceGrpc.newBlockingStub(oldTrustOnly)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getStatus(GetStatusRequest.getDefaultInstance()));
        assertThat(e).as("n1 presents the new CA's certificate").isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      } finally {
        oldTrustOnly.shutdownNow();
      }
      assertThat(
              ClusterServiceGrpc.newBlockingStub(c.channel("n1"))
                  .withDeadlineAfter(30, TimeUnit.SECONDS)
                  .getStatus(GetStatusRequest.getDefaultInstance())
                  .getNodesCount())
          .as("n1's API, to a client trusting the bundle")
          .isEqualTo(3);
    }
  }
}
