package io.horae.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What the receiver saw during one scenario: the first copy of each execution (by idempotency key)
 * counts; later copies are duplicates. Lateness is arrival minus scheduled time, in ms, in an
 * HdrHistogram (3 significant digits, up to an hour).
 */
final class Deliveries {
  static final long LATENESS_MAX_MS = 3_600_000;
  private final List<Receiver.Arrival> first;
  private final int duplicates;
  private final int early;
  private final int otherScenarios;
  private final Histogram lateness = new Histogram(LATENESS_MAX_MS, 3);

  private Deliveries(
      List<Receiver.Arrival> first,
      int duplicates,
      int early,
      int otherScenarios,
      java.util.function.Predicate<String> timed) {
    this.first = first;
    this.duplicates = duplicates;
    this.early = early;
    this.otherScenarios = otherScenarios;
    for (Receiver.Arrival a : first) {
      if (!timed.test(a.key())) {
        continue;
      }
      lateness.recordValue(Math.min(LATENESS_MAX_MS, Math.max(0, a.arrivedMs() - a.scheduledMs())));
    }
  }

  /** The arrivals whose key starts with {@code keyPrefix} (one scenario's jobs). */
  static Deliveries of(List<Receiver.Arrival> arrivals, String keyPrefix) {
    return of(arrivals, keyPrefix, key -> true);
  }

  /**
   * As {@link #of(List, String)}, with lateness only over the keys {@code timed} accepts (the
   * others count as delivered but not in the lateness figures).
   */
  static Deliveries of(
      List<Receiver.Arrival> arrivals,
      String keyPrefix,
      java.util.function.Predicate<String> timed) {
    Map<String, Receiver.Arrival> byKey = new HashMap<>();
    int dup = 0;
    int others = 0;
    for (Receiver.Arrival a : arrivals) {
      if (!a.key().startsWith(keyPrefix)) {
        others++;
        continue;
      }
      Receiver.Arrival seen = byKey.putIfAbsent(a.key(), a);
      if (seen != null) {
        dup++;
        if (a.arrivedMs() < seen.arrivedMs()) {
          byKey.put(a.key(), a);
        }
      }
    }
    List<Receiver.Arrival> first = new ArrayList<>(byKey.values());
    first.sort(Comparator.comparingLong(Receiver.Arrival::arrivedMs));
    int early = (int) first.stream().filter(a -> a.arrivedMs() < a.scheduledMs()).count();
    return new Deliveries(first, dup, early, others, timed);
  }

  int distinct() {
    return first.size();
  }

  int duplicates() {
    return duplicates;
  }

  /**
   * Arrivals of other scenarios' executions during this one: late deliveries of an earlier scenario
   * whose settle time ended before they arrived. They share the cluster with this one.
   */
  int otherScenarios() {
    return otherScenarios;
  }

  /** How many of {@code keys} were delivered. */
  long deliveredAmong(java.util.Set<String> keys) {
    return first.stream().filter(a -> keys.contains(a.key())).count();
  }

  /** First copies that arrived within [fromMs, toMs). */
  long arrivedWithin(long fromMs, long toMs) {
    return first.stream().filter(a -> a.arrivedMs() >= fromMs && a.arrivedMs() < toMs).count();
  }

  /** Executions whose first copy arrived before their scheduled time (must be 0). */
  int early() {
    return early;
  }

  long firstMs() {
    return first.isEmpty() ? 0 : first.get(0).arrivedMs();
  }

  long lastMs() {
    return first.isEmpty() ? 0 : first.get(first.size() - 1).arrivedMs();
  }

  Histogram lateness() {
    return lateness;
  }

