package io.horae.server.api;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tells a client where the Raft leader serves the API: a follower's answers carry the header
 * {@value #HEADER} with the leader's API address ({@code host:port}, as the members know it). A
 * client that has that address among its endpoints sends its next calls there, and a write then
 * skips the follower's hop to the leader (docs/api.md, "Leader hint"). Nothing is added on the
 * leader itself, or while this node knows no leader.
 *
 * <p>Any node still accepts any call (DESIGN §8): the hint is advice, and a client that ignores it
 * loses only the hop.
 */
public final class LeaderHint implements ServerInterceptor {
  /** The response header, in the headers or, for an answer without headers, the trailers. */
  public static final String HEADER = "horae-leader";

  public static final Metadata.Key<String> KEY =
      Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);

  /** How long a leader's looked-up address is used before it is looked up again. */
  static final long ADDRESS_MEMO_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String selfId;
  private final Supplier<Optional<String>> leaderId;
  private final Function<String, Optional<String>> apiAddress;

  /** The last lookup: the leader's id, its API address, and when (System.nanoTime). */
  private volatile Looked looked = new Looked("", Optional.empty(), 0);

  private record Looked(String leaderId, Optional<String> address, long atNanos) {}

  /**
   * @param selfId this node's id: the leader adds no hint
   * @param leaderId the leader as this node's Raft server knows it; asked once per call
   * @param apiAddress a member's API address ({@code host:port}), if known; looked up once per
   *     leader and second (it may read the store)
   */
  public LeaderHint(
      String selfId,
      Supplier<Optional<String>> leaderId,
      Function<String, Optional<String>> apiAddress) {
    this.selfId = selfId;
    this.leaderId = leaderId;
    this.apiAddress = apiAddress;
  }

  /** The leader's API address while this node is a follower that knows it, else empty. */
  Optional<String> leaderApi() {
    Optional<String> leader = leaderId.get();
    if (leader.isEmpty() || leader.get().equals(selfId)) {
      return Optional.empty();
    }
    Looked last = looked;
    long now = System.nanoTime();
    if (!last.leaderId().equals(leader.get()) || now - last.atNanos() > ADDRESS_MEMO_NANOS) {
      last = new Looked(leader.get(), apiAddress.apply(leader.get()), now);
      looked = last;
    }
    return last.address();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          private boolean sent;

          @Override
          public void sendHeaders(Metadata out) {
            sent = hint(out);
            super.sendHeaders(out);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            if (!sent) {
              sent = hint(trailers);
            }
            super.close(status, trailers);
          }
        },
        headers);
  }

  private boolean hint(Metadata out) {
    Optional<String> leader = leaderApi();
    leader.ifPresent(address -> out.put(KEY, address));
    return leader.isPresent();
  }
}
