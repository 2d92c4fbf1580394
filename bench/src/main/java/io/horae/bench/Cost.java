package io.horae.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the node processes spent during one phase, summed over the nodes: CPU in ms and bytes
 * allocated; NaN when unknown. {@code restarted}: a node's counter went backwards (it was restarted
 * during the phase), so for that node only what it spent since the restart counts and the figure is
 * a lower bound.
 */
record Cost(double cpuMs, double allocatedBytes, boolean restarted) {
  static final Cost UNKNOWN = new Cost(Double.NaN, Double.NaN, false);

  static Cost between(CostMeter.Reading before, CostMeter.Reading after) {
    boolean[] restarted = {false};
    double cpuNs = delta(before.cpuNs(), after.cpuNs(), restarted);
    double allocated = delta(before.allocatedBytes(), after.allocatedBytes(), restarted);
    return new Cost(cpuNs / 1e6, allocated, restarted[0]);
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

  /** CPU-ms per op, for tables: "0.31 CPU-ms/delivery", or "n/a CPU-ms/delivery". */
  String cpuPer(long ops, String op) {
    return format(cpuMs / ops) + " CPU-ms/" + op;
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
