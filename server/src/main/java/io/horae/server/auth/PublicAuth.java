package io.horae.server.auth;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.grpc.ServerInterceptor;
import io.horae.server.config.AuthConfig;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public port's authentication as the config asks: with {@code auth.enabled} the token file is
 * loaded at start (a missing or bad file stops the node, naming the file and line) and every call
 * goes through {@link AuthInterceptor}; without it, a pass-through that the node logs at WARN.
 */
public final class PublicAuth {
  private static final Logger LOG = LoggerFactory.getLogger(PublicAuth.class);

  private final ServerInterceptor interceptor;
  private final Predicate<String> metricsAllowed;

  private PublicAuth(ServerInterceptor interceptor, Predicate<String> metricsAllowed) {
    this.interceptor = interceptor;
    this.metricsAllowed = metricsAllowed;
  }

  public static PublicAuth from(AuthConfig config) {
    if (!config.enabled()) {
      LOG.warn(
          "auth.enabled=false: anyone who reaches the API port may call every RPC in every namespace");
      return new PublicAuth(
          new io.grpc.ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call,
                io.grpc.Metadata headers,
                io.grpc.ServerCallHandler<Q, R> next) {
              return next.startCall(call, headers);
            }
          },
          h -> true);
    }
    TokenStore tokens =
        new TokenStore(Path.of(config.accessFile()), config.reloadInterval(), System::nanoTime);
    LOG.info("auth on: {} credentials from {}", tokens.size(), config.accessFile());
    AuthInterceptor interceptor =
        new AuthInterceptor(
            Access.horae(), tokens::authenticate, call -> certificatePrincipal(call, tokens));
    Predicate<String> metrics =
        config.protectMetrics()
            ? header ->
                AuthInterceptor.bearerToken(header).flatMap(tokens::authenticate).isPresent()
            : header -> true;
    return new PublicAuth(interceptor, metrics);
  }

  public ServerInterceptor interceptor() {
    return interceptor;
  }

  /** For the admin port's /metrics: whether this Authorization header (null: none) may read. */
  public Predicate<String> metricsAllowed() {
    return metricsAllowed;
  }

  /**
   * The principal a verified client certificate names ({@code horae-client:<name>}), if the file
   * lists it.
   */
  private static Optional<Principal> certificatePrincipal(
      ServerCall<?, ?> call, TokenStore tokens) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? NodeIdentity.clientName(x).flatMap(tokens::certificate)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty(); // No client certificate: a token is needed.
    }
  }
}
