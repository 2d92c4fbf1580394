package io.horae.chaos;

import io.horae.chaos.check.Report;
import java.util.List;

/** The long profile's summary: one row per run, and the totals. */
final class SummaryTable {
  private SummaryTable() {}

  static String of(List<Report> reports) {
    StringBuilder b = new StringBuilder();
    String format = "%-16s %8s %8s %10s %10s %10s%n";
    b.append(
        String.format(format, "SEED", "FAULTS", "OPS", "DELIVERED", "DUPLICATES", "VIOLATIONS"));
    int faults = 0;
    int ops = 0;
    int deliveries = 0;
    int duplicates = 0;
    int violations = 0;
    for (Report r : reports) {
      int f = sum(r.faults().values());
      int o = sum(r.ops().values());
      b.append(
          String.format(
              format, r.seed(), f, o, r.deliveries(), r.duplicates(), r.violations().size()));
      faults += f;
      ops += o;
      deliveries += r.deliveries();
      duplicates += r.duplicates();
      violations += r.violations().size();
    }
    b.append(
        String.format(
            format, reports.size() + " runs", faults, ops, deliveries, duplicates, violations));
    return b.toString();
  }

  private static int sum(java.util.Collection<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).sum();
  }
}
