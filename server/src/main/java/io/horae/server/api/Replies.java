package io.horae.server.api;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Completes a unary call from a future, mapping failures through {@link GrpcErrors}. */
final class Replies {
  private Replies() {}

  static <T, R> void reply(CompletableFuture<T> future, Function<T, R> map, StreamObserver<R> observer) {
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
