package io.horae.bench;

import io.horae.api.v1.CreateJobRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A constant rate of executions due spread in time: job i is due at T0 + i / rate, and is
 * created {@link #LEAD_MS} before that, in small batches, so creates and deliveries run together
 * as in production. Lateness is measured at the receiver. {@code failover} and {@code backlog}
 * run the same load with something else going on.
 */
final class SteadyScenario {
  static final long LEAD_MS = 3_000;

  /** Something done to the cluster while the load runs (see FailoverScenario); records events. */
  @FunctionalInterface
  interface Disruption {
    void run(long startMs, long endMs, List<Map<String, Object>> events) throws Exception;
  }

  private SteadyScenario() {}

  static ScenarioResult run(BenchContext ctx, String scenario, int rate, long seconds, Disruption disruption) throws Exception {
    ScenarioResult r = new ScenarioResult(scenario);
    ctx.receiver().drain();
    long total = rate * seconds;
    long t0 = System.currentTimeMillis() + LEAD_MS;
    List<Map<String, Object>> events = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread disrupting = null;
    if (disruption != null) {
      disrupting =
          Thread.ofPlatform()
              .name("bench-disruption")
              .start(
                  () -> {
                    try {
                      disruption.run(t0, t0 + seconds * 1000, events);
                    } catch (Exception e) {
                      events.add(Map.of("at_ms", System.currentTimeMillis() - t0, "error", e.toString()));
                    }
                  });
    }
    // Jobs acknowledged only after their due time measure the bench's own create lag, not
    // Horae's delivery: they are delivered and counted, but left out of the lateness figures.
    java.util.Set<String> lateCreates = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Loader loader =
        new Loader(
            ctx.client(),
            req -> {
              if (System.currentTimeMillis() > req.getJob().getSchedule().getAtMs()) {
                lateCreates.add(Jobs.NAMESPACE + "/" + req.getJob().getName() + "@" + req.getJob().getSchedule().getAtMs());
              }
            });
    Iterator<CreateJobRequest> paced = paced(ctx, scenario, rate, total, t0);
    long created =
        loader.createAll(
            paced,
            Math.max(1, Math.min(ctx.options().batchSize, rate / 20)),
            16,
            () -> {
              ctx.progress().update(String.format("[%s] %.0f of %d s: created %,d, delivered %,d", scenario, (System.currentTimeMillis() - t0) / 1e3, seconds, loader.created(), ctx.receiver().distinct()));
              return false;
            });
    long lastDue = t0 + (total - 1) * 1000 / rate;
    Waits.delivered(ctx, scenario, created, lastDue + ctx.options().settleMax.toMillis());
    if (disrupting != null) {
      disrupting.join();
    }
    Deliveries d = Deliveries.of(ctx.receiver().drain(), ctx.keyPrefix(scenario), key -> !lateCreates.contains(key));
    r.deliveries(d, created);
    r.put("rate_per_s", rate);
    r.put("seconds", seconds);
    r.put("created", created);
    r.put("create_failures", loader.failed());
    r.put("created_after_due", lateCreates.size());
    if (!lateCreates.isEmpty()) {
      r.notes.add(String.format("%,d jobs were acknowledged only after their due time (the bench could not create them %d ms ahead); they are delivered and counted but not in the lateness figures.", lateCreates.size(), LEAD_MS));
    }
    r.put("jobs_with_several_keys", d.jobsWithSeveralKeys());
    if (!events.isEmpty()) {
      r.put("events", List.copyOf(events));
    }
    Map<String, Object> late = d.latenessFigures();
    r.headline("load", String.format("%,d/s for %d s (%,d executions)", rate, seconds, created));
    r.headline("lateness p50 / p90 / p99 / p99.9 / max", String.format("%s / %s / %s / %s / %s ms", late.get("p50"), late.get("p90"), late.get("p99"), late.get("p99_9"), late.get("max")));
    r.headline("lost / duplicates / early", (created - d.distinct()) + " / " + d.duplicates() + " / " + d.early());
    r.charts.add(Chart.xy(scenario + "-lateness.png", scenario + ": lateness percentiles", "percentile (1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99)", "ms late").with("lateness", d.percentileCurve()));
    r.charts.add(Chart.xy(scenario + "-rate.png", scenario + ": deliveries per second", "seconds after T0", "deliveries/s").with("deliveries", d.perSecond(t0)));
    r.charts.add(Chart.xy(scenario + "-late-over-time.png", scenario + ": worst lateness per second of due time", "seconds after T0", "max ms late").with("max lateness", d.maxLatenessPerSecond(t0)));
    r.charts.add(Chart.bar(scenario + "-share.png", scenario + ": deliveries per node", "deliveries", d.perNode()));
    r.put("t0_ms", t0);
    r.put("longest_arrival_gap_ms", d.longestGapMs(t0, lastDue));
    return r;
  }

  /** Job i due at t0 + i / rate, handed out no earlier than LEAD_MS before it is due. */
  private static Iterator<CreateJobRequest> paced(BenchContext ctx, String scenario, int rate, long total, long t0) {
    return new Iterator<>() {
      long i;

      @Override
      public boolean hasNext() {
        return i < total;
      }

      @Override
      public CreateJobRequest next() {
        if (i >= total) {
          throw new NoSuchElementException();
        }
        long due = t0 + i * 1000 / rate;
        long wait = due - LEAD_MS - System.currentTimeMillis();
        if (wait > 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
        }
        return Jobs.oneShot(ctx.name(scenario, i++), due, ctx.receiver().url());
      }
    };
  }
}
