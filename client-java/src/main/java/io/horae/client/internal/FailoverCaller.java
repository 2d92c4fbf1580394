package io.horae.client.internal;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs unary calls against a fixed list of endpoints, one channel each, with simple client-side
 * failover: a call goes to the current endpoint; when it fails with {@code UNAVAILABLE} and is safe
 * to repeat, the next endpoint becomes current and the call is repeated there. Each endpoint is
 * tried at most once per call, so a call makes at most {@code endpoints.size()} attempts. Any other
 * outcome (success, another code, an expired deadline) ends the call.
 *
 * <p>No name resolver or load balancer is involved on purpose: any node accepts any call (DESIGN
 * §8), so the client only needs to find one that answers, and sticking to it keeps connections
 * warm. Completion runs on the thread that completes the gRPC future (gRPC's callback executor); no
 * thread is started here.
 *
 * <p>Thread-safe: the channels are thread-safe and {@link #current} is an atomic.
 */
public final class FailoverCaller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FailoverCaller.class);

  private final List<Endpoint> endpoints;
  private final List<ManagedChannel> channels;
  private final Function<Throwable, ? extends RuntimeException> errorMapper;

  /** Index of the endpoint new calls start on; advanced by compare-and-set on UNAVAILABLE. */
  private final AtomicInteger current = new AtomicInteger();

  /**
   * Creates a caller over channels that are already built.
   *
   * @param endpoints the endpoints, in preference order
   * @param channels one channel per endpoint, same order; closed by {@link #close}
   * @param errorMapper turns the final failure of a call into the exception the caller sees
   */
  public FailoverCaller(
      List<Endpoint> endpoints,
      List<ManagedChannel> channels,
      Function<Throwable, ? extends RuntimeException> errorMapper) {
    if (endpoints.isEmpty() || endpoints.size() != channels.size()) {
      throw new IllegalArgumentException(
          "need one channel per endpoint, got " + endpoints.size() + " and " + channels.size());
    }
    this.endpoints = List.copyOf(endpoints);
    this.channels = List.copyOf(channels);
    this.errorMapper = errorMapper;
  }

  /**
   * Starts a call.
   *
   * @param rpc starts one attempt on the given channel; it must set the call's deadline itself, the
   *     same absolute deadline for every attempt, so failover never extends a call
   * @param safeToRetry whether the call may be repeated on another endpoint after {@code
   *     UNAVAILABLE}: reads, deletes and creates that carry a request id
   * @return a future completed with the result, or exceptionally with the mapped error; cancelling
   *     it cancels the attempt in flight
   */
  public <T> CompletableFuture<T> call(
      Function<Channel, ListenableFuture<T>> rpc, boolean safeToRetry) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(result, rpc, safeToRetry, current.get(), 1);
    return result;
  }

  private <T> void attempt(
      CompletableFuture<T> result,
      Function<Channel, ListenableFuture<T>> rpc,
      boolean safeToRetry,
      int index,
      int attemptNumber) {
    ListenableFuture<T> inFlight;
    try {
      inFlight = rpc.apply(channels.get(index));
    } catch (RuntimeException e) {
      result.completeExceptionally(errorMapper.apply(e));
      return;
    }
    result.whenComplete(
        (value, failure) -> {
          if (result.isCancelled()) {
            inFlight.cancel(true);
          }
        });
    inFlight.addListener(
        () -> {
          Throwable failure;
          try {
            result.complete(inFlight.get());
            return;
          } catch (ExecutionException e) {
            failure = e.getCause();
          } catch (InterruptedException | RuntimeException e) {
            // get() on a done future neither blocks nor is interrupted; CancellationException lands
            // here.
            failure = e;
          }
          if (result.isDone()) {
            return;
          }
          boolean unavailable = Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE;
          if (unavailable && safeToRetry && attemptNumber < endpoints.size()) {
            int next = (index + 1) % endpoints.size();
            current.compareAndSet(index, next);
            log.debug(
                "endpoint={} unavailable, failing over to endpoint={} attempt={}",
                endpoints.get(index),
                endpoints.get(next),
                attemptNumber + 1);
            attempt(result, rpc, true, next, attemptNumber + 1);
          } else {
            result.completeExceptionally(errorMapper.apply(failure));
          }
        },
        Runnable::run);
  }

  /** Index of the current endpoint, where streaming calls start. */
  public int currentIndex() {
    return current.get();
  }

  public int size() {
    return channels.size();
  }

  public Channel channel(int index) {
    return channels.get(index);
  }

  /**
   * A streaming call could not start on endpoint {@code index} ({@code UNAVAILABLE}): the next
   * endpoint becomes current, as after a unary call's failover.
   *
   * @return the index to try next
   */
  public int failedOver(int index) {
    int next = (index + 1) % endpoints.size();
    current.compareAndSet(index, next);
    log.debug(
        "stream could not start on endpoint={}, trying endpoint={}",
        endpoints.get(index),
        endpoints.get(next));
    return next;
  }

  /**
   * Shuts the channels down, waiting up to {@code timeout} in all for calls in flight, then cuts
   * what is left. Restores the interrupt flag if interrupted.
   */
  public void close(long timeout, TimeUnit unit) {
    long deadlineNanos = System.nanoTime() + unit.toNanos(timeout);
    channels.forEach(ManagedChannel::shutdown);
    try {
      for (ManagedChannel channel : channels) {
        long leftNanos = deadlineNanos - System.nanoTime();
        if (!channel.awaitTermination(Math.max(0, leftNanos), TimeUnit.NANOSECONDS)) {
          channel.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      channels.forEach(ManagedChannel::shutdownNow);
      Thread.currentThread().interrupt();
    }
  }

  /** Closes with a 5 second grace period. */
  @Override
  public void close() {
    close(5, TimeUnit.SECONDS);
  }
}
