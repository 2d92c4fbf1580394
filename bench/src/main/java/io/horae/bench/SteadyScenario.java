package io.horae.bench;

import java.util.Map;

/**
 * The steady load (see {@link SteadyLoad}) and its report: lateness measured at the receiver,
 * refusals by code, and what the nodes spent per execution. {@code failover} and {@code backlog}
 * report the same with something else going on.
 */
final class SteadyScenario {
  private SteadyScenario() {}

  static ScenarioResult run(
      BenchContext ctx, String scenario, int rate, long seconds, SteadyLoad.Disruption disruption)
      throws Exception {
    Waits.caughtUp(ctx);
    SteadyLoad.Outcome o =
        SteadyLoad.run(ctx, scenario, rate, seconds, Loader.RETRY_FOR_MS, disruption);
    Deliveries d = o.deliveries();
    long created = o.acknowledged().size();
    ScenarioResult r = new ScenarioResult(scenario);
    r.deliveries(d, o.acknowledged());
    r.put("rate_per_s", rate);
    r.put("seconds", seconds);
    r.put("created", created);
    r.put("refused", o.loader().refused().byCode());
    r.put("create_failures", o.loader().gaveUp().byCode());
    r.put("refused_examples", o.loader().refused().examples());
    r.put("created_after_due", o.lateCreates().size());
    r.put("not_sent_client_behind", o.notSent());
    if (o.notSent() > 0) {
      r.notes.add(
          String.format(
              "%,d jobs were not sent: the bench's clients fell more than %d s behind their due times (the node would refuse them as in the past).",
              o.notSent(), SteadyLoad.BEHIND_MAX_MS / 1000));
    }
    // The load creates and delivers at once, so the phase's spending is per execution: one
    // create and one delivery each.
    r.cost("cost", o.cost(), d.distinct(), "execution");
    if (!o.lateCreates().isEmpty()) {
      r.notes.add(
          String.format(
              "%,d jobs were acknowledged only after their due time (the bench could not create them %d ms ahead); they are delivered and counted but not in the lateness figures.",
              o.lateCreates().size(), ctx.options().lead.toMillis()));
    }
    r.put("jobs_with_several_keys", d.jobsWithSeveralKeys());
    if (!o.events().isEmpty()) {
      r.put("events", o.events());
    }
    Map<String, Object> late = d.latenessFigures();
    r.headline(
        "load",
        String.format(
            "%,d/s for %d s (%,d executions), %s, %s",
            rate,
            seconds,
            created,
            o.cost().cpuPer(d.distinct(), "execution"),
            o.cost().allocatedPer(d.distinct(), "execution")));
    r.headline(
        "lateness p50 / p90 / p99 / p99.9 / max",
        String.format(
            "%s / %s / %s / %s / %s ms",
            late.get("p50"), late.get("p90"), late.get("p99"), late.get("p99_9"), late.get("max")));
    r.headline(
        "refused creates (answers, by code)",
        o.loader().refused()
            + (o.loader().failed() > 0 ? "; given up: " + o.loader().gaveUp() : ""));
    r.headline("undelivered at the end / duplicates / early", r.outcomeRow());
    r.headline("fence closed (fired nothing), by node", o.cost().fenceClosed());
    r.charts.add(
        Chart.xy(
                scenario + "-lateness.png",
                scenario + ": lateness percentiles",
                "percentile (1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99)",
                "ms late")
            .with("lateness", d.percentileCurve()));
    r.charts.add(
        Chart.xy(
                scenario + "-rate.png",
                scenario + ": deliveries per second",
                "seconds after T0",
                "deliveries/s")
            .with("deliveries", d.perSecond(o.t0())));
    Chart lateByNode =
        Chart.xy(
            scenario + "-late-over-time.png",
            scenario + ": worst lateness per second of due time, by the node that sent it",
            "seconds after T0",
            "max ms late");
    for (String node : d.perNode().keySet()) {
      lateByNode.with(node, d.maxLatenessPerSecond(o.t0(), node));
    }
    r.charts.add(lateByNode);
    r.charts.add(
        Chart.bar(
            scenario + "-share.png",
            scenario + ": deliveries per node",
            "deliveries",
            d.perNode()));
    r.put("t0_ms", o.t0());
    r.put("longest_arrival_gap_ms", d.longestGapMs(o.t0(), o.lastDueMs()));
    return r;
  }
}
