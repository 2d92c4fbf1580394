package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the report says a phase cost: /proc and Prometheus parsing, deltas across restarts. */
class CostTest {
  @Test
  void cpuTimeIsUserPlusSystemTicksEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 50 0 0 20 0 40 0 100 0 0";

    assertThat(ProcStat.parseCpuNs(stat)).isEqualTo(300 * 10_000_000.0);
  }

  @Test
  void theCompilersCpuIsTheSumOfTheThreadsNamedAsHotSpotsCompilersAndNoOtherThread(
      @TempDir Path tasks) throws Exception {
    task(tasks, 11, "java", 500);
    task(tasks, 12, "C2 CompilerThre", 120);
    task(tasks, 13, "C1 CompilerThre", 30);
    task(tasks, 14, "C2 CompilerThre", 7);
    task(tasks, 15, "CompilerThread", 1_000); // not HotSpot's name for a compiler thread
    task(tasks, 16, "VM Thread", 900);

    assertThat(ProcStat.compilerCpuNs(tasks)).isEqualTo(157 * 10_000_000.0);
    assertThat(ProcStat.compilerCpuNs(tasks.resolve("gone"))).isNaN();
  }

  private static void task(Path tasks, int tid, String comm, int ticks) throws Exception {
    Path dir = Files.createDirectories(tasks.resolve(Integer.toString(tid)));
    Files.writeString(
        dir.resolve("stat"),
        tid + " (" + comm + ") S 1 1 1 0 -1 0 0 0 0 0 " + ticks + " 0 0 0 20 0 1 0 100 0 0");
  }

  @Test
  void theJitsShareIsItsCpuOverTheNodesCpuAndIsLeftOutWhenUnknown() {
    CostMeter.Reading before =
        new CostMeter.Reading(Map.of("n1", 1e9), Map.of("n1", 0.0), Map.of(), Map.of("n1", 1e8));
    CostMeter.Reading after =
        new CostMeter.Reading(Map.of("n1", 3e9), Map.of("n1", 0.0), Map.of(), Map.of("n1", 3e8));

    Cost c = Cost.between(before, after);

    assertThat(c.jitCpuMs()).isEqualTo(200.0);
    assertThat(c.cpuPer(8_000, "delivery")).isEqualTo("0.25 CPU-ms/delivery (JIT 10 %)");
    assertThat(c.figures(8_000, "delivery"))
        .containsEntry("jit_cpu_ms", 200.0)
        .containsEntry("jit_share", 0.1);
    Cost endpoints =
        Cost.between(
            new CostMeter.Reading(Map.of("n1", 1e9), Map.of()),
            new CostMeter.Reading(Map.of("n1", 3e9), Map.of()));
    assertThat(endpoints.cpuPer(8_000, "delivery")).isEqualTo("0.25 CPU-ms/delivery");
    assertThat(endpoints.figures(8_000, "delivery")).containsEntry("jit_share", null);
  }

  @Test
  void aCounterSeriesIsSummedByNameAndNotConfusedWithALongerName() {
    String text =
        "# TYPE process_cpu_time_ns_total counter\n"
            + "process_cpu_time_ns_total{node=\"n1\"} 2.5E9\n"
            + "process_cpu_time_ns_total_other{node=\"n1\"} 7.0\n"
            + "horae_process_allocated_bytes_total{node=\"n1\"} 1.0E6\n";

    assertThat(Metrics.sum(text, CostMeter.CPU_METRIC, "")).isEqualTo(2.5e9);
    assertThat(Metrics.sum(text, CostMeter.ALLOCATED_METRIC, "")).isEqualTo(1.0e6);
    assertThat(Metrics.sum(text, "jvm_gc_memory_allocated_bytes_total", "")).isNaN();
    assertThat(Metrics.sum(null, CostMeter.CPU_METRIC, "")).isNaN();
  }

  @Test
  void aPhaseCostsTheSumOfEveryNodesDeltaAndPerOperationIsThatOverTheCount() {
    CostMeter.Reading before =
        new CostMeter.Reading(Map.of("n1", 1e9, "n2", 2e9), Map.of("n1", 1e6, "n2", 1e6));
    CostMeter.Reading after =
        new CostMeter.Reading(Map.of("n1", 1.5e9, "n2", 2.5e9), Map.of("n1", 3e6, "n2", 2e6));

    Cost c = Cost.between(before, after);

    assertThat(c.cpuMs()).isEqualTo(1_000.0);
    assertThat(c.allocatedBytes()).isEqualTo(3e6);
    assertThat(c.restarted()).isFalse();
    assertThat(c.cpuPer(4_000, "delivery")).isEqualTo("0.25 CPU-ms/delivery");
    assertThat(c.figures(4_000, "delivery"))
        .containsEntry("cpu_ms_per_delivery", 0.25)
        .containsEntry("allocated_bytes_per_delivery", 750L);
  }

  @Test
  void aCounterThatWentBackwardsCountsFromItsRestartAndMarksTheFigureALowerBound() {
    CostMeter.Reading before = new CostMeter.Reading(Map.of("n1", 5e9), Map.of("n1", 9e6));
    CostMeter.Reading after = new CostMeter.Reading(Map.of("n1", 6e9), Map.of("n1", 1e6));

    Cost c = Cost.between(before, after);

    assertThat(c.allocatedBytes()).isEqualTo(1e6);
    assertThat(c.restarted()).isTrue();
    assertThat(c.figures(1, "execution")).containsKey("lower_bound");
  }

  @Test
  void aNodeWithoutTheMeterMakesTheFigureNotAvailableRatherThanWrong() {
    CostMeter.Reading before = new CostMeter.Reading(Map.of("n1", Double.NaN), Map.of());
    CostMeter.Reading after = new CostMeter.Reading(Map.of("n1", Double.NaN), Map.of());

    Cost c = Cost.between(before, after);

    assertThat(c.cpuPer(10, "create")).isEqualTo("n/a CPU-ms/create");
    assertThat(c.allocatedPer(10, "create")).isEqualTo("n/a allocated/create");
    assertThat(c.figures(10, "create")).containsEntry("cpu_ms", null);
  }

  @Test
  void theFenceClosedInAPhaseIsEachNodesDeltaByReasonAndARestartedNodeCountsFromZero() {
    CostMeter.Reading before =
        new CostMeter.Reading(
            Map.of("n1", 1e9, "n2", 1e9),
            Map.of("n1", 1e6, "n2", 1e6),
            Map.of(
                "n1", Map.of("no_lease", 2.0, "apply_behind", 10.0),
                "n2", Map.of("no_lease", 7.0, "apply_behind", 0.0)));
    CostMeter.Reading after =
        new CostMeter.Reading(
            Map.of("n1", 2e9, "n2", 2e9),
            Map.of("n1", 2e6, "n2", 2e6),
            Map.of(
                "n1", new java.util.TreeMap<>(Map.of("no_lease", 2.01, "apply_behind", 14.25)),
                "n2", new java.util.TreeMap<>(Map.of("no_lease", 0.5, "apply_behind", 0.0))));

    Cost c = Cost.between(before, after);

    assertThat(c.fenceClosed())
        .isEqualTo("n1 4.26 s (apply_behind 4.25), n2 0.50 s (no_lease 0.50)");
    assertThat(c.figures(1, "execution")).containsKey("fence_closed_s");
    assertThat(Cost.between(before, before).fenceClosed()).isEqualTo("n1 0.00 s, n2 0.00 s");
    assertThat(Cost.UNKNOWN.fenceClosed()).isEqualTo("n/a");
  }

  @Test
  void theFenceCounterIsReadByReasonFromTheNodesMetrics() {
    String text =
        "horae_lease_fence_closed_seconds_total{node=\"n1\",reason=\"apply_behind\"} 3.5\n"
            + "horae_lease_fence_closed_seconds_total{node=\"n1\",reason=\"no_lease\"} 0.25\n";

    assertThat(Metrics.sum(text, CostMeter.FENCE_CLOSED_METRIC, "reason=\"apply_behind\""))
        .isEqualTo(3.5);
    assertThat(Metrics.sum(text, CostMeter.FENCE_CLOSED_METRIC, "reason=\"map_behind\"")).isNaN();
  }
}
