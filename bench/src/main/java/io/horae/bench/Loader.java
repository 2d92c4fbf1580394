package io.horae.bench;

import io.grpc.Status;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsResponse;
import io.horae.client.HoraeClient;
import io.horae.client.HoraeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Creates jobs in batches (CreateJobs) with a bounded number of calls in flight. Items refused for
 * a passing reason (a full proposal queue, no leader yet, a deadline) are sent again with the same
 * request id for up to {@code retryForMs}; everything else counts as failed. Every refusal is
 * counted by its status code ({@link #refused}), and so is every item given up ({@link #gaveUp}).
 */
final class Loader {
  /** How long an item refused for a passing reason is tried again (an election takes seconds). */
  static final long RETRY_FOR_MS = 30_000;

  /** Calls in flight when loading many jobs. */
  static final int LOAD_CONCURRENCY = 8;

  private static final Set<Integer> PASSING =
      Set.of(
          Status.Code.UNAVAILABLE.value(),
          Status.Code.RESOURCE_EXHAUSTED.value(),
          Status.Code.DEADLINE_EXCEEDED.value());

  private record Item(CreateJobRequest request, int tries, long firstMs) {}

  private final HoraeClient client;
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final Refusals refused = new Refusals();
  private final Refusals gaveUp = new Refusals();
  private final java.util.function.Consumer<CreateJobRequest> onCreated;
  private final long retryForMs;

  Loader(HoraeClient client) {
    this(client, r -> {}, RETRY_FOR_MS);
  }

  /**
   * @param onCreated told of each created item, on a gRPC thread, as its answer arrives
   * @param retryForMs how long an item refused for a passing reason is sent again; 0: never
   */
  Loader(
      HoraeClient client,
      java.util.function.Consumer<CreateJobRequest> onCreated,
      long retryForMs) {
    this.client = client;
    this.onCreated = onCreated;
    this.retryForMs = retryForMs;
  }

  long created() {
    return created.get();
  }

  /** Items given up (refused for good, or for a passing reason past the retry time). */
  long failed() {
    return gaveUp.total();
  }

  /** Every refused answer, by code, retried ones included. */
  Refusals refused() {
    return refused;
  }

  /** The items given up, by the code of their last refusal. */
  Refusals gaveUp() {
    return gaveUp;
  }

  long retried() {
    return retried.get();
  }

  /**
   * Sends every request, {@code batch} per call and at most {@code concurrency} calls at once,
   * until all are answered or {@code stop} says so; returns how many were created.
   */
  long createAll(
      Iterator<CreateJobRequest> requests, int batch, int concurrency, BooleanSupplier stop)
      throws InterruptedException {
    long before = created.get();
    Semaphore calls = new Semaphore(concurrency);
    Deque<Item> again = new ArrayDeque<>();
    while (!stop.getAsBoolean()) {
      List<Item> items = new ArrayList<>(batch);
      synchronized (again) {
        while (items.size() < batch && !again.isEmpty()) {
          items.add(again.poll());
        }
      }
      while (items.size() < batch && requests.hasNext()) {
        items.add(new Item(requests.next(), 0, System.currentTimeMillis()));
      }
      if (items.isEmpty()) {
        if (calls.availablePermits() == concurrency && isEmpty(again)) {
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        continue;
      }
      calls.acquire();
      if (items.stream().anyMatch(i -> i.tries() > 0)) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      client
          .batches()
          .createAsync(items.stream().map(Item::request).toList())
          .whenComplete(
              (response, error) -> {
                try {
                  settle(items, response, error, again);
                } finally {
                  calls.release();
                }
              });
    }
    calls.acquire(concurrency);
    calls.release(concurrency);
    return created.get() - before;
  }

  private static boolean isEmpty(Deque<Item> again) {
    synchronized (again) {
      return again.isEmpty();
    }
  }

  private void settle(
      List<Item> items, CreateJobsResponse response, Throwable error, Deque<Item> again) {
    for (int i = 0; i < items.size(); i++) {
      int code = error != null ? codeOf(error) : response.getResults(i).getCode();
      String message =
          error != null ? String.valueOf(error.getMessage()) : response.getResults(i).getMessage();
      if (code == 0) {
        // A repeat of a lost answer carries the same request id and gets code 0 again; any
        // ALREADY_EXISTS is a real name clash and counts as failed.
        created.incrementAndGet();
        onCreated.accept(items.get(i).request());
        continue;
      }
      refused.add(code, message);
      if (PASSING.contains(code)
          && System.currentTimeMillis() - items.get(i).firstMs() < retryForMs) {
        retried.incrementAndGet();
        Item item = items.get(i);
        synchronized (again) {
          again.add(new Item(item.request(), item.tries() + 1, item.firstMs()));
        }
      } else {
        gaveUp.add(code, message);
      }
    }
  }

  /**
   * Creates {@code n} one-shot jobs {@code scenario-run-i} due at {@code dueMs}, {@code batchSize}
   * per call and 8 calls in flight, until done or {@code untilMs}; shows progress. Returns how many
   * were created.
   */
  /** How long a load goes on without one create acknowledged. */
  private static final long STALL_MS = 60_000;

  long loadOneShots(BenchContext ctx, String scenario, int n, long dueMs, long untilMs)
      throws InterruptedException {
    Iterator<CreateJobRequest> jobs =
        java.util.stream.LongStream.range(0, n)
            .mapToObj(i -> Jobs.oneShot(ctx.name(scenario, i), dueMs, ctx.receiver().url()))
            .iterator();
    long start = System.currentTimeMillis();
    long[] progress = {created(), start};
    return createAll(
        jobs,
        ctx.options().batchSize,
        LOAD_CONCURRENCY,
        () -> {
          long now = System.currentTimeMillis();
          ctx.progress()
              .update(
                  String.format(
                      "[%s] creating: %,d of %,d (%.0f s)",
                      scenario, created(), n, (now - start) / 1e3));
          if (created() != progress[0]) {
            progress[0] = created();
            progress[1] = now;
          } else if (now - progress[1] > STALL_MS) {
            // Every create refused for a minute (a quota, a full disk): the refusals are in the
            // report; going on would only repeat them.
            ctx.progress()
                .done(
                    String.format(
                        "[%s] no create acknowledged for %d s; stopped at %,d (refused: %s)",
                        scenario, STALL_MS / 1000, created(), refused()));
            return true;
          }
          return now > untilMs;
        });
  }

  /** The call's status code; UNAVAILABLE for a failure that carries none (a lost connection). */
  static int codeOf(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HoraeException h) {
        return h.code().value();
      }
    }
    return Status.Code.UNAVAILABLE.value();
  }
}
