package io.horae.statemachine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Ops;
import io.horae.statemachine.core.Tx;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply remembers the jobs one entry reads and writes each back once per op (State's memo): the
 * store sees one read and one write of a delivered one-shot job, and what it holds afterwards is
 * what every step of the op wrote, in order.
 */
class JobMemoApplyTest {
  private static final long T0 = 1_000_000L;

  @Test
  void aDeliveredOneShotJobIsReadFromTheStoreOnceAndWrittenOnceWithEveryChangeOfTheOp(
      @TempDir Path dir) throws Exception {
    try (TempStore store = new TempStore(dir)) {
      store.apply(Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1"))));
      store.apply(Ops.of(Ops.createAt("once", T0 + 5_000, T0)));
      String id = ExecutionIds.of(Ops.NS, "once", T0 + 5_000);

      Counting[] counted = new Counting[1];
      store.applyEntry(
          Ops.of(Ops.succeeded("n1", 1, T0 + 6_000, id, 0)), tx -> counted[0] = new Counting(tx));

      assertThat(counted[0].jobReads).as("reads of the job's record").isEqualTo(1);
      assertThat(counted[0].jobWrites).as("writes of the job's record").isEqualTo(1);
      Job job = Job.parseFrom(store.store.get(Family.JOBS, Keys.job(Ops.NS, "once")));
      // Both changes of the op are in the one write: the completion and the history count.
      assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_COMPLETED);
      assertThat(job.getHistorySize()).isEqualTo(1);
    }
  }

  @Test
  void aJobWrittenEarlierInAnEntryIsSeenByALaterOpThatReadsTheStoreDirectly(@TempDir Path dir) {
    try (TempStore store = new TempStore(dir)) {
      store.apply(Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1"))));
      // The chain check of the second create reads the jobs' family through the transaction, not
      // through the memo: it must find the first job there, written by the op before it.
      var results =
          store.apply(
              Ops.of(
                  Ops.create(following("a", "b"), "", T0 + 5_000, T0),
                  Ops.create(following("b", "a"), "", T0 + 5_000, T0)));
      assertThat(results.getResults(0).hasRejection()).isFalse();
      assertThat(results.getResults(1).getRejection().getMessage()).contains("would close a cycle");
      assertThat(store.store.get(Family.JOBS, Keys.job(Ops.NS, "a"))).isNotNull();
      assertThat(store.store.get(Family.JOBS, Keys.job(Ops.NS, "b"))).isNull();
    }
  }

  private static Job following(String name, String after) {
    return Ops.job(name, Schedule.newBuilder().setAtMs(T0 + 5_000).build()).toBuilder()
        .setAfter(after)
        .build();
  }

  /** The transaction, counting what reaches it of the jobs' family. */
  private static final class Counting extends ForwardingTx {
    int jobReads;
    int jobWrites;

    Counting(Tx tx) {
      super(tx);
    }

    @Override
    public byte[] get(Family family, byte[] key) {
      if (family == Family.JOBS) {
        jobReads++;
      }
      return super.get(family, key);
    }

    @Override
    public void put(Family family, byte[] key, byte[] value) {
      if (family == Family.JOBS) {
        jobWrites++;
      }
      super.put(family, key, value);
    }
  }
}
