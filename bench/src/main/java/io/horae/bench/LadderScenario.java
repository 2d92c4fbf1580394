package io.horae.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Capacity (issue 11 item 4): the steady load at rising rates, one step after the other (default
 * 500 to 16,000 per second, 20 s each). Each step is a fresh {@link SteadyLoad} whose refused
 * creates are not sent again, so the offered rate stays the offered rate and the excess shows as
 * refusals by code. A step holds when the lateness p99 of what it delivered is at most {@value
 * #P99_MAX_MS} ms and at most 1 % of what it offered was refused, created only after its due time,
 * or undelivered at the end (such an execution is as late as can be). Capacity is the highest
 * offered rate of a step that held. Past capacity the question is whether deliveries plateau or
 * collapse, so the ladder climbs {@value #STEPS_PAST_CAPACITY} failing steps past it and then
 * stops: the time stays bounded even on a slow machine.
 */
final class LadderScenario {
  static final long P99_MAX_MS = 100;

  /** Failing steps in a row after which the ladder stops climbing. */
  static final int STEPS_PAST_CAPACITY = 2;

  /**
   * The share of the offered executions that may be refused or undelivered in a step that holds.
   */
  static final double MISSING_SHARE_MAX = 0.01;

  /** One step's outcome in the figures the table shows. */
  record Step(
      int offeredPerS, double createdPerS, long missing, long offered, long p99Ms, boolean held) {}

  private record Measured(
      Step step, double deliveredPerS, Map<String, Object> figures, String row) {}

  private LadderScenario() {}

  static ScenarioResult run(BenchContext ctx) throws Exception {
    BenchOptions o = ctx.options();
    long seconds = o.ladderStep.toSeconds();
    ScenarioResult r = new ScenarioResult("ladder");
    List<Measured> measured = new ArrayList<>();
    int failing = 0;
    for (int rate : o.ladderRates) {
      Measured m = step(ctx, rate, seconds);
      measured.add(m);
      ctx.progress().done(String.format("[ladder] %,d/s: %s", rate, m.row()));
      failing = m.step().held() ? 0 : failing + 1;
      if (failing >= STEPS_PAST_CAPACITY) {
        break;
      }
    }
    List<Step> steps = measured.stream().map(Measured::step).toList();
    String capacity = capacity(steps, o.ladderRates);
    r.put("step_seconds", seconds);
    r.put("p99_max_ms", P99_MAX_MS);
    r.put("capacity", capacity);
    r.put("steps", measured.stream().map(Measured::figures).toList());
    r.headline("capacity (highest rate with p99 ≤ " + P99_MAX_MS + " ms)", capacity);
    measured.forEach(
        m -> r.headline(String.format("%,d/s offered", m.step().offeredPerS()), m.row()));
    if (steps.size() < o.ladderRates.size()) {
      r.notes.add(
          String.format(
              "Stopped after %d steps in a row that did not hold; the higher rates were not offered.",
              STEPS_PAST_CAPACITY));
    }
    double[][] offered = new double[2][steps.size()];
    double[][] delivered = new double[2][steps.size()];
    double[][] p99 = new double[2][steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      offered[0][i] = offered[1][i] = delivered[0][i] = p99[0][i] = steps.get(i).offeredPerS();
      delivered[1][i] = measured.get(i).deliveredPerS();
      p99[1][i] = Math.min(steps.get(i).p99Ms(), Deliveries.LATENESS_MAX_MS);
    }
    r.charts.add(
        Chart.xy(
                "ladder-delivered.png",
                "Ladder: deliveries per second at each offered rate",
                "offered executions/s",
                "per second")
            .with("offered", offered)
            .with("delivered", delivered));
    r.charts.add(
        Chart.xy(
                "ladder-p99.png",
                "Ladder: lateness p99 at each offered rate",
                "offered executions/s",
                "p99 ms late")
            .with("p99", p99));
    return r;
  }

  /** One step: the load at {@code rate}, its verdict, its JSON figures and its table row. */
  private static Measured step(BenchContext ctx, int rate, long seconds) throws Exception {
    Waits.caughtUp(ctx);
    SteadyLoad.Outcome out = SteadyLoad.run(ctx, "ladder" + rate, rate, seconds, 0, null);
    Deliveries d = out.deliveries();
    long offered = rate * seconds;
    long created = out.acknowledged().size();
    long undelivered = created - d.deliveredAmong(out.acknowledged());
    long p99 =
        d.lateness().getTotalCount() == 0 ? Long.MAX_VALUE : d.lateness().getValueAtPercentile(99);
    // Jobs acknowledged only after their due time mean the cluster took creates more slowly
    // than offered (the bench's calls in flight backed up): they count against the step too.
    long missing = offered - created + undelivered + out.lateCreates().size();
    Step step =
        new Step(
            rate, created / (double) seconds, missing, offered, p99, holds(p99, missing, offered));
    // While the load runs: a plateau or a collapse past capacity shows here.
    double deliveredPerS = d.arrivedWithin(out.t0(), out.t0() + seconds * 1000) / (double) seconds;
    Map<String, Object> late = d.latenessFigures();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("offered_per_s", rate);
    f.put("created_per_s", Math.round(step.createdPerS()));
    f.put("refused", out.loader().refused().byCode());
    f.put("refused_examples", out.loader().refused().examples());
    f.put("delivered_per_s", Math.round(deliveredPerS));
    f.put("undelivered_at_end", undelivered);
    f.put("created_after_due", out.lateCreates().size());
    f.put("not_sent_client_behind", out.notSent());
    f.put("duplicates", d.duplicates());
    f.put("early", d.early());
    f.put("lateness_ms", late);
    f.put("held", step.held());
    f.putAll(out.cost().figures(d.distinct(), "delivery"));
    String row =
        String.format(
            "created %,.0f/s, refused %s%s, delivered %,.0f/s, lateness p50 / p99 / max %s / %s / %s ms, %s%s",
            step.createdPerS(),
            out.loader().refused(),
            out.notSent() > 0
                ? String.format(
                    ", %,d not sent (the bench's clients fell %d s behind)",
                    out.notSent(), SteadyLoad.BEHIND_MAX_MS / 1000)
                : "",
            deliveredPerS,
            late.getOrDefault("p50", "-"),
            late.getOrDefault("p99", "-"),
            late.getOrDefault("max", "-"),
            out.cost().cpuPer(d.distinct(), "delivery"),
            undelivered > 0 ? String.format(", %,d undelivered at the end", undelivered) : "");
    return new Measured(step, deliveredPerS, f, row);
  }

  static boolean holds(long p99Ms, long missing, long offered) {
    return p99Ms <= P99_MAX_MS && missing <= offered * MISSING_SHARE_MAX;
  }

  /** "2,000/s"; "at least 16,000/s (every step held)"; "below 500/s (no step held)". */
  static String capacity(List<Step> steps, List<Integer> rates) {
    int best = steps.stream().filter(Step::held).mapToInt(Step::offeredPerS).max().orElse(-1);
    if (best < 0) {
      return String.format("below %,d/s (no step held)", rates.get(0));
    }
    boolean allHeld = steps.size() == rates.size() && steps.stream().allMatch(Step::held);
    return allHeld
        ? String.format("at least %,d/s (every step held)", best)
        : String.format("%,d/s", best);
  }
}
