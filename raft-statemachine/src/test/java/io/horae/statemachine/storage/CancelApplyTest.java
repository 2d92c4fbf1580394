package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.create;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.job;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static io.horae.statemachine.core.Ops.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Every;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.CancelExecution;
import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.RejectCode;
import io.horae.statemachine.core.Applied;
import io.horae.statemachine.core.ExecutionChange;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Queries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What CancelExecution does when applied, against a real RocksDB: which statuses it cancels, that
 * nothing stays due, that recurring jobs go on, that finished executions stay as they are and that
 * a late Complete never resurrects a cancelled execution.
 */
class CancelApplyTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final int SHARDS = 4;

  @TempDir Path tmp;
  private TempStore db;
  private RocksStore store;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
    store = db.store;
    db.applyEntry(of(shardMap(0, 1, owners(SHARDS, "n1"))));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aCancelledPendingExecutionIsCancelledWithItsFinishTimeAndIsNoLongerDue() {
    db.applyEntry(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);

    Applied applied = db.applyEntry(of(cancel(id, T0 + 10, 0)));

    Execution cancelled = applied.result().getResults(0).getExecution();
    assertThat(cancelled.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    assertThat(cancelled.getFinishedMs()).isEqualTo(T0 + 10);
    assertThat(db.execution(id)).isEqualTo(cancelled);
    assertThat(dueKeys()).isEmpty();
    assertThat(storedJob("a").getState())
        .as("a one-shot job's schedule has ended")
        .isEqualTo(JobState.JOB_STATE_COMPLETED);
    assertThat(applied.executions()).containsExactly(new ExecutionChange(cancelled, false));
  }

  @Test
  void aRecurringJobGetsItsNextOccurrenceWhenItsLatestOneIsCancelled() {
    db.applyEntry(of(create(job("tick", every()), "", T0 + 1000, T0)));
    String first = ExecutionIds.of(NS, "tick", T0 + 1000);

    Applied applied = db.applyEntry(of(cancel(first, T0 + 10, T0 + 2000)));

    String next = ExecutionIds.of(NS, "tick", T0 + 2000);
    assertThat(db.execution(first).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    assertThat(db.execution(next).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(storedJob("tick").getNextFireMs()).isEqualTo(T0 + 2000);
    assertThat(storedJob("tick").getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(dueKeys()).containsExactly(Keys.due(db.execution(next).getShard(), T0 + 2000, next));
    assertThat(applied.executions())
        .extracting(ExecutionChange::created)
        .containsExactly(false, true);
  }

  @Test
  void cancellingAFinishedExecutionIsRefusedAndChangesNothing() {
    db.applyEntry(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);
    db.applyEntry(of(succeeded("n1", 1, T0 + 1010, id, 0)));
    Execution before = db.execution(id);

    CommandResult r = db.applyEntry(of(cancel(id, T0 + 2000, 0))).result();

    assertThat(r.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_FINISHED);
    assertThat(r.getResults(0).getRejection().getMessage()).contains(id, "SUCCEEDED");
    assertThat(db.execution(id)).isEqualTo(before);
  }

  @Test
  void cancellingACancelledExecutionReturnsItUnchangedAndAnUnknownIdIsNotFound() {
    db.applyEntry(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);
    Execution first =
        db.applyEntry(of(cancel(id, T0 + 10, 0))).result().getResults(0).getExecution();

    Applied again = db.applyEntry(of(cancel(id, T0 + 20, 0)));

    assertThat(again.result().getResults(0).getExecution()).isEqualTo(first);
    assertThat(again.executions()).as("nothing was written").isEmpty();
    CommandResult missing =
        db.applyEntry(of(cancel(ExecutionIds.of(NS, "nope", T0), T0 + 30, 0))).result();
    assertThat(missing.getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_NOT_FOUND);
  }

  @Test
  void aCompleteThatArrivesAfterTheCancelIsIgnoredAndNeverResurrectsTheExecution() {
    db.applyEntry(of(create(job("tick", every()), "", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "tick", T0 + 1000);
    db.applyEntry(of(cancel(id, T0 + 1005, T0 + 2000)));
    Execution cancelled = db.execution(id);

    CommandResult late = db.applyEntry(of(succeeded("n1", 1, T0 + 1010, id, T0 + 2000))).result();

    assertThat(late.getResults(0).getComplete().getIgnored()).isEqualTo(1);
    assertThat(db.execution(id)).isEqualTo(cancelled);
    assertThat(storedJob("tick").getFireCount())
        .as("the job advanced once, by the cancel")
        .isEqualTo(2);
  }

  private static Schedule every() {
    return Schedule.newBuilder()
        .setEvery(Every.newBuilder().setIntervalMs(1000).setAnchorMs(T0 + 1000))
        .build();
  }

  static Op cancel(String id, long nowMs, long nextFireMs) {
    return Op.newBuilder()
        .setCancelExecution(
            CancelExecution.newBuilder()
                .setExecutionId(id)
                .setNowMs(nowMs)
                .setNextFireMs(nextFireMs))
        .build();
  }

  private io.horae.api.v1.Job storedJob(String name) {
    return Queries.getJob(store, NS, name).getJobs(0);
  }

  private List<byte[]> dueKeys() {
    List<byte[]> keys = new ArrayList<>();
    store.scan(Family.DUE, new byte[0], null, 1000, (k, v) -> keys.add(k));
    return keys;
  }
}
