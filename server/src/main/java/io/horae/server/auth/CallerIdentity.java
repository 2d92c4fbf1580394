package io.horae.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a call counts against for per-client limits (watch streams): its principal when auth is on,
 * else the peer's IP address. The port is left out on purpose: a client that opens a new connection
 * per stream is still one client.
 */
public final class CallerIdentity implements ServerInterceptor {
  private static final Context.Key<SocketAddress> REMOTE = Context.key("horae-remote-address");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return Contexts.interceptCall(Context.current().withValue(REMOTE, remote), call, headers, next);
  }

  /** The identity of the current call; needs this interceptor (and the auth one, when on). */
  public static String current() {
    return of(AuthInterceptor.PRINCIPAL.get(), REMOTE.get());
  }

  /** "principal NAME", else "address IP", else "address unknown". */
  static String of(Principal principal, SocketAddress remote) {
    if (principal != null) {
      return "principal " + principal.name();
    }
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return "address " + inet.getAddress().getHostAddress();
    }
    return "address " + (remote == null ? "unknown" : remote.toString());
  }
}
