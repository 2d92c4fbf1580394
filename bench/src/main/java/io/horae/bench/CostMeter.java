package io.horae.bench;

import java.util.LinkedHashMap;
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
 * prints as "n/a". The bench's own JVM (clients, receiver) is not counted.
 */
final class CostMeter {
  static final String CPU_METRIC = "process_cpu_time_ns_total";
  static final String ALLOCATED_METRIC = "horae_process_allocated_bytes_total";

  /** Cumulative counters per node at one moment; NaN where a node gave none. */
  record Reading(Map<String, Double> cpuNs, Map<String, Double> allocatedBytes) {}

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
    Map<String, Double> cpu = new LinkedHashMap<>();
    Map<String, Double> allocated = new LinkedHashMap<>();
    adminUrls.forEach(
        (id, url) -> {
          String text = Metrics.scrape(http, url);
          cpu.put(
              id,
              cluster != null
                  ? local.getOrDefault(id, Double.NaN)
                  : Metrics.sum(text, CPU_METRIC, ""));
          allocated.put(id, Metrics.sum(text, ALLOCATED_METRIC, ""));
        });
    return new Reading(cpu, allocated);
  }

  /** What was spent since {@code before}. */
  Cost since(Reading before) {
    return Cost.between(before, read());
  }
}
