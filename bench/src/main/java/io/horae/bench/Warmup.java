package io.horae.bench;

import io.horae.client.HoraeException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates and deliveries before the measured scenarios, not measured: the JIT compiles the hot
 * paths of every node (single creates, batched creates, deliveries at a steady rate, then a burst
 * due at one instant) so that the scenarios measure a warm cluster, as a long-running one is. The
 * cold start has its own figure ({@link ColdStartScenario}).
 */
final class Warmup {
  private Warmup() {}

  static void run(BenchContext ctx) throws Exception {
    run(ctx, "warmup");
  }

  /**
   * A warm-up whose jobs are named after {@code label}: a second warm-up in one run needs names of
   * its own, or its creates would find the first one's jobs (the same request ids) and create
   * nothing.
   */
  static void run(BenchContext ctx, String label) throws Exception {
    BenchOptions o = ctx.options();
    long seconds = o.warmupDuration.toSeconds();
    AtomicLong singles = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) + o.lead.toNanos();
    // One CreateJob call at a time beside the batched load, so the single-create path is warm
    // too. Its jobs are due in a week and stay pending.
    Thread single =
        Thread.ofVirtual()
            .start(
                () -> {
                  long dueMs = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(7);
                  while (System.nanoTime() < end) {
                    var req =
                        Jobs.oneShot(
                            ctx.name(label + "single", singles.getAndIncrement()),
                            dueMs,
                            ctx.receiver().url());
                    try {
                      ctx.client().create(req.getJob(), req.getRequestId());
                    } catch (HoraeException e) {
                      // Not measured: a refused warm-up create only means less warming.
                    }
                  }
                });
    Waits.caughtUp(ctx);
    SteadyLoad.Outcome out =
        SteadyLoad.run(ctx, label, o.warmupRate, seconds, Loader.RETRY_FOR_MS, null);
    single.join();
    if (o.warmupBurstJobs > 0) {
      // All delivered before the scenarios start (the burst waits for them), like any scenario.
      BurstScenario.run(ctx, label + "burst", o.warmupBurstJobs);
    }
    long created = singleCreates(ctx, label, o.warmupCreates);
    ctx.progress()
        .done(
            String.format(
                "[warmup] %,d/s for %d s plus %,d single creates, then %,d due at one instant, then %,d single creates %d in flight, not measured: %,d of %,d delivered",
                o.warmupRate,
                seconds,
                singles.get(),
                o.warmupBurstJobs,
                created,
                BenchOptions.WARMUP_CREATES_IN_FLIGHT,
                out.deliveries().distinct(),
                out.acknowledged().size()));
  }

  /**
   * {@code n} single CreateJob calls, {@link BenchOptions#WARMUP_CREATES_IN_FLIGHT} in flight, for
   * at most {@link BenchOptions#WARMUP_CREATES_MAX}; their jobs are due in a week and stay pending.
   * Returns how many were acknowledged.
   */
  private static long singleCreates(BenchContext ctx, String label, int n)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    long dueMs = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(7);
    long end = System.nanoTime() + BenchOptions.WARMUP_CREATES_MAX.toNanos();
    java.util.List<Thread> workers = new java.util.ArrayList<>();
    for (int w = 0; w < Math.min(n, BenchOptions.WARMUP_CREATES_IN_FLIGHT); w++) {
      workers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long i;
                    while (System.nanoTime() < end && (i = next.getAndIncrement()) < n) {
                      var req =
                          Jobs.oneShot(ctx.name(label + "create", i), dueMs, ctx.receiver().url());
                      try {
                        ctx.client().create(req.getJob(), req.getRequestId());
                        acked.incrementAndGet();
                      } catch (HoraeException e) {
                        // Not measured: a refused warm-up create only means less warming.
                      }
                      ctx.progress()
                          .update(
                              String.format("[warmup] %,d of %,d single creates", acked.get(), n));
                    }
                  }));
    }
    for (Thread t : workers) {
      t.join();
    }
    return acked.get();
  }
}
