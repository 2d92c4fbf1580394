package io.horae.server.node;

import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.horae.api.v1.ClusterServiceGrpc;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The threads that run the public API's calls (docs/architecture.md, "Threads").
 *
 * <p>gRPC's default executor is a cached pool: every call is handed to a thread that parks when the
 * call is done and is woken for the next one. With 64 creates in flight that park and wake was 10 %
 * of the API node's CPU (docs/bench.md, "The API's calls on a few threads"). Here the calls run on
 * a fixed pool of {@code api.executorThreads} threads, which take the next queued call themselves
 * and park only when none waits. The calls on it do not block: they validate, propose or read, and
 * answer from a future.
 *
 * <p>ClusterService is the exception: a state digest computes over the whole store on the calling
 * thread (seconds on a large one), and other calls wait on other members. Its calls run on a cached
 * pool, as before, so that they never hold up creates. gRPC looks the method up on the fixed pool,
 * then runs the call's listener on the pool {@link #forCall} names.
 *
 * <p>Tasks queue without a bound of their own: each is a step of a call that the transport
 * accepted, so they are bounded by the calls in flight, which admission and the per-client limits
 * bound; a cached pool, gRPC's default, bounds neither tasks nor threads.
 */
final class ApiExecutors implements AutoCloseable {
  /** Services whose calls may block their thread. */
  static final Set<String> BLOCKING_SERVICES = Set.of(ClusterServiceGrpc.SERVICE_NAME);

  private final ExecutorService calls;
  private final ExecutorService blocking;

  /**
   * @param threads threads of the fixed pool; 0: the number of processors
   */
  ApiExecutors(int threads) {
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    this.calls =
        Executors.newFixedThreadPool(
            n, Thread.ofPlatform().name("horae-api-", 0).daemon().factory());
    this.blocking =
        Executors.newCachedThreadPool(
            Thread.ofPlatform().name("horae-api-blocking-", 0).daemon().factory());
  }

  /** Makes {@code server} run its calls on these executors. */
  <T extends ServerBuilder<T>> T apply(T server) {
    return server.executor(calls).callExecutor(this::forCall);
  }

  /**
   * The blocking pool for a call of {@link #BLOCKING_SERVICES}; null for the others, which stay on
   * the fixed pool (a {@link ServerCallExecutorSupplier}).
   */
  <Q, R> Executor forCall(ServerCall<Q, R> call, Metadata headers) {
    return BLOCKING_SERVICES.contains(call.getMethodDescriptor().getServiceName())
        ? blocking
        : null;
  }

  /** Stops both pools; after the server that used them stopped. */
  @Override
  public void close() {
    calls.shutdownNow();
    blocking.shutdownNow();
    try {
      calls.awaitTermination(2, TimeUnit.SECONDS);
      blocking.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
