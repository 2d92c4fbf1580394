package io.horae.chaos.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a run against the guarantees of DESIGN §6 from its files alone: the history, the
 * receiver's log and the final state. It never talks to a cluster, so it can re-check an old run.
 * Rules and parameters: docs/chaos.md.
 */
public final class Checker {
  private static final List<Check> CHECKS =
      List.of(
          new PresenceCheck(),
          new MissingDeliveryCheck(),
          new EarlyDeliveryCheck(),
          new DuplicateCheck(),
          new AfterAckCheck(),
          new UpdateCheck(),
          new ChainCheck(),
          new DigestCheck());

  private Checker() {}

  public static Report check(History history, List<Delivery> deliveries, FinalState finalState) {
    return check(history, deliveries, finalState, CheckOptions.defaults());
  }

  public static Report check(
      History history, List<Delivery> deliveries, FinalState finalState, CheckOptions options) {
    CheckInput in = CheckInput.of(history, deliveries, finalState, options);
    List<Violation> violations = new ArrayList<>();
    for (Check c : CHECKS) {
      for (Violation v : c.check(in)) {
        violations.add(v.withNearby(nearby(history, v.atMs(), options.nearbyMs())));
      }
    }
    Map<String, Integer> byKind = new TreeMap<>();
    violations.forEach(v -> byKind.merge(v.kind().name(), 1, Integer::sum));
    return new Report(
        history.seed().orElse(null),
        violations,
        opCounts(in),
        faultCounts(in),
        deliveries.size(),
        DuplicateCheck.count(in),
        byKind);
  }

  /**
   * Reads the run's files from {@code dir} under their standard names, checks, writes the report.
   */
  public static Report checkDir(Path dir, CheckOptions options) {
    Report r =
        check(
            History.read(dir.resolve(HistoryWriter.FILE)),
            DeliveryCsv.read(dir.resolve(DeliveryCsv.FILE)),
            FinalState.read(dir.resolve(FinalState.FILE)),
            options);
    r.write(dir);
    return r;
  }

  private static List<Event> nearby(History history, long atMs, long windowMs) {
    return history.faultEvents().stream()
        .filter(e -> Math.abs(e.timeMs() - atMs) <= windowMs)
        .toList();
  }

  private static Map<String, Integer> opCounts(CheckInput in) {
    Map<String, Integer> m = new TreeMap<>();
    for (Op op : in.ops()) {
      if (op.invoke().process().startsWith("client")) {
        m.merge(
            op.f() + " " + op.type().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      }
    }
    return m;
  }

  private static Map<String, Integer> faultCounts(CheckInput in) {
    Map<String, Integer> m = new TreeMap<>();
    for (Op op : in.ops()) {
      if (op.invoke().isNemesis() && op.mayHaveHappened()) {
        m.merge(op.f(), 1, Integer::sum);
      }
    }
    return m;
  }
}
