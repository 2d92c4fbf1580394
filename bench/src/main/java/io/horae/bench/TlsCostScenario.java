package io.horae.bench;

import io.horae.client.HoraeClient;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What TLS costs the cluster (issue 12, item 6): the same burst on the bench's cluster and on a
 * second local cluster started after it in the other mode (plaintext when the bench's runs TLS),
 * auth on in both, the second warmed up as the first was. The report gives CPU-ms per create and
 * per delivery of each, summed over the node processes, and the difference.
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
      r.notes.add("Skipped: the comparison starts a second local cluster, and the bench drives the cluster at --endpoints.");
      r.headline("TLS cost", "skipped (--endpoints)");
      return r;
    }
    BenchOptions o = ctx.options();
    int n = o.tlsCostJobs;
    ScenarioResult here = BurstScenario.run(ctx, "burst-" + label(o.tls), n);
    ScenarioResult there;
    boolean otherTls = !o.tls;
    ctx.progress().done(String.format("[tls] starting a second cluster, %s", otherTls ? "with TLS" : "in plaintext"));
    try (LocalCluster other = LocalCluster.start(dir.resolve("cluster-" + label(otherTls)), o.nodes, o.nodeHeap, false, o.certs, otherTls)) {
      Bench.awaitReady(other, ctx.progress());
      try (HoraeClient client = other.clientBuilder().deadline(Bench.CALL_DEADLINE).build()) {
        Bench.awaitLeader(client, other);
        BenchContext second =
            new BenchContext(client, ctx.receiver(), other, ctx.memory(), new CostMeter(other, other.adminUrls(), other.adminHttp()), o, ctx.progress(), ctx.run() + "b");
        if (!o.warmupDuration.isZero()) {
          Warmup.run(second);
        }
        there = BurstScenario.run(second, "burst-" + label(otherTls), n);
      }
    }
    ScenarioResult tls = o.tls ? here : there;
    ScenarioResult plain = o.tls ? there : here;
    r.put("jobs", n);
    r.put("tls", tls.figures);
    r.put("plaintext", plain.figures);
    double dDelivery = perOp(tls, "delivery_cost", "delivery") - perOp(plain, "delivery_cost", "delivery");
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
            signed(dDelivery), percent(dDelivery, perOp(plain, "delivery_cost", "delivery")), signed(dCreate)));
    r.notes.add(String.format("The %s cluster ran first (the bench's own), the %s one after it on the same machine; both warmed up the same way before the burst of %,d jobs.", label(o.tls), label(otherTls), n));
    r.charts.addAll(tls.charts);
    r.charts.addAll(plain.charts);
    r.notes.addAll(tls.notes);
    r.notes.addAll(plain.notes);
    return r;
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
    if (burst.figures.get(key) instanceof Map<?, ?> m && m.get("cpu_ms_per_" + op) instanceof Number v) {
      return v.doubleValue();
    }
    return Double.NaN;
  }

  private static String signed(double ms) {
    return Double.isNaN(ms) ? "n/a" : (ms >= 0 ? "+" : "") + String.format("%.3f", ms);
  }

  private static String percent(double delta, double base) {
    return Double.isNaN(delta) || Double.isNaN(base) || base == 0 ? "n/a" : String.format("%+.0f %%", delta * 100 / base);
  }
}
