package io.horae.bench;

import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A large backlog (default 1,000,000 executions due in a day), then the steady load on top. Horae
 * keeps pending executions in RocksDB and only a bounded window in memory, so heap and RSS per node
 * should stay flat while the backlog grows and lateness should match the plain steady run. Memory
 * is sampled from each node's /metrics throughout.
 */
final class BacklogScenario {
  private BacklogScenario() {}

  static ScenarioResult run(BenchContext ctx, ScenarioResult steadyBefore) throws Exception {
    BenchOptions o = ctx.options();
    int n = o.backlogJobs;
    Map<String, MemorySampler.Sample> before = ctx.memory().latest();
    long due = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1);
    Loader loader = ctx.loader();
    CostMeter.Reading beforeLoad = ctx.cost().read();
    long start = System.currentTimeMillis();
    long created = loader.loadOneShots(ctx, "backlogload", n, due, Long.MAX_VALUE);
    double loadSeconds = (System.currentTimeMillis() - start) / 1e3;
    Cost loadCost = ctx.cost().since(beforeLoad);
    ctx.progress()
        .done(
            String.format(
                "[backlog] %,d pending executions loaded in %.1f s (%,.0f creates/s)",
                created, loadSeconds, created / loadSeconds));
    // What is measured is the steady load on top of the backlog at rest, not the load's aftermath:
    // compactions of a million new rows would run on every node at once (in the runs so far they
    // ended with the load; docs/bench.md, "The backlog after a restart and after its load").
    long settleMs = Waits.storageSettled(ctx);
    ctx.progress()
        .done(
            String.format(
                "[backlog] the nodes' RocksDB quiet (no compaction for 3 s) %.1f s after the load",
                settleMs / 1e3));
    Map<String, MemorySampler.Sample> loaded = ctx.memory().latest();
    long measuredFrom = System.currentTimeMillis();
    ScenarioResult r =
        SteadyScenario.run(ctx, "backlog", o.steadyRate, o.backlogSteadyDuration.toSeconds(), null);
    Map<String, MemorySampler.Sample> after = ctx.memory().latest();
    Map<String, double[]> heapRange =
        heapRange(ctx.memory().samples(), measuredFrom, System.currentTimeMillis());
    r.put("backlog_jobs", n);
    r.put("backlog_created", created);
    r.put("backlog_refused", loader.refused().byCode());
    r.put("backlog_create_failures", loader.gaveUp().byCode());
    r.cost("load_cost", loadCost, created, "create");
    r.put("load_seconds", loadSeconds);
    r.put("compactions_after_load_s", settleMs / 1e3);
    r.put("load_creates_per_s", Math.round(created / loadSeconds));
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("before_load", mb(before));
    memory.put("after_load", mb(loaded));
    memory.put("after_steady", mb(after));
    Map<String, Object> range = new LinkedHashMap<>();
    heapRange.forEach(
        (node, lowHigh) ->
            range.put(
                node,
                Map.of(
                    "lowest",
                    Math.round(lowHigh[0] / 1e6),
                    "highest",
                    Math.round(lowHigh[1] / 1e6))));
    memory.put("heap_while_measured", range);
    r.put("memory_mb", memory);
    r.headline(
        "pending executions",
        String.format(
            "%,d loaded in %.0f s (%,.0f creates/s, %s; refused: %s), RocksDB quiet (no compaction for 3 s) %.0f s later",
            created,
            loadSeconds,
            created / loadSeconds,
            loadCost.cpuPer(created, "create"),
            loader.refused(),
            settleMs / 1e3));
    r.headline(
        "heap per node before → after", transition(before, after, MemorySampler.Sample::heapBytes));
    r.headline(
        "RSS per node before → after", transition(before, after, MemorySampler.Sample::rssBytes));
    // Heap in use includes garbage not yet collected (up to -Xmx at one instant); its lowest
    // sample in the measured minute is about what the collections left: the live data.
    r.headline("heap per node while measured, lowest → highest sample", arrows(heapRange));
    if (steadyBefore != null
        && steadyBefore.figures.get("lateness_ms") instanceof Map<?, ?> plain) {
      r.put("baseline", steadyBefore.name);
      r.put("baseline_lateness_ms", plain);
      if (!steadyBefore.name.equals("steady")) {
        r.notes.add(
            "The lateness without the backlog was measured again just before the load, on the same"
                + " JVMs: nodes had been restarted since the steady scenario, or it did not run.");
      }
      r.headline(
          "steady lateness p99 without → with backlog",
          plain.get("p99") + " → " + ((Map<?, ?>) r.figures.get("lateness_ms")).get("p99") + " ms");
    }
    Chart heap =
        Chart.xy(
            "memory-heap.png",
            "Heap in use per node (whole bench)",
            "seconds since bench start",
            "MB");
    Chart rss =
        Chart.xy(
            "memory-rss.png",
            "Resident set size per node (whole bench)",
            "seconds since bench start",
            "MB");
    ctx.memory()
        .samples()
        .forEach(
            (node, samples) -> {
              heap.with(node, series(samples, MemorySampler.Sample::heapBytes));
              rss.with(node, series(samples, MemorySampler.Sample::rssBytes));
            });
    r.charts.add(heap);
    r.charts.add(rss);
    return r;
  }

  /**
   * Each node's lowest and highest heap sample taken within [from, to]; nodes without one are left
   * out.
   */
  static Map<String, double[]> heapRange(
      Map<String, List<MemorySampler.Sample>> samples, long from, long to) {
    Map<String, double[]> out = new LinkedHashMap<>();
    samples.forEach(
        (node, list) -> {
          DoubleSummaryStatistics heap =
              list.stream()
                  .filter(s -> s.atMs() >= from && s.atMs() <= to && !Double.isNaN(s.heapBytes()))
                  .mapToDouble(MemorySampler.Sample::heapBytes)
                  .summaryStatistics();
          if (heap.getCount() > 0) {
            out.put(node, new double[] {heap.getMin(), heap.getMax()});
          }
        });
    return out;
  }

  /** "n1 A MB → B MB, n2 ..." from each node's pair of byte counts. */
  private static String arrows(Map<String, double[]> byNode) {
    StringBuilder b = new StringBuilder();
    byNode.forEach(
        (node, lowHigh) ->
            b.append(b.isEmpty() ? "" : ", ")
                .append(node)
                .append(' ')
                .append(Waits.mb(lowHigh[0]))
                .append(" → ")
                .append(Waits.mb(lowHigh[1])));
    return b.isEmpty() ? "no samples" : b.toString();
  }

  private static Map<String, Object> mb(Map<String, MemorySampler.Sample> samples) {
    Map<String, Object> out = new LinkedHashMap<>();
    samples.forEach(
        (node, s) ->
            out.put(
                node,
                Map.of(
                    "heap",
                    Math.round(s.heapBytes() / 1e6),
                    "rss",
                    Math.round(s.rssBytes() / 1e6))));
    return out;
  }

  private static String transition(
      Map<String, MemorySampler.Sample> before,
      Map<String, MemorySampler.Sample> after,
      java.util.function.ToDoubleFunction<MemorySampler.Sample> f) {
    Map<String, double[]> pairs = new LinkedHashMap<>();
    after.forEach(
        (node, s) -> {
          MemorySampler.Sample was = before.get(node);
          pairs.put(
              node,
              new double[] {was == null ? Double.NaN : f.applyAsDouble(was), f.applyAsDouble(s)});
        });
    return arrows(pairs);
  }

  private static double[][] series(
      List<MemorySampler.Sample> samples,
      java.util.function.ToDoubleFunction<MemorySampler.Sample> f) {
    List<MemorySampler.Sample> ok =
        samples.stream().filter(s -> !Double.isNaN(f.applyAsDouble(s))).toList();
    double[][] out = new double[2][ok.size()];
    long t0 = samples.isEmpty() ? 0 : samples.get(0).atMs();
    for (int i = 0; i < ok.size(); i++) {
      out[0][i] = (ok.get(i).atMs() - t0) / 1e3;
      out[1][i] = f.applyAsDouble(ok.get(i)) / 1e6;
    }
    return out;
  }
}
