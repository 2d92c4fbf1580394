package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.GetStateDigestRequest;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.StateDigest;
import io.horae.internal.v1.LocalStatusRequest;
import io.horae.internal.v1.NodeReport;
import io.horae.internal.v1.NodeServiceGrpc;
import io.horae.server.config.HostPort;
import io.horae.server.config.TlsConfig;
import io.horae.server.node.HoraeNode;
import io.horae.server.tls.CertIssuer;
import io.horae.server.tls.ClusterCerts;
import io.horae.server.tls.FixedKeyManager;
import io.horae.server.tls.Pem;
import io.horae.server.tls.TlsMaterial;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets in (issue 12, item 1): against one real three-node cluster with TLS on, a plaintext
 * client, a client certificate from another CA, Ratis clients without a member's certificate, a
 * certificate of a node that is not a member, and a member reporting for another node are each
 * refused, and no replica's state digest changes. Also: the internal service is not on the public
 * port, and reflection there lists public services only.
 */
class TlsRefusalTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;

  /** A second CA with a node n1 and an admin of its own: certificates the cluster must refuse. */
  static ClusterCerts foreign;

  static Map<String, StateDigest> digestsBefore;
  static final List<ManagedChannel> opened = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp.resolve("cluster"), 3, Map.of());
    CertIssuer issuer = new CertIssuer(new SecureRandom(), Clock.systemUTC());
    foreign = new ClusterCerts(tmp.resolve("foreign"));
    foreign.init(
        issuer, Map.of("n1", List.of("127.0.0.1")), false, ClusterCerts.LEAF_VALIDITY_DEFAULT);
    // A node the cluster's own CA signed, that is not a member.
    cluster
        .certs()
        .init(
            issuer, Map.of("n9", List.of("127.0.0.1")), false, ClusterCerts.LEAF_VALIDITY_DEFAULT);
    digestsBefore = digests();
  }

  @AfterAll
  static void stop() {
    opened.forEach(ManagedChannel::shutdownNow);
    if (cluster != null) {
      // Every refusal above left every replica as it was.
      assertThat(digests()).isEqualTo(digestsBefore);
      cluster.close();
    }
  }

  @Test
  void aPlaintextClientIsRefusedOnThePublicPort() {
    ManagedChannel plain =
        keep(NettyChannelBuilder.forTarget(cluster.endpoint("n1")).usePlaintext().build());

    assertThat(statusOf(() -> status(plain))).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedOnThePublicPort() throws Exception {
    ManagedChannel ch =
        tlsChannel(
            cluster.endpoint("n1"),
            foreign.cert(ClusterCerts.ADMIN),
            foreign.key(ClusterCerts.ADMIN));

    assertThat(statusOf(() -> status(ch))).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aClientWithTheClusterAdminCertificateIsServedAndOneWithoutIsLetInToBeAskedForACredential()
      throws Exception {
    ManagedChannel admin =
        tlsChannel(
            cluster.endpoint("n2"),
            cluster.certs().cert(ClusterCerts.ADMIN),
            cluster.certs().key(ClusterCerts.ADMIN));
    ManagedChannel none =
        keep(
            NettyChannelBuilder.forTarget(cluster.endpoint("n3"))
                .sslContext(
                    GrpcSslContexts.forClient().trustManager(cluster.caFile().toFile()).build())
                .build());

    assertThat(status(admin)).isTrue();
    // The handshake passes (a client certificate is optional); auth, on by default, then refuses.
    assertThat(statusOf(() -> status(none))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void theInternalServiceIsNotOnThePublicPortAndReflectionListsOnlyPublicServices()
      throws Exception {
    ManagedChannel ch = cluster.channel("n1");

    Status.Code onPublic =
        statusOf(
            () ->
                NodeServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .localStatus(LocalStatusRequest.getDefaultInstance()));

    assertThat(onPublic).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(reflectedServices(ch))
        .contains("horae.v1.JobService", "horae.v1.ClusterService", "grpc.health.v1.Health")
        .noneMatch(s -> s.startsWith("horae.internal"));
  }

  @Test
  void theInternalPortRefusesTheAdminCertificateAndANonMembersCertificate() throws Exception {
    String internal = cluster.internalAddress("n1");
    ManagedChannel admin =
        tlsChannel(
            internal,
            cluster.certs().cert(ClusterCerts.ADMIN),
            cluster.certs().key(ClusterCerts.ADMIN));
    ManagedChannel n9 = tlsChannel(internal, cluster.certs().cert("n9"), cluster.certs().key("n9"));
    ManagedChannel foreignN1 = tlsChannel(internal, foreign.cert("n1"), foreign.key("n1"));

    for (ManagedChannel ch : List.of(admin, n9, foreignN1)) {
      assertThat(statusOf(() -> localStatus(ch))).isEqualTo(Status.Code.UNAVAILABLE);
    }
    ManagedChannel member =
        tlsChannel(internal, cluster.certs().cert("n2"), cluster.certs().key("n2"));
    assertThat(localStatus(member)).isTrue();
  }

  @Test
  void aMemberReportingForAnotherNodeIsRefused() throws Exception {
    HoraeNode leader = cluster.leader();
    String sender =
        cluster.ids().stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    String victim =
        cluster.ids().stream()
            .filter(id -> !id.equals(leader.id()) && !id.equals(sender))
            .findFirst()
            .orElseThrow();
    ManagedChannel ch =
        tlsChannel(
            cluster.internalAddress(leader.id()),
            cluster.certs().cert(sender),
            cluster.certs().key(sender));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                NodeServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .report(NodeReport.newBuilder().setNodeId(victim).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription())
        .contains("node " + sender)
        .contains("about node " + victim);
  }

  @Test
  void aRatisClientWithoutAMembersCertificateIsRefused() throws Exception {
    TlsMaterial clusterTrust = TlsMaterial.load(tls(cluster.certs(), "n1"), "n1");
    TlsMaterial foreignN1 = TlsMaterial.load(tls(foreign, "n1"), "n1");
    List<Parameters> strangers = new ArrayList<>();
    strangers.add(new Parameters()); // plaintext
    strangers.add(
        ratisTls(
            new GrpcTlsConfig(null, clusterTrust.caTrustManager(), false))); // TLS, no certificate
    strangers.add(
        ratisTls(
            new GrpcTlsConfig(
                foreignN1.keyManager(), clusterTrust.caTrustManager(), true))); // another CA

    for (Parameters p : strangers) {
      try (RaftClient client = ratisClient(p)) {
        Throwable t = catchThrowable(() -> client.io().send(Message.valueOf("forged")));
        assertThat(t).as("a raw Ratis write must fail").isNotNull();
      }
    }
  }

  private static RaftClient ratisClient(Parameters parameters) {
    RaftProperties props = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    return RaftClient.newBuilder()
        .setProperties(props)
        .setParameters(parameters)
        .setRaftGroup(io.horae.server.raft.RaftWiring.group(cluster.config("n1")))
        .setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
  }

  private static Parameters ratisTls(GrpcTlsConfig tls) {
    Parameters p = new Parameters();
    GrpcConfigKeys.TLS.setConf(p, tls);
    return p;
  }

  private static TlsConfig tls(ClusterCerts certs, String id) {
    return new TlsConfig(
        true, certs.caCert().toString(), certs.cert(id).toString(), certs.key(id).toString());
  }

  private static ManagedChannel tlsChannel(String target, Path cert, Path key) throws Exception {
    SslContextBuilder ssl =
        GrpcSslContexts.forClient()
            .trustManager(cluster.caFile().toFile())
            .keyManager(
                new FixedKeyManager(
                    Pem.readPrivateKey(key),
                    Pem.readCertificates(cert).toArray(X509Certificate[]::new)));
    HostPort hp = HostPort.parse(target);
    return keep(
        NettyChannelBuilder.forAddress(hp.host(), hp.port()).sslContext(ssl.build()).build());
  }

  private static ManagedChannel keep(ManagedChannel ch) {
    opened.add(ch);
    return ch;
  }

  private static boolean status(ManagedChannel ch) {
    return ClusterServiceGrpc.newBlockingStub(ch)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .getStatus(GetStatusRequest.getDefaultInstance())
            .getNodesCount()
        == 3;
  }

  private static boolean localStatus(ManagedChannel ch) {
    return NodeServiceGrpc.newBlockingStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .localStatus(LocalStatusRequest.getDefaultInstance())
        .hasStatus();
  }

  private static Status.Code statusOf(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call must fail").isNotNull();
    return e.getStatus().getCode();
  }

  private static Map<String, StateDigest> digests() {
    Map<String, StateDigest> out = new LinkedHashMap<>();
    for (String id : cluster.ids()) {
      out.put(
          id,
          ClusterServiceGrpc.newBlockingStub(cluster.channel(id))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getStateDigest(GetStateDigestRequest.getDefaultInstance()));
    }
    return out;
  }

  private static List<String> reflectedServices(ManagedChannel ch) throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(ch)
            .serverReflectionInfo(
                new StreamObserver<ServerReflectionResponse>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    names.complete(
                        r.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    names.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> out = names.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    return out;
  }
}
