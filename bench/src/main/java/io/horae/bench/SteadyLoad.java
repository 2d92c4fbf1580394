package io.horae.bench;

import io.horae.api.v1.CreateJobRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A constant rate of executions due spread in time: job i is due at T0 + i / rate, and is created
 * {@code BenchOptions.lead} (3 s) before that, in small batches, so creates and deliveries run
 * together as in production. Then it waits for the deliveries, at most {@code settleMax} past the
 * last due time. The steady, failover, backlog, ladder and cold-start scenarios and the warm-up all
 * run this load; what each reports is theirs.
 */
final class SteadyLoad {
  /** Calls in flight while creating. */
  static final int CONCURRENCY = 16;

  /**
   * A job the bench could hand out only this long after its due time is not sent: the node would
   * refuse it as in the past (api.pastTolerance, 5 s) and the report would show the bench's own lag
   * as the cluster's INVALID_ARGUMENT (the ladder's 8,000/s step on 2026-12-05). It is counted as
   * not sent instead.
   */
  static final long BEHIND_MAX_MS = 4_000;

  /** Something done to the cluster while the load runs (see FailoverScenario); records events. */
  @FunctionalInterface
  interface Disruption {
    void run(long startMs, long endMs, List<Map<String, Object>> events) throws Exception;
  }

  /**
   * What one load did. {@code acknowledged}: keys of the creates the cluster acknowledged; {@code
   * lateCreates}: those acknowledged only after their due time; {@code notSent}: jobs the bench did
   * not send because its clients were {@link #BEHIND_MAX_MS} behind; {@code settled}: whether every
   * acknowledged one arrived before the settle time ended; {@code cost}: what the nodes spent from
   * the first create to the end of the wait.
   */
  record Outcome(
      Deliveries deliveries,
      Set<String> acknowledged,
      Set<String> lateCreates,
      long notSent,
      Loader loader,
      long t0,
      long lastDueMs,
      boolean settled,
      List<Map<String, Object>> events,
      Cost cost) {}

  private SteadyLoad() {}

  /**
   * Runs {@code rate} executions per second for {@code seconds}, starting at once: the callers on a
   * cluster that has run something first wait until no node sheds creates ({@link Waits#caughtUp});
   * the cold start does not. Refused creates are sent again for up to {@code retryForMs} (0: never,
   * so the offered rate is not inflated by retries).
   */
  static Outcome run(
      BenchContext ctx,
      String scenario,
      int rate,
      long seconds,
      long retryForMs,
      Disruption disruption)
      throws Exception {
    ctx.receiver().drain();
    CostMeter.Reading before = ctx.cost().read();
    long total = rate * seconds;
    long leadMs = ctx.options().lead.toMillis();
    long t0 = System.currentTimeMillis() + leadMs;
    List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
    Thread disrupting =
        disruption == null
            ? null
            : Thread.ofPlatform()
                .name("bench-disruption")
                .start(() -> disrupt(disruption, t0, seconds, events));
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    // Jobs acknowledged only after their due time measure the bench's own create lag, not
    // Horae's delivery: they are delivered and counted, but left out of the lateness figures.
    Set<String> lateCreates = ConcurrentHashMap.newKeySet();
    Loader loader =
        new Loader(
            ctx.client(),
            req -> {
              String key = Jobs.key(req);
              acknowledged.add(key);
              if (System.currentTimeMillis() > req.getJob().getSchedule().getAtMs()) {
                lateCreates.add(key);
              }
            },
            retryForMs);
    String prefix = ctx.keyPrefix(scenario);
    AtomicLong notSent = new AtomicLong();
    loader.createAll(
        paced(ctx, scenario, rate, total, t0, leadMs, notSent),
        Math.max(1, Math.min(ctx.options().batchSize, rate / 20)),
        CONCURRENCY,
        () -> {
          Waits.alive(ctx);
          ctx.progress()
              .update(
                  String.format(
                      "[%s] %.0f of %d s: created %,d, refused %,d, delivered %,d",
                      scenario,
                      Math.max(0, System.currentTimeMillis() - t0) / 1e3,
                      seconds,
                      loader.created(),
                      loader.refused().total(),
                      ctx.receiver().distinct(prefix)));
          return false;
        });
    long lastDue = t0 + (total - 1) * 1000 / rate;
    boolean settled =
        Waits.delivered(
            ctx, scenario, acknowledged.size(), lastDue + ctx.options().settleMax.toMillis());
    if (disrupting != null) {
      disrupting.join();
    }
    Cost cost = ctx.cost().since(before);
    Deliveries d = Deliveries.of(ctx.receiver().drain(), prefix, key -> !lateCreates.contains(key));
    return new Outcome(
        d,
        Set.copyOf(acknowledged),
        Set.copyOf(lateCreates),
        notSent.get(),
        loader,
        t0,
        lastDue,
        settled,
        List.copyOf(events),
        cost);
  }

  private static void disrupt(
      Disruption disruption, long t0, long seconds, List<Map<String, Object>> events) {
    try {
      disruption.run(t0, t0 + seconds * 1000, events);
    } catch (Exception e) {
      events.add(Map.of("at_ms", System.currentTimeMillis() - t0, "error", e.toString()));
    }
  }

  /**
   * Job i due at t0 + i / rate, handed out no earlier than {@code leadMs} before it is due; one
   * that could be handed out only {@link #BEHIND_MAX_MS} after it was due is skipped and counted in
   * {@code notSent}.
   */
  private static Iterator<CreateJobRequest> paced(
      BenchContext ctx,
      String scenario,
      int rate,
      long total,
      long t0,
      long leadMs,
      AtomicLong notSent) {
    return new Iterator<>() {
      long i;

      private long due(long index) {
        return t0 + index * 1000 / rate;
      }

      @Override
      public boolean hasNext() {
        while (i < total && System.currentTimeMillis() - due(i) > BEHIND_MAX_MS) {
          i++;
          notSent.incrementAndGet();
        }
        return i < total;
      }

      @Override
      public CreateJobRequest next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long due = due(i);
        long wait = due - leadMs - System.currentTimeMillis();
        if (wait > 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
        }
        return Jobs.oneShot(ctx.name(scenario, i++), due, ctx.receiver().url());
      }
    };
  }
}
