package io.horae.server.member;

import io.horae.server.raft.OverloadedException;
import io.horae.server.raft.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs cluster operations (add or remove a node, leadership transfer, snapshot) one at a time on
 * one thread, as each may wait for a catch-up or a drain. At most {@code queueMax} wait behind the
 * running one; one more is refused at once (RESOURCE_EXHAUSTED, nothing done). One that waited
 * longer than {@code queueTimeout} when its turn comes is failed the same way without being
 * started: its caller has likely given up, and a change it no longer waits for should not happen
 * behind its back.
 *
 * <p>Thread safety: {@link #submit} may be called from any thread.
 */
final class ChangeQueue implements AutoCloseable {
  /** A blocking step on the queue's thread; its failure completes the future. */
  interface Step<T> {
    T run() throws Exception;
  }

  private final int queueMax;
  private final Duration queueTimeout;
  private final Clock clock;
  private final ThreadPoolExecutor thread;

  ChangeQueue(int queueMax, Duration queueTimeout, Clock clock) {
    this.queueMax = queueMax;
    this.queueTimeout = queueTimeout;
    this.clock = clock;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueMax),
            Thread.ofPlatform().name("horae-membership").daemon().factory(),
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Queues {@code step}; the future fails with OverloadedException when the queue is full. */
  <T> CompletableFuture<T> submit(String what, Step<T> step) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Instant queued = clock.instant();
    try {
      thread.execute(() -> runIfInTime(what, queued, step, out));
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(
          thread.isShutdown()
              ? new UnavailableException("node is shutting down")
              : new OverloadedException(
                  what
                      + " refused: "
                      + queueMax
                      + " cluster operations already wait on this node (membership.queueMax); retry later"));
    }
    return out;
  }

  /** Operations waiting behind the running one. */
  int waiting() {
    return thread.getQueue().size();
  }

  private <T> void runIfInTime(
      String what, Instant queued, Step<T> step, CompletableFuture<T> out) {
    Duration waited = Duration.between(queued, clock.instant());
    if (waited.compareTo(queueTimeout) > 0) {
      out.completeExceptionally(
          new OverloadedException(
              what
                  + " not started: it waited "
                  + waited.toMillis()
                  + " ms behind other cluster operations, more than membership.queueTimeout ("
                  + queueTimeout
                  + "); retry"));
      return;
    }
    try {
      out.complete(step.run());
    } catch (ExecutionException e) {
      out.completeExceptionally(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.completeExceptionally(new UnavailableException("node is shutting down"));
    } catch (Exception e) {
      out.completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
