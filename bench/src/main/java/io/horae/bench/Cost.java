package io.horae.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the node processes spent during one phase, summed over the nodes: CPU in ms and bytes
 * allocated; NaN when unknown. {@code restarted}: a node's counter went backwards (it was restarted
 * during the phase), so for that node only what it spent since the restart counts and the figure is
 * a lower bound. {@code fenceClosedS}: per node and reason, the seconds of the phase in which the
 * node fired nothing because its fence was closed (a node's stall, named by its cause). {@code
 * jitCpuMs}: the part of {@code cpuMs} the nodes' JIT compiler threads took; NaN when unknown (with
 * {@code --endpoints}).
 */
record Cost(
    double cpuMs,
    double allocatedBytes,
    boolean restarted,
    Map<String, Map<String, Double>> fenceClosedS,
    double jitCpuMs) {
  static final Cost UNKNOWN = new Cost(Double.NaN, Double.NaN, false, Map.of(), Double.NaN);

  /** Closed less than this in a phase is not worth a word in the headline. */
  static final double FENCE_WORTH_NAMING_S = 0.05;

  static Cost between(CostMeter.Reading before, CostMeter.Reading after) {
    boolean[] restarted = {false};
    double cpuNs = delta(before.cpuNs(), after.cpuNs(), restarted);
    double allocated = delta(before.allocatedBytes(), after.allocatedBytes(), restarted);
    Map<String, Map<String, Double>> fence = new java.util.TreeMap<>();
    after
        .fenceClosedS()
        .forEach(
            (node, reasons) -> {
              Map<String, Double> was = before.fenceClosedS().getOrDefault(node, Map.of());
              Map<String, Double> spent = new LinkedHashMap<>();
              reasons.forEach(
                  (reason, s) -> {
                    double prior = was.getOrDefault(reason, 0.0);
                    // A restarted node's counter starts again from zero.
                    spent.put(reason, s >= prior ? s - prior : s);
                  });
              fence.put(node, spent);
            });
    double jitNs =
        after.jitCpuNs().isEmpty()
            ? Double.NaN
            : delta(before.jitCpuNs(), after.jitCpuNs(), new boolean[1]);
    return new Cost(cpuNs / 1e6, allocated, restarted[0], fence, jitNs / 1e6);
  }

  /**
   * Time each node fired nothing because its fence was closed, for the headline: "n1 4.20 s
   * (apply_behind 4.00, no_lease 0.20), n2 0.00 s, n3 0.00 s"; "n/a" when no node said.
   */
  String fenceClosed() {
    if (fenceClosedS.isEmpty()) {
      return "n/a";
    }
    List<String> nodes = new ArrayList<>();
    fenceClosedS.forEach(
        (node, reasons) -> {
          double total = reasons.values().stream().mapToDouble(Double::doubleValue).sum();
          List<String> named = new ArrayList<>();
          reasons.forEach(
              (reason, s) -> {
                if (s >= FENCE_WORTH_NAMING_S) {
                  named.add(String.format("%s %.2f", reason, s));
                }
              });
          nodes.add(
              String.format("%s %.2f s", node, total)
                  + (named.isEmpty() ? "" : " (" + String.join(", ", named) + ")"));
        });
    return String.join(", ", nodes);
  }

  private static double delta(
      Map<String, Double> before, Map<String, Double> after, boolean[] restarted) {
    if (after.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (Map.Entry<String, Double> e : after.entrySet()) {
      double was = before.getOrDefault(e.getKey(), Double.NaN);
      double now = e.getValue();
      if (now < was) {
        restarted[0] = true;
        sum += now;
      } else {
        // NaN on either side makes the sum NaN: one node unknown, the cluster's figure unknown.
        sum += now - was;
      }
    }
    return sum;
  }

  /**
   * CPU-ms per op, for tables: "0.31 CPU-ms/delivery (JIT 12 %)", the JIT compilers' share left out
   * when unknown; "n/a CPU-ms/delivery".
   */
  String cpuPer(long ops, String op) {
    double share = jitShare();
    return format(cpuMs / ops)
        + " CPU-ms/"
        + op
        + (Double.isNaN(share) ? "" : String.format(" (JIT %.0f %%)", 100 * share));
  }

  /** The JIT compilers' share of the CPU, 0 to 1; NaN when either figure is unknown or no CPU. */
  double jitShare() {
    return cpuMs > 0 && jitCpuMs >= 0 ? Math.min(1, jitCpuMs / cpuMs) : Double.NaN;
  }

  /** Bytes allocated per op, for tables: "42.1 KB/delivery". */
  String allocatedPer(long ops, String op) {
    double perOp = allocatedBytes / ops;
    return (Double.isNaN(perOp) || ops == 0 ? "n/a" : String.format("%,.1f KB", perOp / 1e3))
        + " allocated/"
        + op;
  }

  /** The JSON figures: totals and per op; null where unknown. */
  Map<String, Object> figures(long ops, String op) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cpu_ms", round(cpuMs, 1));
    out.put("cpu_ms_per_" + op, ops == 0 ? null : round(cpuMs / ops, 4));
    out.put("allocated_bytes", Double.isNaN(allocatedBytes) ? null : Math.round(allocatedBytes));
    out.put(
        "allocated_bytes_per_" + op,
        ops == 0 || Double.isNaN(allocatedBytes) ? null : Math.round(allocatedBytes / ops));
    out.put("jit_cpu_ms", round(jitCpuMs, 1));
    out.put("jit_share", round(jitShare(), 3));
    if (!fenceClosedS.isEmpty()) {
      Map<String, Object> fence = new LinkedHashMap<>();
      fenceClosedS.forEach(
          (node, reasons) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            reasons.forEach((reason, s) -> r.put(reason, round(s, 3)));
            fence.put(node, r);
          });
      out.put("fence_closed_s", fence);
    }
    if (restarted) {
      out.put(
          "lower_bound",
          "a node restarted during the phase; only its spending since the restart counts");
    }
    return out;
  }

  static String format(double ms) {
    if (Double.isNaN(ms) || Double.isInfinite(ms)) {
      return "n/a";
    }
    return ms < 10 ? String.format("%.2f", ms) : String.format("%,.0f", ms);
  }

  private static Object round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
