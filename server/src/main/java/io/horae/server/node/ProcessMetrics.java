package io.horae.server.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's meter registry, with the process meters every operator looks at first: JVM heap and
 * non-heap by pool ({@code jvm_memory_used_bytes}), threads, CPU, and the resident set size ({@code
 * horae_process_rss_bytes}, Linux only; NaN elsewhere), and the bytes allocated on the heap since
 * the start ({@code horae_process_allocated_bytes_total}). {@code horae bench} samples heap and RSS
 * from here, and reads CPU ({@code process_cpu_time_ns_total}) and allocation before and after each
 * measured phase, for its cost per operation.
 */
final class ProcessMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMetrics() {}

  static PrometheusMeterRegistry registry(String nodeId) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", nodeId);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    // Runtime.maxMemory is -Xmx (or the JVM's default): the sum of jvm_memory_max_bytes over the
    // heap pools is not, since a pool without a limit of its own reports -1.
    Gauge.builder("horae.process.heap.max", Runtime.getRuntime(), Runtime::maxMemory)
        .baseUnit("bytes")
        .description("most heap the JVM will use (-Xmx)")
        .register(registry);
    Gauge.builder("horae.process.rss", ProcessMetrics::rssBytes)
        .baseUnit("bytes")
        .description("resident set size of the process")
        .register(registry);
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        && threads.isThreadAllocatedMemorySupported()) {
      // Micrometer's jvm.gc.memory.allocated counts only at young collections, so it lags by up
      // to an eden's worth; this counter is exact at every scrape (live and ended threads alike).
      threads.setThreadAllocatedMemoryEnabled(true);
      FunctionCounter.builder("horae.process.allocated", threads, ProcessMetrics::allocatedBytes)
          .baseUnit("bytes")
          .description("bytes allocated on the heap by every thread since the process started")
          .register(registry);
    }
    return registry;
  }

  /** Total heap bytes allocated; NaN while the JVM does not count (it answers -1 then). */
  private static double allocatedBytes(com.sun.management.ThreadMXBean threads) {
    long bytes = threads.getTotalThreadAllocatedBytes();
    return bytes < 0 ? Double.NaN : bytes;
  }

  /** VmRSS of /proc/self/status in bytes, or NaN where there is no such file. */
  static double rssBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or a format we do not know: no figure rather than a wrong one.
    }
    return Double.NaN;
  }
}
