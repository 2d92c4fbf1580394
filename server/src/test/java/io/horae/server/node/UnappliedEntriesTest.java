package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Job;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.CancelExecution;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.Complete;
import io.horae.internal.v1.CreateJob;
import io.horae.internal.v1.DeleteJob;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.PauseJob;
import io.horae.internal.v1.Released;
import io.horae.internal.v1.UpdateJob;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica behind the index fence reads the committed entries it has not applied: it may go on
 * firing only while none of them could change what it fires (docs/failover.md).
 */
class UnappliedEntriesTest {
  static final Op CREATE =
      Op.newBuilder()
          .setCreateJob(
              CreateJob.newBuilder()
                  .setJob(Job.newBuilder().setNamespace("default").setName("a"))
                  .setRequestId("r1")
                  .setNowMs(5))
          .build();
  static final Op RESULT =
      Op.newBuilder()
          .setComplete(
              Complete.newBuilder()
                  .setNodeId("n2")
                  .addResults(AttemptResult.newBuilder().setExecutionId("default/a@1")))
          .build();
  static final Op RELEASED =
      Op.newBuilder().setReleased(Released.newBuilder().setShard(3).setEpoch(4)).build();
  static final Op CANCEL =
      Op.newBuilder()
          .setCancelExecution(CancelExecution.newBuilder().setExecutionId("default/a@1"))
          .build();
  static final Op PAUSE =
      Op.newBuilder()
          .setPauseJob(PauseJob.newBuilder().setNamespace("default").setName("a"))
          .build();
  static final Op DELETE =
      Op.newBuilder()
          .setDeleteJob(DeleteJob.newBuilder().setNamespace("default").setName("a"))
          .build();
  static final Op UPDATE =
      Op.newBuilder()
          .setUpdateJob(UpdateJob.newBuilder().setJob(Job.newBuilder().setName("a")))
          .build();

  /** A log of entries by index, with a commit index; counts reads. */
  static final class Entries implements UnappliedEntries.Log {
    final Map<Long, ByteBuffer> byIndex = new HashMap<>();
    long committed;
    int reads;

    Entries put(long index, Op... ops) {
      Command.Builder c = Command.newBuilder();
      for (Op op : ops) {
        c.addOps(op);
      }
      byIndex.put(index, ByteBuffer.wrap(c.build().toByteArray()));
      committed = Math.max(committed, index);
      return this;
    }

    @Override
    public long committed() {
      return committed;
    }

    @Override
    public ByteBuffer data(long index) {
      reads++;
      return byIndex.get(index);
    }
  }

  @Test
  void entriesThatOnlyCreateJobsRecordResultsAndReleaseShardsLeaveTheFenceOpen() {
    Entries log =
        new Entries().put(11, CREATE, CREATE).put(12, RESULT).put(13, RELEASED, RESULT, CREATE);
    log.byIndex.put(14L, ByteBuffer.allocate(0)); // a configuration entry: no state-machine data
    log.committed = 14;

    assertThat(new UnappliedEntries(1024, log).harmless(10, 14)).isTrue();
  }

  @Test
  void aCancelPauseDeleteOrUpdateNotAppliedYetClosesTheFenceUntilTheReplicaIsPastIt() {
    for (Op harmful : new Op[] {CANCEL, PAUSE, DELETE, UPDATE}) {
      Entries log = new Entries().put(11, CREATE).put(12, RESULT, harmful).put(13, CREATE);
      UnappliedEntries unapplied = new UnappliedEntries(1024, log);

      assertThat(unapplied.harmless(10, 13)).as(harmful.getKindCase().name()).isFalse();
      assertThat(unapplied.harmless(11, 13)).as(harmful.getKindCase().name()).isFalse();
      assertThat(unapplied.harmless(12, 13)).as(harmful.getKindCase().name()).isTrue();
    }
  }

  @Test
  void eachEntryIsReadOnceWhileTheReplicaCatchesUp() {
    Entries log = new Entries().put(11, CREATE).put(12, RESULT).put(13, CANCEL).put(14, CREATE);
    UnappliedEntries unapplied = new UnappliedEntries(1024, log);

    unapplied.harmless(10, 14);
    unapplied.harmless(10, 14);
    unapplied.harmless(11, 14);
    assertThat(log.reads).isEqualTo(3);

    assertThat(unapplied.harmless(13, 14)).isTrue();
    assertThat(log.reads).isEqualTo(4);
  }

  @Test
  void anEntryPastTheNodesOwnCommitIndexOrMissingFromItsLogIsNotTrusted() {
    Entries log = new Entries().put(11, CREATE).put(12, CREATE);
    log.committed = 11;
    assertThat(new UnappliedEntries(1024, log).harmless(10, 12)).isFalse();

    Entries gap = new Entries().put(11, CREATE).put(13, CREATE);
    assertThat(new UnappliedEntries(1024, gap).harmless(10, 13)).isFalse();
  }

  @Test
  void moreEntriesThanThePeekLimitOrALimitOfZeroKeepTheStrictFence() {
    Entries log = new Entries();
    for (long i = 11; i <= 20; i++) {
      log.put(i, CREATE);
    }

    assertThat(new UnappliedEntries(9, log).harmless(10, 20)).isFalse();
    assertThat(new UnappliedEntries(10, log).harmless(10, 20)).isTrue();
    assertThat(new UnappliedEntries(0, log).harmless(19, 20)).isFalse();
    assertThat(new UnappliedEntries(0, log).harmless(20, 20)).isTrue();
  }

  @Test
  void bytesThatDoNotParseAsACommandAreNotHarmless() {
    assertThat(UnappliedEntries.harmless(ByteBuffer.wrap(new byte[] {0x0a, 0x7f, 0x01}))).isFalse();
    assertThat(UnappliedEntries.harmless(ByteBuffer.wrap(new byte[] {0x10, 0x01}))).isFalse();
  }
}
