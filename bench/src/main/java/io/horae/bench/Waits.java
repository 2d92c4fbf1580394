package io.horae.bench;

import java.util.Map;
import java.util.StringJoiner;

/** Waiting for deliveries, and small formatting shared by the scenarios. */
final class Waits {
  private static final long POLL_MS = 100;

  /** Longest {@link #caughtUp} waits. */
  static final long CAUGHT_UP_MAX_MS = 30_000;

  /**
   * How long no node may shed before {@link #caughtUp} returns: one reading of 0 let a run start
   * while an owner still reported its last late calls (the owners measure in 500 ms windows, and
   * the leader's acks spread the figure a report later).
   */
  static final long CAUGHT_UP_QUIET_MS = 1_500;

  private Waits() {}

  /**
   * Waits until the receiver holds {@code expected} distinct executions of {@code scenario} since
   * its last drain, or until {@code deadlineMs}; shows progress meanwhile. Returns whether all
   * arrived. Ends at once, with the node's own last log lines, if a node exits on its own.
   */
  static boolean delivered(BenchContext ctx, String scenario, long expected, long deadlineMs)
      throws InterruptedException {
    String prefix = ctx.keyPrefix(scenario);
    long start = System.currentTimeMillis();
    while (ctx.receiver().distinct(prefix) < expected && System.currentTimeMillis() < deadlineMs) {
      alive(ctx);
      ctx.progress()
          .update(
              String.format(
                  "[%s] delivered %,d of %,d (%.0f s)",
                  scenario,
                  ctx.receiver().distinct(prefix),
                  expected,
                  (System.currentTimeMillis() - start) / 1e3));
      Thread.sleep(POLL_MS);
    }
    int got = ctx.receiver().distinct(prefix);
    ctx.progress()
        .done(
            String.format(
                "[%s] delivered %,d of %,d%s",
                scenario, got, expected, got < expected ? " when the settle time ended" : ""));
    return got >= expected;
  }

  /**
   * Waits, at most {@link #CAUGHT_UP_MAX_MS}, until no node has shed creates for {@link
   * #CAUGHT_UP_QUIET_MS}: right after a load past capacity the owners report the lateness of their
   * last calls for about a second, and the next scenario must not start on a cluster that still
   * refuses its creates for it. Returns the ms waited.
   */
  static long caughtUp(BenchContext ctx) throws InterruptedException {
    return quiet(
        ctx,
        () -> ctx.cost().shedShareMax() > 0,
        CAUGHT_UP_MAX_MS,
        CAUGHT_UP_QUIET_MS,
        POLL_MS,
        waited -> "waiting until no node sheds creates (the cluster caught up)");
  }

  /** Longest {@link #storageSettled} waits. */
  static final long STORAGE_SETTLE_MAX_MS = 180_000;

  /**
   * How long no node may compact before {@link #storageSettled} returns: a compaction often starts
   * a moment after the one before it ends.
   */
  static final long STORAGE_QUIET_MS = 3_000;

  /**
   * Waits, at most {@link #STORAGE_SETTLE_MAX_MS}, until no node's RocksDB has compacted or owed
   * compaction for {@link #STORAGE_QUIET_MS}: compactions that a large load leaves behind would run
   * on every node at once, and a scenario that measures the state the load left (not the load)
   * starts after them. Returns the ms waited.
   */
  static long storageSettled(BenchContext ctx) throws InterruptedException {
    return quiet(
        ctx,
        () -> ctx.cost().storageBusy(),
        STORAGE_SETTLE_MAX_MS,
        STORAGE_QUIET_MS,
        5 * POLL_MS,
        waited ->
            String.format("waiting for the nodes' RocksDB compactions (%.0f s)", waited / 1e3));
  }

  /**
   * Polls {@code busy} every {@code pollMs} until it has been false for {@code quietMs}, or {@code
   * maxMs} passed; returns the ms waited. Ends at once if a node of a local cluster exits.
   */
  private static long quiet(
      BenchContext ctx,
      java.util.function.BooleanSupplier busy,
      long maxMs,
      long quietMs,
      long pollMs,
      java.util.function.LongFunction<String> progress)
      throws InterruptedException {
    long start = System.currentTimeMillis();
    long quietSince = -1;
    while (System.currentTimeMillis() - start < maxMs) {
      long now = System.currentTimeMillis();
      if (busy.getAsBoolean()) {
        quietSince = -1;
      } else if (quietSince < 0) {
        quietSince = now;
      }
      if (quietSince >= 0 && now - quietSince >= quietMs) {
        break;
      }
      alive(ctx);
      ctx.progress().update(progress.apply(now - start));
      Thread.sleep(pollMs);
    }
    return System.currentTimeMillis() - start;
  }

  /** Throws if a node of a local cluster has exited without the bench stopping it. */
  static void alive(BenchContext ctx) {
    if (ctx.cluster() != null) {
      ctx.cluster().checkAlive();
    }
  }

  /** "n1 33.4 %, n2 ..." */
  static String shares(Map<String, Integer> perNode) {
    long total = perNode.values().stream().mapToLong(Integer::longValue).sum();
    StringJoiner j = new StringJoiner(", ");
    perNode.forEach(
        (node, count) ->
            j.add(String.format("%s %.1f %%", node, total == 0 ? 0 : count * 100.0 / total)));
    return j.toString();
  }

  static String mb(double bytes) {
    return Double.isNaN(bytes) ? "n/a" : String.format("%.0f MB", bytes / 1e6);
  }
}
