package io.horae.bench;


/**
 * N one-shot jobs all due at one instant T. They are created ahead of T (batched); creation
 * stops a second before T, so every job is in the cluster before it is due. Measured from T:
 * the time until the last one arrived, deliveries per second, lateness, and each node's share.
 */
final class BurstScenario {
  /** The slowest batched create rate the lead time allows for; a slower cluster creates fewer. */
  static final long ASSUMED_CREATES_PER_S = 3_000;

  private BurstScenario() {}

  static ScenarioResult run(BenchContext ctx) throws InterruptedException {
    BenchOptions o = ctx.options();
    int n = o.burstJobs;
    ScenarioResult r = new ScenarioResult("burst");
    ctx.receiver().drain();
    long leadMs = 5_000 + n * 1_000L / ASSUMED_CREATES_PER_S;
    long at = System.currentTimeMillis() + leadMs;
    long createStart = System.currentTimeMillis();
    long created = ctx.loader().loadOneShots(ctx, "burst", n, at, at - 1_000);
    long createdBy = System.currentTimeMillis();
    ctx.progress().done(String.format("[burst] %,d created in %.1f s, due at T = +%.1f s", created, (createdBy - createStart) / 1e3, (at - createdBy) / 1e3));
    if (created < n) {
      r.notes.add(String.format("Only %,d of %,d jobs were created before T (%d ms lead); the figures are for those.", created, n, leadMs));
    }
    Waits.delivered(ctx, "burst", created, at + o.settleMax.toMillis());
    Deliveries d = Deliveries.of(ctx.receiver().drain(), ctx.keyPrefix("burst"));
    r.deliveries(d, created);
    long allMs = d.lastMs() - at;
    double perS = allMs > 0 ? d.distinct() * 1000.0 / allMs : 0;
    r.put("jobs", n);
    r.put("created", created);
    r.put("create_seconds", (createdBy - createStart) / 1e3);
    r.put("time_to_all_ms", allMs);
    r.put("deliveries_per_s", Math.round(perS));
    r.headline("jobs due at one instant", String.format("%,d", created));
    r.headline("time until all delivered", String.format("%.1f s", allMs / 1e3));
    r.headline("deliveries/s", String.format("%,.0f", perS));
    r.headline("per-node share", Waits.shares(d.perNode()));
    r.headline("lost / duplicates / early", (created - d.distinct()) + " / " + d.duplicates() + " / " + d.early());
    r.charts.add(Chart.xy("burst-rate.png", "Burst: deliveries per second after T", "seconds after T", "deliveries/s").with("deliveries", d.perSecond(at)));
    r.charts.add(Chart.bar("burst-share.png", "Burst: deliveries per node", "deliveries", d.perNode()));
    return r;
  }
}
