package io.horae.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the cluster's node processes spend, read at the start and the end of each measured phase
 * (issue 11 item 5): CPU time summed over the nodes, and bytes allocated on their heaps.
 *
 * <p>CPU of a local cluster comes from /proc/&lt;pid&gt;/stat of each node process (user + system,
 * every thread, the JIT and GC included), so a node the bench kills mid-phase still counts up to
 * its kill. With {@code --endpoints} it comes from each node's {@value #CPU_METRIC} (Micrometer's
 * {@code process.cpu.time}); allocation always from {@value #ALLOCATED_METRIC} (the node's {@code
 * ThreadMXBean.getTotalThreadAllocatedBytes}). A figure no node gives is NaN, which the report
 * prints as "n/a". The bench's own JVM (clients, receiver) is not counted. Of a local cluster's
 * CPU, the share of the JIT compiler threads is read too ({@link ProcStat#compilerCpuNs}).
 */
final class CostMeter {
  static final String CPU_METRIC = "process_cpu_time_ns_total";
  static final String ALLOCATED_METRIC = "horae_process_allocated_bytes_total";

  /** Seconds a node fired nothing because its fence was closed, by reason (docs/failover.md). */
  static final String FENCE_CLOSED_METRIC = "horae_lease_fence_closed_seconds_total";

  static final List<String> FENCE_REASONS = List.of("no_lease", "map_behind", "apply_behind");

  /**
   * Cumulative counters per node at one moment; NaN where a node gave none. {@code fenceClosedS}:
   * node, then reason, to seconds; a node that gave none is absent.
   */
  record Reading(
      Map<String, Double> cpuNs,
      Map<String, Double> allocatedBytes,
      Map<String, Map<String, Double>> fenceClosedS,
      Map<String, Double> jitCpuNs) {
    Reading(Map<String, Double> cpuNs, Map<String, Double> allocatedBytes) {
      this(cpuNs, allocatedBytes, Map.of());
    }

    Reading(
        Map<String, Double> cpuNs,
        Map<String, Double> allocatedBytes,
        Map<String, Map<String, Double>> fenceClosedS) {
      this(cpuNs, allocatedBytes, fenceClosedS, Map.of());
    }
  }

  static final String SHED_SHARE_METRIC = "horae_admission_shed_share";

  /** Null when the bench drives given endpoints. */
  private final LocalCluster cluster;

  private final Map<String, String> adminUrls;
  private final AdminHttp http;

  CostMeter(LocalCluster cluster, Map<String, String> adminUrls, AdminHttp http) {
    this.cluster = cluster;
    this.adminUrls = Map.copyOf(adminUrls);
    this.http = http;
  }

  Reading read() {
    Map<String, Double> local = cluster != null ? cluster.cpuNs() : Map.of();
    // Only a local cluster's: a node's own meters cannot see its compiler threads' CPU.
    Map<String, Double> jit = cluster != null ? cluster.jitCpuNs() : Map.of();
    Map<String, Double> cpu = new LinkedHashMap<>();
    Map<String, Double> allocated = new LinkedHashMap<>();
    Map<String, Map<String, Double>> fence = new LinkedHashMap<>();
    adminUrls.forEach(
        (id, url) -> {
          String text = Metrics.scrape(http, url);
          cpu.put(
              id,
              cluster != null
                  ? local.getOrDefault(id, Double.NaN)
                  : Metrics.sum(text, CPU_METRIC, ""));
          allocated.put(id, Metrics.sum(text, ALLOCATED_METRIC, ""));
          Map<String, Double> closed = new LinkedHashMap<>();
          for (String reason : FENCE_REASONS) {
            double s = Metrics.sum(text, FENCE_CLOSED_METRIC, "reason=\"" + reason + "\"");
            if (!Double.isNaN(s)) {
              closed.put(reason, s);
            }
          }
          if (!closed.isEmpty()) {
            fence.put(id, closed);
          }
        });
    return new Reading(cpu, allocated, fence, jit);
  }

  /**
   * RocksDB's background work a node reports (docs/operating.md): its running compactions and the
   * bytes its compactions still owe.
   */
  static final List<String> STORAGE_DEBT_METRICS =
      List.of("horae_rocksdb_compactions_running", "horae_rocksdb_pending_compaction_bytes");

  /**
   * Whether a node's RocksDB is compacting or owes compaction now; false for a node that does not
   * answer or reports neither figure.
   */
  boolean storageBusy() {
    for (String url : adminUrls.values()) {
      String text = Metrics.scrape(http, url, STORAGE_DEBT_METRICS);
      for (String metric : STORAGE_DEBT_METRICS) {
        if (Metrics.sum(text, metric, "") > 0) { // NaN compares false
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The largest share of creates a node sheds now (horae_admission_shed_share, docs/delivery.md
   * "Admission"); 0 when no node answers with it.
   */
  double shedShareMax() {
    double max = 0;
    for (String url : adminUrls.values()) {
      String text = Metrics.scrape(http, url, List.of(SHED_SHARE_METRIC));
      double share = Metrics.sum(text, SHED_SHARE_METRIC, "");
      if (!Double.isNaN(share)) {
        max = Math.max(max, share);
      }
    }
    return max;
  }

  /** What was spent since {@code before}. */
  Cost since(Reading before) {
    return Cost.between(before, read());
  }
}
