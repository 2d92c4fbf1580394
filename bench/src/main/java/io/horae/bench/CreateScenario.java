package io.horae.bench;

import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.Schedule;
import io.horae.client.HoraeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Durable creates per second: for each client concurrency, callers create jobs for a fixed time,
 * one per call (CreateJob) and then {@code batchSize} per call (CreateJobs). A create counts when
 * the cluster acknowledged it, that is once it is committed in the Raft log of a majority. The jobs
 * are due in a week, so they stay pending and are not delivered during the bench.
 *
 * <p>Last, the floor under a single create: PreviewSchedule of the same one-shot schedule at the
 * highest single concurrency. It passes the same edge as CreateJob (TLS, HTTP/2, the auth
 * interceptor, protobuf, the schedule's validation, the API executor) and writes nothing, so its
 * CPU per call is what a create one per call costs before the log and apply.
 */
final class CreateScenario {
  /** One level's figures for the JSON, and its row of the summary table. */
  private record Level(Map<String, Object> figures, String row) {}

  /** What a level's callers send. */
  private enum Mode {
    SINGLE("single", "create"),
    BATCHED("batched", "create"),
    PREVIEW("preview", "call");

    final String label;
    final String unit;

    Mode(String label, String unit) {
      this.label = label;
      this.unit = unit;
    }
  }

  private CreateScenario() {}

  static ScenarioResult run(BenchContext ctx) throws InterruptedException {
    BenchOptions o = ctx.options();
    ScenarioResult r = new ScenarioResult("create");
    long dueMs = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(7);
    AtomicLong names = new AtomicLong();
    List<Map<String, Object>> levels = new ArrayList<>();
    Chart chart =
        Chart.xy(
            "create-rate.png", "Creates acknowledged per second", "calls in flight", "creates/s");
    for (boolean batched : new boolean[] {false, true}) {
      List<Integer> concurrencies = batched ? o.createBatchConcurrency : o.createConcurrency;
      double[][] line = new double[2][concurrencies.size()];
      for (int i = 0; i < concurrencies.size(); i++) {
        int c = concurrencies.get(i);
        Level result = level(ctx, batched ? Mode.BATCHED : Mode.SINGLE, c, dueMs, names);
        Map<String, Object> level = result.figures();
        levels.add(level);
        line[0][i] = c;
        line[1][i] = ((Number) level.get("creates_per_s")).doubleValue();
        String label =
            (batched ? "CreateJobs ×" + o.batchSize : "CreateJob") + ", " + c + " in flight";
        r.headline(label, result.row());
      }
      chart.with(batched ? "CreateJobs, " + o.batchSize + " per call" : "CreateJob", line);
    }
    int floorConcurrency = o.createConcurrency.stream().max(Integer::compare).orElse(1);
    Level floor = level(ctx, Mode.PREVIEW, floorConcurrency, dueMs, names);
    r.put("floor", floor.figures());
    r.headline("PreviewSchedule (writes nothing), " + floorConcurrency + " in flight", floor.row());
    r.put("levels", levels);
    r.put("level_seconds", o.createLevel.toSeconds());
    r.put("jobs_left_pending", names.get());
    r.charts.add(chart);
    r.notes.add(
        "Created jobs are due in a week and stay pending: later scenarios run on top of them.");
    r.notes.add(
        "PreviewSchedule is the floor under a single create: the same edge (TLS, HTTP/2, auth,"
            + " protobuf, the schedule's validation) with nothing written, so no Raft entry and no"
            + " apply; its CPU per call is what one create per call costs before the log.");
    return r;
  }

  private static Level level(
      BenchContext ctx, Mode mode, int concurrency, long dueMs, AtomicLong names)
      throws InterruptedException {
    BenchOptions o = ctx.options();
    boolean batched = mode == Mode.BATCHED;
    int perCall = batched ? o.batchSize : 1; // what a refused call counts
    int jobs = mode == Mode.PREVIEW ? 0 : perCall; // jobs built for each call
    PreviewScheduleRequest preview =
        PreviewScheduleRequest.newBuilder()
            .setNamespace(Jobs.NAMESPACE)
            .setSchedule(Schedule.newBuilder().setAtMs(dueMs))
            .setCount(1)
            .build();
    Histogram calls = new ConcurrentHistogram(60_000_000L, 3);
    AtomicLong acked = new AtomicLong();
    Refusals refused = new Refusals();
    CostMeter.Reading before = ctx.cost().read();
    long start = System.nanoTime();
    long end = start + o.createLevel.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      List<CreateJobRequest> batch = new ArrayList<>(jobs);
                      for (int k = 0; k < jobs; k++) {
                        batch.add(
                            Jobs.oneShot(
                                ctx.name("create", names.incrementAndGet()),
                                dueMs,
                                ctx.receiver().url()));
                      }
                      long t0 = System.nanoTime();
                      try {
                        if (mode == Mode.PREVIEW) {
                          ctx.client().preview(preview);
                          acked.incrementAndGet();
                        } else if (batched) {
                          for (var result : ctx.client().batches().create(batch).getResultsList()) {
                            if (result.getCode() == 0) {
                              acked.incrementAndGet();
                            } else {
                              refused.add(result.getCode(), result.getMessage());
                            }
                          }
                        } else {
                          ctx.client().create(batch.get(0).getJob(), batch.get(0).getRequestId());
                          acked.incrementAndGet();
                        }
                        calls.recordValue((System.nanoTime() - t0) / 1_000);
                      } catch (HoraeException e) {
                        for (int k = 0; k < perCall; k++) {
                          refused.add(e.code().value(), e.getMessage());
                        }
                      }
                      ctx.progress()
                          .update(
                              String.format(
                                  "[create] %s, %d in flight: %,d acknowledged",
                                  mode.label, concurrency, acked.get()));
                    }
                  }));
    }
    for (Thread t : workers) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Cost cost = ctx.cost().since(before);
    Map<String, Object> level = new LinkedHashMap<>();
    level.put("mode", mode.label);
    level.put("concurrency", concurrency);
    level.put("batch", perCall);
    level.put("acknowledged", acked.get());
    level.put("refused", refused.byCode());
    level.put("refused_examples", refused.examples());
    level.put(mode.unit + "s_per_s", Math.round(acked.get() / seconds));
    level.put("call_p50_ms", calls.getValueAtPercentile(50) / 1000.0);
    level.put("call_p99_ms", calls.getValueAtPercentile(99) / 1000.0);
    level.putAll(cost.figures(acked.get(), mode.unit));
    ctx.progress()
        .done(
            String.format(
                "[create] %s, %d in flight: %,.0f %ss/s",
                mode.label, concurrency, acked.get() / seconds, mode.unit));
    String row =
        String.format(
            "%,.0f %ss/s (call p50 %.1f ms, p99 %.0f ms), %s, refused: %s",
            acked.get() / seconds,
            mode.unit,
            calls.getValueAtPercentile(50) / 1000.0,
            calls.getValueAtPercentile(99) / 1000.0,
            cost.cpuPer(acked.get(), mode.unit),
            refused);
    return new Level(level, row);
  }
}
