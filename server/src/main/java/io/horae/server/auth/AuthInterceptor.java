package io.horae.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Authenticates every call on the public port and checks its rule (docs/security.md). A call
 * without a credential, or with a token nobody holds, ends with {@code UNAUTHENTICATED}; one whose
 * principal lacks the rule's role on a namespace the request touches ends with {@code
 * PERMISSION_DENIED} naming the principal, the role and the namespace, before the service sees the
 * request. Messages never hold the token. The principal of an allowed call is in {@link
 * #PRINCIPAL}.
 */
public final class AuthInterceptor implements ServerInterceptor {
  /** The caller of the current call, for services and audit logs. */
  public static final Context.Key<Principal> PRINCIPAL = Context.key("horae-principal");

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final Access access;
  private final Function<String, Optional<Principal>> tokens;
  private final Function<ServerCall<?, ?>, Optional<Principal>> certificates;

  /**
   * @param tokens the principal of a bearer token (a {@link TokenStore})
   * @param certificates the principal a call's verified client certificate names, if any
   */
  public AuthInterceptor(
      Access access,
      Function<String, Optional<Principal>> tokens,
      Function<ServerCall<?, ?>, Optional<Principal>> certificates) {
    this.access = access;
    this.tokens = tokens;
    this.certificates = certificates;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Optional<Access.Rule> rule = access.rule(method);
    if (rule.isPresent() && rule.get() instanceof Access.Open) {
      return next.startCall(call, headers);
    }
    Optional<Principal> who;
    String header = headers.get(AUTHORIZATION);
    if (header != null) {
      Optional<String> token = bearerToken(header);
      if (token.isEmpty()) {
        return refuse(
            call,
            Status.UNAUTHENTICATED.withDescription(
                "the authorization header must be 'Bearer <token>'"));
      }
      who = tokens.apply(token.get());
      if (who.isEmpty()) {
        return refuse(
            call,
            Status.UNAUTHENTICATED.withDescription(
                "the bearer token is not valid (unknown, or revoked)"));
      }
    } else {
      who = certificates.apply(call);
      if (who.isEmpty()) {
        return refuse(
            call,
            Status.UNAUTHENTICATED.withDescription(
                "a bearer token or a client certificate is required"));
      }
    }
    if (rule.isEmpty()) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription("no rule allows " + method));
    }
    Principal principal = who.get();
    Context context = Context.current().withValue(PRINCIPAL, principal);
    if (rule.get() instanceof Access.Needs needs) {
      return new Checked<>(
          Contexts.interceptCall(context, call, headers, next), call, principal, needs);
    }
    return Contexts.interceptCall(context, call, headers, next);
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} header; empty when malformed or absent.
   */
  static Optional<String> bearerToken(String header) {
    if (header == null || !header.startsWith(BEARER)) {
      return Optional.empty();
    }
    String token = header.substring(BEARER.length()).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /** Why {@code principal} may not make this request, or null if it may. */
  static String denial(Principal principal, Access.Needs needs, Object request) {
    List<String> namespaces = needs.namespaces().apply(request);
    if (!needs.role().perNamespace()) {
      return principal.allows(needs.role(), "")
          ? null
          : "principal '" + principal.name() + "' lacks role " + needs.role().wireName();
    }
    for (String ns : namespaces) {
      if (!principal.allows(needs.role(), ns)) {
        return "principal '"
            + principal.name()
            + "' lacks role "
            + needs.role().wireName()
            + " on namespace '"
            + io.horae.server.errors.Echo.value(ns)
            + "'";
      }
    }
    return null;
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /**
   * Checks the request against the rule when it arrives and, if refused, closes the call before the
   * service sees the request or the half-close that would run it.
   */
  private static final class Checked<Q, R>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, R> call;
    private final Principal principal;
    private final Access.Needs needs;
    private boolean refused;

    Checked(
        ServerCall.Listener<Q> delegate,
        ServerCall<Q, R> call,
        Principal principal,
        Access.Needs needs) {
      super(delegate);
      this.call = call;
      this.principal = principal;
      this.needs = needs;
    }

    @Override
    public void onMessage(Q message) {
      if (refused) {
        return;
      }
      String why = denial(principal, needs, message);
      if (why != null) {
        refused = true;
        call.close(Status.PERMISSION_DENIED.withDescription(why), new Metadata());
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }
  }
}
