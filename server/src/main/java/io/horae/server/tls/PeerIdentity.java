package io.horae.server.tls;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.horae.server.auth.NodeIdentity;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The node id of the caller of the internal port, from its verified certificate, for the services
 * to check against what the caller claims (a report is accepted only from the node it is about).
 * Empty when the node runs in plaintext.
 */
public final class PeerIdentity implements ServerInterceptor {
  private static final Context.Key<String> NODE_ID = Context.key("horae-peer-node");

  /** The calling node's id, inside a call on the internal port with TLS on. */
  public static Optional<String> current() {
    return Optional.ofNullable(NODE_ID.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    String id = session == null ? null : nodeId(session).orElse(null);
    return id == null
        ? next.startCall(call, headers)
        : Contexts.interceptCall(Context.current().withValue(NODE_ID, id), call, headers, next);
  }

  private static Optional<String> nodeId(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? NodeIdentity.nodeId(x)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}
