package io.horae.server.node;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long this node's fence was closed, and why (issue 11 item 3: a node that fires nothing for a
 * second shows as a stall of its shards, and the lateness alone cannot say whether its lease
 * lapsed, it had not applied the leader's shard map, or its replica was behind the leader's). Fed
 * every fence check with the state found; counts closed time per reason and reports a closure that
 * lasted at least {@code reportNanos} when the fence opens again. Thread-safe; no clock of its own.
 */
final class FenceWatch {
  /** Why the fence is closed. */
  enum Reason {
    /** Never acknowledged, or the last acknowledged report is older than the lease. */
    NO_LEASE("no fresh lease"),
    /** The leader acknowledged a shard map this node has not applied yet. */
    MAP_BEHIND("shard map not applied yet"),
    /** This replica has not applied what the leader had applied one acknowledgement ago. */
    APPLY_BEHIND("replica behind the leader");

    final String words;

    Reason(String words) {
      this.words = words;
    }

    /** The metric tag. */
    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A closure that ended: why, for how long, the indexes when it began (apply behind only) and what
   * the node's Raft log said then.
   */
  record Ended(Reason reason, long nanos, long applied, long needed, String atStart) {
    String describe() {
      String indexes =
          reason == Reason.APPLY_BEHIND ? " (applied " + applied + ", needed " + needed + ")" : "";
      return "fence was closed for "
          + TimeUnit.NANOSECONDS.toMillis(nanos)
          + " ms: "
          + reason.words
          + indexes
          + (atStart.isEmpty() ? "" : "; when it closed: " + atStart);
    }
  }

  private final long reportNanos;
  private final Map<Reason, Long> closedNanos = new EnumMap<>(Reason.class);
  private final Map<Reason, Long> closures = new EnumMap<>(Reason.class);

  /** The open closure's reason, or null while the fence is open (read without the lock first). */
  private volatile Reason reason;

  private long sinceNanos, applied, needed;
  private String atStart = "";

  FenceWatch(long reportNanos) {
    this.reportNanos = reportNanos;
    for (Reason r : Reason.values()) {
      closedNanos.put(r, 0L);
      closures.put(r, 0L);
    }
  }

  /**
   * The fence was found {@code now} closed for {@code found} (null: open). A closure keeps the
   * reason it began with until the fence opens; the closure that ends is returned when it lasted at
   * least the report threshold. {@code context} is asked only when a closure begins.
   */
  Optional<Ended> observe(
      Reason found, long now, long appliedIndex, long neededIndex, Supplier<String> context) {
    // Every fence check lands here (the owner loop's and each call's): the common case, no change,
    // takes no lock.
    return found == reason
        ? Optional.empty()
        : changed(found, now, appliedIndex, neededIndex, context);
  }

  private synchronized Optional<Ended> changed(
      Reason found, long now, long appliedIndex, long neededIndex, Supplier<String> context) {
    if (found == reason) {
      return Optional.empty();
    }
    if (reason == null) {
      reason = found;
      sinceNanos = now;
      applied = appliedIndex;
      needed = neededIndex;
      atStart = context.get();
      closures.merge(found, 1L, Long::sum);
      return Optional.empty();
    }
    if (found != null) {
      return Optional.empty(); // still closed, for another reason now: the first one is kept
    }
    long lasted =
        Math.max(0, now - sinceNanos); // checks on other threads may read the clock earlier
    closedNanos.merge(reason, lasted, Long::sum);
    Ended ended = new Ended(reason, lasted, applied, needed, atStart);
    reason = null;
    return lasted >= reportNanos ? Optional.of(ended) : Optional.empty();
  }

  /** Seconds closed for {@code r} up to {@code now}, the open closure included. */
  synchronized double closedSeconds(Reason r, long now) {
    long nanos = closedNanos.get(r) + (reason == r ? Math.max(0, now - sinceNanos) : 0);
    return nanos / 1e9;
  }

  /** How many closures began for {@code r}. */
  synchronized long closures(Reason r) {
    return closures.get(r);
  }
}
