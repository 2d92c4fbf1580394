package io.horae.bench;

import io.horae.api.v1.ClusterStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The facts a reader needs to compare two reports: machine, JDK, cluster and sizes. */
final class Machine {
  private Machine() {}

  static Map<String, Object> facts(BenchOptions o, ClusterStatus status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", Instant.now().toString());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory", memTotal());
    m.put("cpu", procLine(Path.of("/proc/cpuinfo"), "model name"));
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("jdk", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
    m.put(
        "cluster",
        o.endpoints == null
            ? o.nodes
                + " local node processes, -Xmx"
                + o.nodeHeap
                + " each, "
                + (LocalCluster.nodeConfigOverridesText().isEmpty()
                    ? "default config"
                    : "default config but " + LocalCluster.nodeConfigOverridesText())
                + ", on the same machine as the bench"
            : "endpoints " + o.endpoints);
    if (o.endpoints == null) {
      m.put("node_jvm", String.join(" ", LocalCluster.nodeJvmOptions()));
    }
    m.put("raft_group", status.getGroupId());
    m.put("shards", status.getShardCount());
    m.put("receiver", "built-in, 127.0.0.1, answers 200 at once");
    m.put(
        "node_aot_cache",
        o.endpoints != null
            ? "unknown (not a local cluster)"
            : o.nodeAotCache
                ? "yes: the nodes started from the ahead-of-time cache of bin/lib/aot.sh"
                : "no");
    m.put(
        "warm_up",
        o.warmupDuration.isZero()
            ? "none"
            : String.format(
                "%d s at %,d/s of batched creates and deliveries, and single creates, then %,d one-shot jobs due at one instant, then %,d single creates %d in flight, before the measured scenarios (not measured)",
                o.warmupDuration.toSeconds(),
                o.warmupRate,
                o.warmupBurstJobs,
                o.warmupCreates,
                BenchOptions.WARMUP_CREATES_IN_FLIGHT));
    m.put(
        "sizes",
        String.format(
            "cold start %,d/s for %d s; ladder %s per s, %d s each; burst %,d; steady %,d/s for %d s; failover %d s (down %d s); backlog %,d + %d s; create %d s per level, batch %d",
            o.coldStartRate,
            o.coldStartDuration.toSeconds(),
            o.ladderRates,
            o.ladderStep.toSeconds(),
            o.burstJobs,
            o.steadyRate,
            o.steadyDuration.toSeconds(),
            o.failoverDuration.toSeconds(),
            o.failoverDown.toSeconds(),
            o.backlogJobs,
            o.backlogSteadyDuration.toSeconds(),
            o.createLevel.toSeconds(),
            o.batchSize));
    return m;
  }

  private static String memTotal() {
    String kb = procLine(Path.of("/proc/meminfo"), "MemTotal");
    try {
      return String.format(
          "%.1f GiB", Long.parseLong(kb.replace("kB", "").trim()) / 1024.0 / 1024.0);
    } catch (NumberFormatException e) {
      return String.format(
          "%.1f GiB max heap of the bench JVM",
          Runtime.getRuntime().maxMemory() / 1024.0 / 1024 / 1024);
    }
  }

  /** The value after "key:" on the first matching line of a /proc file, or "unknown". */
  private static String procLine(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the fact is unknown.
    }
    return "unknown";
  }
}
