package io.horae.server.api;

import io.grpc.stub.StreamObserver;
import io.horae.server.errors.GrpcErrors;
import io.horae.server.errors.RejectedException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Completes a unary call from a future, mapping failures through {@link GrpcErrors}. */
final class Replies {
  private Replies() {}

  /** The op's result, or a {@link RejectedException} when the state machine refused it. */
  static io.horae.internal.v1.OpResult ok(io.horae.internal.v1.OpResult r) {
    if (r.hasRejection()) {
      throw new RejectedException(r.getRejection().getCode(), r.getRejection().getMessage());
    }
    return r;
  }

  /** The future, failed with a timeout once {@code timeout} has passed without an answer. */
  static <T> CompletableFuture<T> bounded(CompletableFuture<T> future, java.time.Duration timeout) {
    return future.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Starts a call that may refuse its input by throwing, then replies from its future. */
  static <T> void replyFrom(
      java.util.function.Supplier<CompletableFuture<T>> call, StreamObserver<T> observer) {
    CompletableFuture<T> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    reply(future, t -> t, observer);
  }

  static <T, R> void reply(
      CompletableFuture<T> future, Function<T, R> map, StreamObserver<R> observer) {
    future.whenComplete(
        (value, error) -> {
          if (error != null) {
            observer.onError(GrpcErrors.toStatus(error));
            return;
          }
          R response;
          try {
            response = map.apply(value);
          } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
            return;
          }
          observer.onNext(response);
          observer.onCompleted();
        });
  }
}
