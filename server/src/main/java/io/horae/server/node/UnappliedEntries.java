package io.horae.server.node;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Whether the committed entries a lagging replica has not applied yet leave what it would fire as
 * it is (docs/failover.md, "the index fence"). A node fires from its own replica, so the lease
 * keeper closes its fence while the replica is behind the leader's applied index of one
 * acknowledgement ago: an unapplied entry could cancel, pause, delete or update what is due. Under
 * load a follower's apply thread falls seconds behind while its log holds the entries, durable and
 * known committed (docs/bench.md, "Why a node stops firing under load"); most of those entries only
 * create jobs and record results, which change nothing the node could fire. This reads them from
 * the log: the fence stays open while every committed entry between the applied index and the
 * fence's index is of those kinds, and closes at the first one that is not, until it is applied.
 *
 * <p>Only entries at or below this node's own commit index are read (an uncommitted entry may still
 * be replaced), at most {@code peekMax} of them per check (0: never, the strict fence). Each entry
 * is read once: its kind is remembered until the replica has applied past it. Thread-safe.
 */
final class UnappliedEntries {
  /**
   * Op kinds that change nothing a node could fire: a new job's executions are not in any window
   * before they are applied, a result is the owner's own or a late one of an ended tenure (the
   * first result wins), a released marker matters only to the new owner, which waits for it
   * applied, a trigger adds an execution, and expiry removes finished ones. Everything else closes
   * the fence: cancel, pause, resume, delete, update, shard maps, secrets, dead-letter replay and
   * purge, membership, and any kind this build does not know.
   */
  static final Set<Integer> HARMLESS =
      Set.of(
          Op.CREATE_JOB_FIELD_NUMBER,
          Op.COMPLETE_FIELD_NUMBER,
          Op.RELEASED_FIELD_NUMBER,
          Op.TRIGGER_JOB_FIELD_NUMBER,
          Op.EXPIRE_HISTORY_FIELD_NUMBER);

  /** This node's Raft log. */
  interface Log {
    /** The highest index this node knows as committed. */
    long committed();

    /**
     * The state-machine bytes (a {@link Command}) of entry {@code index}; empty for an entry
     * without any (configuration, leader no-op); null when the log does not hold it.
     */
    ByteBuffer data(long index);
  }

  private final int peekMax;
  private final Log log;

  /**
   * Highest index whose kind is known; the first one past the applied index that is not harmless.
   */
  private long readTo, firstHarmful;

  UnappliedEntries(int peekMax, Log log) {
    this.peekMax = peekMax;
    this.log = log;
  }

  /** Whether every entry in (applied, needed] is known committed and harmless. */
  synchronized boolean harmless(long applied, long needed) {
    if (needed <= applied) {
      return true;
    }
    if (firstHarmful > applied && firstHarmful <= needed) {
      return false;
    }
    if (peekMax <= 0 || log.committed() < needed) {
      return false;
    }
    long from = Math.max(applied, readTo) + 1;
    if (needed - from + 1 > peekMax) {
      return false;
    }
    for (long i = from; i <= needed; i++) {
      ByteBuffer data = log.data(i);
      if (data == null) {
        return false;
      }
      readTo = i;
      if (!harmless(data)) {
        firstHarmful = i;
        return false;
      }
    }
    return true;
  }

  /** Whether a {@link Command}'s ops are all harmless kinds; false for bytes that do not parse. */
  static boolean harmless(ByteBuffer command) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(command.duplicate());
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) != Command.OPS_FIELD_NUMBER
            || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          return false;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        for (int opTag = in.readTag(); opTag != 0; opTag = in.readTag()) {
          if (!HARMLESS.contains(WireFormat.getTagFieldNumber(opTag))) {
            return false;
          }
          in.skipField(opTag);
        }
        in.popLimit(limit);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
