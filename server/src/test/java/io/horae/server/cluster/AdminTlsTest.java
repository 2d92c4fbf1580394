package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.GetStatusRequest;
import io.horae.server.auth.NodeIdentity;
import io.horae.server.tls.CaTrust;
import io.horae.server.tls.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin port under TLS, on a real one-node cluster: with TLS on it serves /health and /metrics
 * over HTTPS with the node's own certificate, which chains to the cluster CA and names the node,
 * and a plain HTTP request gets no answer; {@code admin.tls=false} keeps plain HTTP there while the
 * gRPC ports stay TLS. The clients are the JDK's, trusting the cluster CA only.
 */
class AdminTlsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path tmp;

  @Test
  void theAdminPortAnswersHttpsWithTheNodesCertificateOfTheClusterCaAndRefusesPlainHttp()
      throws Exception {
    try (MiniCluster c = MiniCluster.start(tmp, 1, Map.of());
        HttpClient https = c.adminHttp();
        HttpClient plain = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      HttpResponse<String> live = get(https, c.adminUrl("n1") + "/health/live");
      HttpResponse<String> metrics = get(https, c.adminUrl("n1") + "/metrics");

      assertThat(c.adminUrl("n1")).startsWith("https://");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("horae_raft_applied_index{node=\"n1\"}");
      X509Certificate served =
          (X509Certificate) live.sslSession().orElseThrow().getPeerCertificates()[0];
      served.verify(Pem.readCertificates(c.caFile()).get(0).getPublicKey());
      assertThat(NodeIdentity.nodeId(served)).contains("n1");
      assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + c.adminPort("n1") + "/health/live"))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void adminTlsFalseKeepsPlainHttpThereWhileTheApiStaysTls() throws Exception {
    try (MiniCluster c = MiniCluster.start(tmp, 1, Map.of("admin.tls", "false"));
        HttpClient plain = c.adminHttp();
        HttpClient https =
            HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .sslContext(CaTrust.clientContext(c.caFile()))
                .build()) {
      HttpResponse<String> live = get(plain, c.adminUrl("n1") + "/health/live");

      assertThat(c.adminUrl("n1")).startsWith("http://");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.sslSession()).isEmpty();
      assertThatThrownBy(
              () -> get(https, "https://127.0.0.1:" + c.adminPort("n1") + "/health/live"))
          .isInstanceOf(IOException.class);
      assertThat(
              ClusterServiceGrpc.newBlockingStub(c.channel("n1"))
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .getStatus(GetStatusRequest.getDefaultInstance())
                  .getNodesCount())
          .as("the API, over TLS")
          .isEqualTo(1);
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
