package io.horae.server.tls;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.horae.server.config.HoraeConfig;
import io.horae.server.config.HostPort;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every TLS decision of a node, in one place (docs/security.md, "Ports"):
 *
 * <ul>
 *   <li>public API: server certificate; a client certificate from the cluster CA is asked for but
 *       optional;
 *   <li>internal API and the channels that call it: mTLS, the peer must be a current member;
 *   <li>Ratis (server, its clients and admin client): mTLS with the same member check, through
 *       Ratis' own {@link GrpcTlsConfig};
 *   <li>the admin HTTP port: HTTPS with the node's certificate, no client certificate, unless
 *       {@code admin.tls=false}.
 * </ul>
 *
 * With {@code tls.enabled=false} everything is plaintext and {@link #load} logs a WARN.
 */
public final class NodeTls {
  private static final Logger LOG = LoggerFactory.getLogger(NodeTls.class);

  /** Null in plaintext. */
  private final SslContext publicServer;

  private final SslContext internalServer;
  private final SslContext internalClient;
  private final GrpcTlsConfig ratis;

  /** The admin port's HTTPS context; null when it serves plain HTTP. */
  private final SSLContext admin;

  private NodeTls(
      SslContext publicServer,
      SslContext internalServer,
      SslContext internalClient,
      GrpcTlsConfig ratis,
      SSLContext admin) {
    this.publicServer = publicServer;
    this.internalServer = internalServer;
    this.internalClient = internalClient;
    this.ratis = ratis;
    this.admin = admin;
  }

  /**
   * Reads the node's TLS files (or warns about plaintext). {@code members} is asked at every
   * node-to-node handshake for the ids currently allowed in.
   *
   * @throws TlsSetupException naming the config key of a missing or wrong file
   */
  public static NodeTls load(HoraeConfig config, Supplier<Set<String>> members) {
    if (!config.tls().enabled()) {
      LOG.warn(
          "TLS is off (tls.enabled=false) node={}: the API, the internal port and Raft traffic are plaintext, and any"
              + " process that reaches them is trusted as a member",
          config.node().id());
      return new NodeTls(null, null, null, null, null);
    }
    TlsMaterial m = TlsMaterial.load(config.tls(), config.node().id());
    MemberTrustManager peers = new MemberTrustManager(m.caTrustManager(), members);
    try {
      SslContext publicServer =
          GrpcSslContexts.configure(SslContextBuilder.forServer(m.keyManager()))
              .trustManager(m.caTrustManager())
              .clientAuth(ClientAuth.OPTIONAL)
              .build();
      SslContext internalServer =
          GrpcSslContexts.configure(SslContextBuilder.forServer(m.keyManager()))
              .trustManager(peers)
              .clientAuth(ClientAuth.REQUIRE)
              .build();
      SslContext internalClient =
          GrpcSslContexts.configure(SslContextBuilder.forClient().keyManager(m.keyManager()))
              .trustManager(peers)
              .build();
      return new NodeTls(
          publicServer,
          internalServer,
          internalClient,
          new GrpcTlsConfig(m.keyManager(), peers, true),
          adminContext(config, m));
    } catch (SSLException e) {
      throw new TlsSetupException(
          "cannot build the TLS contexts of node " + config.node().id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The admin port serves the node's certificate and asks for none: its callers are probes and
   * scrapers, and /metrics has its own token (auth.protectMetrics). Null with admin.tls=false,
   * which is logged at WARN.
   */
  private static SSLContext adminContext(HoraeConfig config, TlsMaterial m) {
    if (!config.tls().admin()) {
      LOG.warn(
          "the admin port is plain HTTP (admin.tls=false) node={}: /health/* and /metrics (and the token of auth.protectMetrics) travel in"
              + " the clear",
          config.node().id());
      return null;
    }
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(new KeyManager[] {m.keyManager()}, null, null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException(
          "cannot build the admin port's TLS context of node "
              + config.node().id()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public boolean enabled() {
    return publicServer != null;
  }

  /** The admin HTTP port's TLS context, or null when it serves plain HTTP. */
  public SSLContext adminServer() {
    return admin;
  }

  /** A server builder for the public API address. */
  public NettyServerBuilder publicServer(HostPort address) {
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress(address.host(), address.port()));
    return publicServer == null ? b : b.sslContext(publicServer);
  }

  /**
   * A server builder for the internal address; calls carry the caller's node id ({@link
   * PeerIdentity}).
   */
  public NettyServerBuilder internalServer(HostPort address) {
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress(address.host(), address.port()))
            .intercept(new PeerIdentity());
    return internalServer == null ? b : b.sslContext(internalServer);
  }

  /**
   * Largest reply taken from another member: the same as the internal server's inbound limit
   * (NodeServers.API_MESSAGE_BYTES_MAX), so neither side sends what the other refuses.
   */
  static final int PEER_MESSAGE_BYTES_MAX = 4 * 1024 * 1024;

  /** A channel to another member's internal address. */
  public ManagedChannel internalChannel(HostPort address) {
    NettyChannelBuilder b =
        NettyChannelBuilder.forAddress(address.host(), address.port())
            .maxInboundMessageSize(PEER_MESSAGE_BYTES_MAX);
    return internalClient == null ? b.usePlaintext().build() : b.sslContext(internalClient).build();
  }

  /** Parameters for Ratis servers and clients: mTLS between members, or nothing in plaintext. */
  public Parameters ratisParameters() {
    Parameters p = new Parameters();
    if (ratis != null) {
      GrpcConfigKeys.TLS.setConf(p, ratis);
    }
    return p;
  }
}
