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
    long start = System.currentTimeMillis();
    long quietSince = -1;
    while (System.currentTimeMillis() - start < CAUGHT_UP_MAX_MS) {
      long now = System.currentTimeMillis();
      if (ctx.cost().shedShareMax() > 0) {
        quietSince = -1;
      } else if (quietSince < 0) {
        quietSince = now;
      }
      if (quietSince >= 0 && now - quietSince >= CAUGHT_UP_QUIET_MS) {
        break;
      }
      alive(ctx);
      ctx.progress().update("waiting until no node sheds creates (the cluster caught up)");
      Thread.sleep(POLL_MS);
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
