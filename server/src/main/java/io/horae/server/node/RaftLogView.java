package io.horae.server.node;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * This node's Raft log as the lease keeper reads it: entries not applied yet ({@link
 * UnappliedEntries}) and where the log stands, in words, for the log line of a long fence closure.
 * A log that is not started, closing or purged reads as not known.
 */
final class RaftLogView implements UnappliedEntries.Log {
  private final Supplier<RaftServer.Division> division;
  private final LongSupplier appliedIndex;

  RaftLogView(Supplier<RaftServer.Division> division, LongSupplier appliedIndex) {
    this.division = division;
    this.appliedIndex = appliedIndex;
  }

  @Override
  public long committed() {
    try {
      return division.get().getRaftLog().getLastCommittedIndex();
    } catch (RuntimeException e) {
      return -1; // not started or closed: nothing is known committed
    }
  }

  @Override
  public ByteBuffer data(long index) {
    try {
      LogEntryProto entry = division.get().getRaftLog().get(index);
      if (entry == null) {
        return null;
      }
      return entry.hasStateMachineLogEntry()
          ? entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer()
          : ByteBuffer.allocate(0);
    } catch (RaftLogIOException | RuntimeException e) {
      return null; // purged, or the log is closing: not known, so the fence stays closed
    }
  }

  /** Where the log stands: its end, flushed, committed and applied indexes. */
  String progress() {
    try {
      RaftLog log = division.get().getRaftLog();
      return "log ends at "
          + (log.getNextIndex() - 1)
          + ", flushed to "
          + log.getFlushIndex()
          + ", committed to "
          + log.getLastCommittedIndex()
          + ", applied to "
          + appliedIndex.getAsLong();
    } catch (RuntimeException e) {
      return "Raft log not readable: " + e;
    }
  }
}
