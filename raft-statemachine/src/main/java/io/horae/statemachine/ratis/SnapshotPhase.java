package io.horae.statemachine.ratis;

/**
 * Where in each snapshot interval a node takes its automatic snapshot. A snapshot's checkpoint runs
 * on the apply thread and stops apply for 0.2-0.5 s; with one threshold for all, every node reached
 * it at the same index and stopped at the same moment, and every node's deliveries were late
 * together (875 ms at 1,667/s, docs/bench.md, "Snapshots of all nodes at once"). Node {@code
 * position} of {@code count} takes its snapshots at the indexes {@code m * every + position *
 * (every / count)}, so at most one node of the group is in a snapshot at a time.
 *
 * <p>A member's first snapshot comes up to {@code (count - 1) / count} of an interval later than
 * Ratis' threshold alone would take it, so the log kept behind a snapshot is that much longer once;
 * every one after it comes an interval after the last.
 *
 * @param position this node's place among the group's configured members, from 0
 * @param count how many members the group was configured with (0: no phase)
 */
public record SnapshotPhase(int position, int count) {
  /** Every node at the interval's start: Ratis' own threshold alone. */
  public static final SnapshotPhase NONE = new SnapshotPhase(0, 0);

  public SnapshotPhase {
    if (count < 0 || position < 0 || (count > 0 && position >= count)) {
      throw new IllegalArgumentException("position " + position + " of " + count);
    }
  }

  /**
   * Ratis' automatic snapshot threshold for an interval of {@code every} entries: half the spacing
   * between two members' points short of it, so that Ratis asks before this member's next point
   * even when the last snapshot was taken a few entries after its own (Ratis asks after each run of
   * applied entries, not at each index), and the member's place in the interval does not drift.
   */
  public long askFrom(long every) {
    return count <= 1 ? every : every - every / count / 2;
  }

  /**
   * The first index at which the snapshot after one at {@code base} is due: this member's next
   * point of the form {@code m * every + offset} from {@link #askFrom} entries past {@code base}.
   */
  long due(long base, long every) {
    long from = Math.max(0, base) + askFrom(every);
    if (count <= 1) {
      return from;
    }
    long offset = every / count * position;
    return Math.ceilDiv(from - offset, every) * every + offset;
  }
}