  /** p50, p90, p99, p99.9, max and mean lateness in ms. */
  Map<String, Object> latenessFigures() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (lateness.getTotalCount() == 0) {
      return out;
    }
    out.put("p50", lateness.getValueAtPercentile(50));
    out.put("p90", lateness.getValueAtPercentile(90));
    out.put("p99", lateness.getValueAtPercentile(99));
    out.put("p99_9", lateness.getValueAtPercentile(99.9));
    out.put("max", lateness.getMaxValue());
    out.put("mean", Math.round(lateness.getMean() * 10) / 10.0);
    return out;
  }

  /** First copies per node. */
  Map<String, Integer> perNode() {
    Map<String, Integer> out = new TreeMap<>();
    first.forEach(a -> out.merge(a.node(), 1, Integer::sum));
    return out;
  }

  /** Deliveries (first copies) per second since {@code startMs}: x seconds, y count. */
  double[][] perSecond(long startMs) {
    TreeMap<Long, Integer> buckets = new TreeMap<>();
    first.forEach(
        a -> buckets.merge(Math.max(0, (a.arrivedMs() - startMs) / 1000), 1, Integer::sum));
    if (buckets.isEmpty()) {
      return new double[][] {{}, {}};
    }
    long last = buckets.lastKey();
    double[] x = new double[(int) last + 1];
    double[] y = new double[(int) last + 1];
    for (int s = 0; s <= last; s++) {
      x[s] = s;
      y[s] = buckets.getOrDefault((long) s, 0);
    }
    return new double[][] {x, y};
  }

  /**
   * Jobs delivered under more than one idempotency key (a one-shot job has one execution, so this
   * must be 0: a duplicate under a new key).
   */
  long jobsWithSeveralKeys() {
    Map<String, Integer> keysPerJob = new HashMap<>();
    first.forEach(
        a ->
            keysPerJob.merge(
                a.key().substring(0, Math.max(0, a.key().lastIndexOf('@'))), 1, Integer::sum));
    return keysPerJob.values().stream().filter(k -> k > 1).count();
  }

  /** The worst lateness of the executions due in each second since {@code startMs}. */
  double[][] maxLatenessPerSecond(long startMs) {
    return maxLatenessPerSecond(startMs, null);
  }

  /**
   * Like {@link #maxLatenessPerSecond(long)}, for the deliveries sent by node {@code node} only
   * (null: all): a stall of one node (its apply behind, its lease lapsed) shows apart from one of
   * the whole cluster or of the bench's receiver.
   */
  double[][] maxLatenessPerSecond(long startMs, String node) {
    TreeMap<Long, Long> buckets = new TreeMap<>();
    first.stream()
        .filter(a -> node == null || node.equals(a.node()))
        .forEach(
            a ->
                buckets.merge(
                    Math.max(0, (a.scheduledMs() - startMs) / 1000),
                    a.arrivedMs() - a.scheduledMs(),
                    Math::max));
    double[][] out = new double[2][buckets.size()];
    int i = 0;
    for (Map.Entry<Long, Long> e : buckets.entrySet()) {
      out[0][i] = e.getKey();
      out[1][i++] = e.getValue();
    }
    return out;
  }

  /**
   * The p99 lateness of the executions due in each second since {@code startMs}: x seconds, y ms
   * (nearest rank over that second's executions).
   */
  double[][] p99PerSecond(long startMs) {
    TreeMap<Long, List<Long>> buckets = new TreeMap<>();
    first.forEach(
        a ->
            buckets
                .computeIfAbsent(
                    Math.max(0, (a.scheduledMs() - startMs) / 1000), s -> new ArrayList<>())
                .add(a.arrivedMs() - a.scheduledMs()));
    double[][] out = new double[2][buckets.size()];
    int i = 0;
    for (Map.Entry<Long, List<Long>> e : buckets.entrySet()) {
      List<Long> late = e.getValue();
      late.sort(null);
      out[0][i] = e.getKey();
      out[1][i++] = late.get((int) Math.ceil(late.size() * 0.99) - 1);
    }
    return out;
  }

  /**
   * The first x of {@code perSecond} from which every y is at most {@code limit}: when a fresh
   * cluster stays on time. NaN when even the last second is over the limit (or there is none).
   */
  static double staysUnderFrom(double[][] perSecond, double limit) {
    double from = Double.NaN;
    for (int i = perSecond[0].length - 1; i >= 0 && perSecond[1][i] <= limit; i--) {
      from = perSecond[0][i];
    }
    return from;
  }

  /** The longest time between two consecutive first copies arriving within [fromMs, toMs]. */
  long longestGapMs(long fromMs, long toMs) {
    long gap = 0;
    long previous = fromMs;
    for (Receiver.Arrival a : first) {
      if (a.arrivedMs() < fromMs || a.arrivedMs() > toMs) {
        continue;
      }
      gap = Math.max(gap, a.arrivedMs() - previous);
      previous = a.arrivedMs();
    }
    return gap;
  }

  /**
   * The lateness percentile curve: x = log10(1 / (1 - p)), so 1 is p90, 2 is p99, 3 is p99.9; y =
   * lateness in ms.
   */
  double[][] percentileCurve() {
    double[] ps = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999};
    double[][] out = new double[2][ps.length];
    for (int i = 0; i < ps.length; i++) {
      out[0][i] = Math.log10(1 / (1 - ps[i] / 100));
      // The last point stands for the maximum.
      out[1][i] =
          i == ps.length - 1 ? lateness.getMaxValue() : lateness.getValueAtPercentile(ps[i]);
    }
    return out;
  }
}
