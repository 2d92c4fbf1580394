package io.horae.bench;

import java.util.Map;

/**
 * The cold start as a figure of its own (issue 11 item 7): a modest steady load (default 200/s for
 * 25 s) on the cluster the bench has just started, before anything else ran on it. A fresh JVM
 * interprets and compiles for its first tens of seconds, so this is what a user sees after a deploy
 * or a restart; every other scenario runs after a warm-up and does not show it. Reports the worst
 * lateness and from which second of due time on the p99 of every second stays at or under {@value
 * #P99_MAX_MS} ms.
 */
final class ColdStartScenario {
  static final long P99_MAX_MS = 100;

  private ColdStartScenario() {}

  /**
   * Runs on the cluster {@code ctx} has just started and found ready; the times are counted from
   * the start of its first node process ({@link LocalCluster#startedAtMs}).
   */
  static ScenarioResult run(BenchContext ctx) throws Exception {
    BenchOptions o = ctx.options();
    int rate = o.coldStartRate;
    long seconds = o.coldStartDuration.toSeconds();
    SteadyLoad.Outcome out =
        SteadyLoad.run(ctx, "coldstart", rate, seconds, Loader.RETRY_FOR_MS, null);
    Deliveries d = out.deliveries();
    ScenarioResult r = new ScenarioResult("coldstart");
    r.deliveries(d, out.acknowledged());
    double[][] p99 = d.p99PerSecond(out.t0());
    double onTimeFrom = Deliveries.staysUnderFrom(p99, P99_MAX_MS);
    long sinceStartS = (out.t0() - ctx.cluster().startedAtMs()) / 1000;
    r.put("rate_per_s", rate);
    r.put("seconds", seconds);
    r.put("t0_after_cluster_start_s", sinceStartS);
    r.put("p99_per_second_under_limit_from_s", Double.isNaN(onTimeFrom) ? null : (long) onTimeFrom);
    r.put("refused", out.loader().refused().byCode());
    r.cost("cost", out.cost(), d.distinct(), "execution");
    Map<String, Object> late = d.latenessFigures();
    r.headline(
        "load on the fresh cluster",
        String.format(
            "%,d/s for %d s from %d s after the nodes were started, %s",
            rate, seconds, sinceStartS, out.cost().cpuPer(d.distinct(), "execution")));
    r.headline(
        "worst lateness; p50 / p99",
        String.format("%s ms; %s / %s ms", late.get("max"), late.get("p50"), late.get("p99")));
    r.headline(
        "p99 per second ≤ " + P99_MAX_MS + " ms from",
        Double.isNaN(onTimeFrom)
            ? String.format("not within the %d s", seconds)
            : String.format(
                "%.0f s after T0 (%.0f s after the nodes were started)",
                onTimeFrom, onTimeFrom + sinceStartS));
    r.headline("undelivered at the end / duplicates / early", r.outcomeRow());
    r.charts.add(
        Chart.xy(
                "coldstart-late-over-time.png",
                "Cold start: lateness per second of due time",
                "seconds after T0",
                "ms late")
            .with("p99", p99)
            .with("max", d.maxLatenessPerSecond(out.t0())));
    return r;
  }
}
