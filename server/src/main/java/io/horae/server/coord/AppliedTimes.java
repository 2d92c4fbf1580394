package io.horae.server.coord;

import java.util.ArrayDeque;

/**
 * When the leader applied which index, sampled at the coordinator's checks: how old a member's
 * replica is. A member that has applied up to {@code A} misses every entry after it, so its replica
 * is as old as the leader's first sample past {@code A}. Deliveries from that replica are at least
 * that late (an execution created since is not there to fire), whatever the number of entries: a
 * slow disk falls behind in time long before it falls behind by many entries. Only the
 * coordinator's thread uses it.
 */
final class AppliedTimes {
  private record Sample(long index, long atNanos) {}

  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final int samplesMax;

  /**
   * @param samplesMax samples kept; the oldest go first, so ages past the window are a lower bound
   */
  AppliedTimes(int samplesMax) {
    this.samplesMax = samplesMax;
  }

  /** The leader's applied index now; kept only when it moved. */
  void record(long leaderApplied, long nowNanos) {
    Sample last = samples.peekLast();
    if (last != null && leaderApplied <= last.index()) {
      return;
    }
    if (samples.size() == samplesMax) {
      samples.removeFirst();
    }
    samples.addLast(new Sample(leaderApplied, nowNanos));
  }

  /**
   * How long ago the leader had applied the first entry a member with this applied index lacks; 0
   * when it lacks none.
   */
  long ageNanos(long applied, long nowNanos) {
    Sample last = samples.peekLast();
    if (last == null || applied >= last.index()) {
      return 0;
    }
    for (Sample s : samples) {
      if (s.index() > applied) {
        return nowNanos - s.atNanos();
      }
    }
    return 0; // Unreachable: the last sample is past applied.
  }

  /**
   * A new leader starts afresh: its samples begin when it leads (ages are then underestimated,
   * never overestimated).
   */
  void clear() {
    samples.clear();
  }
}
