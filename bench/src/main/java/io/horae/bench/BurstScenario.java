package io.horae.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * N one-shot jobs all due at one instant T. They are created ahead of T (batched); creation stops a
 * second before T, so every job is in the cluster before it is due. Measured from T: the time until
 * the last one arrived, deliveries per second, lateness, and each node's share; what the nodes
 * spent per create (until creation stopped) and per delivery (from then until the wait ended).
 */
final class BurstScenario {
  /** The slowest batched create rate the lead time allows for; a slower cluster creates fewer. */
  static final long ASSUMED_CREATES_PER_S = 3_000;

  private BurstScenario() {}

  /**
   * The {@code nth} burst of the run: "burst", then "burst-2", "burst-3" (new job names, a report
   * section each). A repeat measures the same cluster again, warmer: its compilers have had the
   * bursts before it (docs/bench.md, "The training made the compilers wait").
   */
  static ScenarioResult run(BenchContext ctx, int nth) throws InterruptedException {
    return run(ctx, nth == 1 ? "burst" : "burst-" + nth, ctx.options().burstJobs);
  }

  /** A burst of {@code n} jobs whose names and report section are {@code name}. */
  static ScenarioResult run(BenchContext ctx, String name, int n) throws InterruptedException {
    BenchOptions o = ctx.options();
    ScenarioResult r = new ScenarioResult(name);
    ctx.receiver().drain();
    long leadMs = 5_000 + n * 1_000L / ASSUMED_CREATES_PER_S;
    long at = System.currentTimeMillis() + leadMs;
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Loader loader =
        new Loader(ctx.client(), req -> acknowledged.add(Jobs.key(req)), Loader.RETRY_FOR_MS);
    CostMeter.Reading beforeCreates = ctx.cost().read();
    long createStart = System.currentTimeMillis();
    long created = loader.loadOneShots(ctx, name, n, at, at - 1_000);
    long createdBy = System.currentTimeMillis();
    CostMeter.Reading beforeDeliveries = ctx.cost().read();
    Cost createCost = Cost.between(beforeCreates, beforeDeliveries);
    ctx.progress()
        .done(
            String.format(
                "[" + name + "] %,d created in %.1f s, due at T = +%.1f s",
                created,
                (createdBy - createStart) / 1e3,
                (at - createdBy) / 1e3));
    if (created < n) {
      r.notes.add(
          String.format(
              "Only %,d of %,d jobs were created before T (%d ms lead); the figures are for those.",
              created, n, leadMs));
    }
    Waits.delivered(ctx, name, acknowledged.size(), at + o.settleMax.toMillis());
    Cost deliveryCost = ctx.cost().since(beforeDeliveries);
    Deliveries d = Deliveries.of(ctx.receiver().drain(), ctx.keyPrefix(name));
    r.deliveries(d, acknowledged);
    long allMs = d.lastMs() - at;
    double perS = allMs > 0 ? d.distinct() * 1000.0 / allMs : 0;
    r.put("jobs", n);
    r.put("created", created);
    r.put("refused", loader.refused().byCode());
    r.put("create_failures", loader.gaveUp().byCode());
    r.put("create_seconds", (createdBy - createStart) / 1e3);
    r.put("time_to_all_ms", allMs);
    r.put("deliveries_per_s", Math.round(perS));
    r.cost("create_cost", createCost, created, "create");
    r.cost("delivery_cost", deliveryCost, d.distinct(), "delivery");
    r.headline(
        "jobs due at one instant",
        String.format(
            "%,d (created at %,.0f/s, %s; refused: %s)",
            created,
            created / Math.max(1e-3, (createdBy - createStart) / 1e3),
            createCost.cpuPer(created, "create"),
            loader.refused()));
    r.headline("time until all delivered", String.format("%.1f s", allMs / 1e3));
    r.headline(
        "deliveries/s",
        String.format(
            "%,.0f, %s, %s",
            perS,
            deliveryCost.cpuPer(d.distinct(), "delivery"),
            deliveryCost.allocatedPer(d.distinct(), "delivery")));
    r.headline("per-node share", Waits.shares(d.perNode()));
    r.headline("undelivered at the end / duplicates / early", r.outcomeRow());
    r.headline("fence closed while delivering, by node", deliveryCost.fenceClosed());
    r.charts.add(
        Chart.xy(
                name + "-rate.png",
                "Burst (" + name + "): deliveries per second after T",
                "seconds after T",
                "deliveries/s")
            .with("deliveries", d.perSecond(at)));
    r.charts.add(
        Chart.bar(
            name + "-share.png",
            "Burst (" + name + "): deliveries per node",
            "deliveries",
            d.perNode()));
    return r;
  }
}
