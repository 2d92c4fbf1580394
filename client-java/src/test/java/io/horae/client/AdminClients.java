package io.horae.client;

import io.horae.server.cluster.MiniCluster;
import io.horae.server.tls.ClusterCerts;

/**
 * The client of this module's tests against a {@link MiniCluster}: the cluster's admin, who may do
 * everything, since auth is on by default. With TLS (the default) it trusts the cluster CA and
 * presents the admin certificate; against a plaintext cluster it sends the admin's bearer token.
 */
public final class AdminClients {
  private AdminClients() {}

  /**
   * A builder for every endpoint of {@code cluster}, as the admin; add a deadline or other
   * endpoints.
   */
  public static HoraeClient.Builder of(MiniCluster cluster) {
    HoraeClient.Builder b = HoraeClient.builder().endpoints(cluster.endpoints());
    if (!cluster.tls()) {
      return b.usePlaintext().bearerToken(cluster.adminToken());
    }
    return b.trustCertificates(cluster.caFile())
        .clientCertificate(
            cluster.certs().cert(ClusterCerts.ADMIN), cluster.certs().key(ClusterCerts.ADMIN));
  }
}
