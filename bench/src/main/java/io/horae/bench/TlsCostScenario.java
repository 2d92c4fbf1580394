package io.horae.bench;

import io.horae.client.HoraeClient;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What TLS costs the cluster (issue 12, item 6): the same burst on the bench's cluster, then on a
 * second local cluster started after it in the other mode (plaintext when the bench's runs TLS),
 * auth on in both, the second warmed up as the first was, then on the bench's cluster again (A-B-A:
 * the first mode's figure is the mean of its two bursts, so drift over the run and the order do not
 * count as TLS). The report gives CPU-ms per create and per delivery of each mode, summed over the
 * node processes, and the difference.
 *
 * <p>Run it alone for a clean figure, {@code horae bench --scenarios tls}: after other scenarios
 * the bench's cluster holds their jobs and has run longer. The bench's cluster idles while the
 * second one is measured (its CPU is not counted, but it shares the cores).
 */
final class TlsCostScenario {
  private TlsCostScenario() {}

  static ScenarioResult run(BenchContext ctx, Path dir) throws Exception {
    ScenarioResult r = new ScenarioResult("tls");
    if (ctx.cluster() == null) {
      r.notes.add(
          "Skipped: the comparison starts a second local cluster, and the bench drives the cluster at --endpoints.");
      r.headline("TLS cost", "skipped (--endpoints)");
      return r;
    }
    BenchOptions o = ctx.options();
    int n = o.tlsCostJobs;
    ScenarioResult here = BurstScenario.run(ctx, "burst-" + label(o.tls), n);
    ScenarioResult there;
    boolean otherTls = !o.tls;
    ctx.progress()
        .done(
            String.format(
                "[tls] starting a second cluster, %s", otherTls ? "with TLS" : "in plaintext"));
    try (LocalCluster other =
        LocalCluster.start(
            dir.resolve("cluster-" + label(otherTls)),
            o.nodes,
            o.nodeHeap,
            false,
            o.certs,
            otherTls,
            null)) {
      Bench.awaitReady(other, ctx.progress());
      try (HoraeClient client = other.clientBuilder().deadline(Bench.CALL_DEADLINE).build()) {
        Bench.awaitLeader(client, other);
        BenchContext second =
            new BenchContext(
                client,
                ctx.receiver(),
                other,
                ctx.memory(),
                new CostMeter(other, other.adminUrls(), other.adminHttp()),
                o,
                ctx.progress(),
                ctx.run() + "b");
        if (!o.warmupDuration.isZero()) {
          Warmup.run(second);
        }
        there = BurstScenario.run(second, "burst-" + label(otherTls), n);
      }
    }
    ScenarioResult again = BurstScenario.run(ctx, "burst-" + label(o.tls) + "-again", n);
    ScenarioResult first = mean(here, again);
    ScenarioResult tls = o.tls ? first : there;
    ScenarioResult plain = o.tls ? there : first;
    r.put("jobs", n);
    r.put("tls", tls.figures);
    r.put("plaintext", plain.figures);
    double dDelivery =
        perOp(tls, "delivery_cost", "delivery") - perOp(plain, "delivery_cost", "delivery");
    double dCreate = perOp(tls, "create_cost", "create") - perOp(plain, "create_cost", "create");
    Map<String, Object> cost = new LinkedHashMap<>();
    cost.put("cpu_ms_per_delivery", dDelivery);
    cost.put("cpu_ms_per_create", dCreate);
    r.put("tls_cost", cost);
    r.headline("TLS on: burst", summary(tls));
    r.headline("plaintext: burst", summary(plain));
    r.headline(
        "TLS costs",
        String.format(
            "%s CPU-ms per delivery (%s), %s CPU-ms per create",
            signed(dDelivery),
            percent(dDelivery, perOp(plain, "delivery_cost", "delivery")),
            signed(dCreate)));
    r.headline(
        label(o.tls) + ": first and second burst",
        String.format(
            "%s / %s CPU-ms/delivery",
            Cost.format(perOp(here, "delivery_cost", "delivery")),
            Cost.format(perOp(again, "delivery_cost", "delivery"))));
    r.notes.add(
        String.format(
            "Bursts of %,d jobs: %s (the bench's own cluster), then %s on a second cluster warmed up the same way, then %s again; the %s figures are the mean of its two bursts.",
            n, label(o.tls), label(otherTls), label(o.tls), label(o.tls)));
    for (ScenarioResult b : java.util.List.of(here, there, again)) {
      r.charts.addAll(b.charts);
      r.notes.addAll(b.notes);
    }
    return r;
  }

  /**
   * Two bursts of one mode as one: CPU and allocation per op, and deliveries per second, are the
   * means; the counts and outcomes are summed, other figures are the second's.
   */
  private static ScenarioResult mean(ScenarioResult a, ScenarioResult b) {
    ScenarioResult m = new ScenarioResult(b.name);
    m.figures.putAll(b.figures);
    for (String key : java.util.List.of("delivery_cost", "create_cost")) {
      if (a.figures.get(key) instanceof Map<?, ?> ma
          && b.figures.get(key) instanceof Map<?, ?> mb) {
        Map<String, Object> avg = new LinkedHashMap<>();
        mb.forEach(
            (k, v) ->
                avg.put(
                    (String) k,
                    ma.get(k) instanceof Number x && v instanceof Number y
                        ? (x.doubleValue() + y.doubleValue()) / 2
                        : v));
        m.figures.put(key, avg);
      }
    }
    for (String key :
        java.util.List.of("expected", "delivered", "undelivered_at_end", "duplicates", "early")) {
      m.figures.put(key, a.count(key) + b.count(key));
    }
    m.figures.put(
        "deliveries_per_s",
        Math.round((a.count("deliveries_per_s") + b.count("deliveries_per_s")) / 2.0));
    return m;
  }

  private static String label(boolean tls) {
    return tls ? "tls" : "plaintext";
  }

  private static String summary(ScenarioResult burst) {
    return String.format(
        "%s deliveries/s, %s CPU-ms/delivery, %s CPU-ms/create, undelivered at the end / duplicates / early %s",
        burst.figures.get("deliveries_per_s"),
        Cost.format(perOp(burst, "delivery_cost", "delivery")),
        Cost.format(perOp(burst, "create_cost", "create")),
        burst.outcomeRow());
  }

  private static double perOp(ScenarioResult burst, String key, String op) {
    if (burst.figures.get(key) instanceof Map<?, ?> m
        && m.get("cpu_ms_per_" + op) instanceof Number v) {
      return v.doubleValue();
    }
    return Double.NaN;
  }

  private static String signed(double ms) {
    return Double.isNaN(ms) ? "n/a" : (ms >= 0 ? "+" : "") + String.format("%.3f", ms);
  }

  private static String percent(double delta, double base) {
    return Double.isNaN(delta) || Double.isNaN(base) || base == 0
        ? "n/a"
        : String.format("%+.0f %%", delta * 100 / base);
  }
}
