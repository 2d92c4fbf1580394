package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.complete;
import static io.horae.statemachine.core.Ops.create;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.job;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static io.horae.statemachine.core.Ops.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Every;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Outcome;
import io.horae.internal.v1.PauseJob;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ResumeJob;
import io.horae.statemachine.core.Applied;
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
 * PauseJob and ResumeJob against a real RocksDB: a paused job's current occurrence runs to its end
 * but no next one is chained; resume chains the next one only if the latest has finished, so a job
 * never gets two live occurrences; state checks refuse without writing anything.
 */
class PauseApplyTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final long EVERY_MS = 1000;

  @TempDir Path tmp;
  private TempStore db;
  private RocksStore store;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
    store = db.store;
    db.applyEntry(of(shardMap(0, 1, owners(4, "n1"))));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void pauseMakesAnActiveJobPausedWithItsReasonAndLeavesItsPendingOccurrenceDue() {
    db.applyEntry(of(create(job("tick", every()), "", T0 + 1000, T0)));
    long version = storedJob("tick").getVersion();

    Job paused = db.applyEntry(of(pause("tick", T0 + 10))).result().getResults(0).getJob();

    assertThat(paused.getState()).isEqualTo(JobState.JOB_STATE_PAUSED);
    assertThat(paused.getPausedReason()).isEqualTo("paused by request");
    assertThat(paused.getVersion()).isEqualTo(version + 1);
    assertThat(paused.getUpdateTimeMs()).isEqualTo(T0 + 10);
    assertThat(storedJob("tick")).isEqualTo(paused);
    assertThat(dueKeys()).hasSize(1);
  }

  @Test
  void aPausedJobsCurrentOccurrenceFinishesButNoNextOneIsCreated() {
    db.applyEntry(of(create(job("tick", every()), "", T0 + 1000, T0)));
    String first = ExecutionIds.of(NS, "tick", T0 + 1000);
    db.applyEntry(of(pause("tick", T0 + 10)));

    db.applyEntry(of(succeeded("n1", 1, T0 + 1010, first, T0 + 2000)));

    assertThat(db.execution(first).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(store.get(Family.EXECUTIONS, Keys.execution(ExecutionIds.of(NS, "tick", T0 + 2000))))
        .isNull();
    assertThat(storedJob("tick").getNextFireMs()).isEqualTo(T0 + 1000);
    assertThat(dueKeys()).isEmpty();
  }

  @Test
  void resumeAfterTheLatestOccurrenceFinishedCreatesTheNextOneAtTheProposersTime() {
    db.applyEntry(of(create(job("tick", every()), "", T0 + 1000, T0)));
    String first = ExecutionIds.of(NS, "tick", T0 + 1000);
    db.applyEntry(of(pause("tick", T0 + 10)));
    db.applyEntry(of(succeeded("n1", 1, T0 + 1010, first, T0 + 2000)));

    Applied applied = db.applyEntry(of(resume("tick", T0 + 9500, T0 + 10_000)));

    Job resumed = applied.result().getResults(0).getJob();
    String next = ExecutionIds.of(NS, "tick", T0 + 10_000);
    assertThat(resumed.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(resumed.getPausedReason()).isEmpty();
    assertThat(resumed.getNextFireMs()).isEqualTo(T0 + 10_000);
    assertThat(resumed.getFireCount()).isEqualTo(2);
    assertThat(db.execution(next).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(dueKeys())
        .containsExactly(Keys.due(db.execution(next).getShard(), T0 + 10_000, next));
    assertThat(applied.dueChanged()).isTrue();
  }

  @Test
  void resumeWhileTheLatestOccurrenceIsStillLiveCreatesNothingAndTheChainGoesOnFromIt() {
    db.applyEntry(of(create(job("tick", every()), "", T0 + 1000, T0)));
    String first = ExecutionIds.of(NS, "tick", T0 + 1000);
    db.applyEntry(of(pause("tick", T0 + 10)));

    Job resumed =
        db.applyEntry(of(resume("tick", T0 + 20, T0 + 2000))).result().getResults(0).getJob();

    assertThat(resumed.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(resumed.getNextFireMs()).isEqualTo(T0 + 1000);
    assertThat(dueKeys()).hasSize(1);
    db.applyEntry(of(succeeded("n1", 1, T0 + 1010, first, T0 + 2000)));
    assertThat(storedJob("tick").getNextFireMs()).isEqualTo(T0 + 2000);
  }

  @Test
  void aJobPausedByA410IsResumedAndGetsItsNextOccurrence() {
    db.applyEntry(of(create(job("tick", every()), "", T0 + 1000, T0)));
    String first = ExecutionIds.of(NS, "tick", T0 + 1000);
    AttemptResult gone =
        AttemptResult.newBuilder()
            .setExecutionId(first)
            .setOutcome(Outcome.OUTCOME_FAILED)
            .setAttemptNumber(1)
            .setHttpStatus(410)
            .setFinishedMs(T0 + 1010)
            .setNextFireMs(T0 + 2000)
            .setPauseReason("target answered 410 Gone")
            .build();
    db.applyEntry(of(complete("n1", 1, T0 + 1010, gone)));
    assertThat(storedJob("tick").getState()).isEqualTo(JobState.JOB_STATE_PAUSED);

    Job resumed =
        db.applyEntry(of(resume("tick", T0 + 5000, T0 + 5000))).result().getResults(0).getJob();

    assertThat(resumed.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(resumed.getPausedReason()).isEmpty();
    assertThat(db.execution(ExecutionIds.of(NS, "tick", T0 + 5000)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
  }

  @Test
  void resumingAFinishedOneShotJobWhoseScheduleEndedCompletesIt() {
    db.applyEntry(of(createAt("once", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "once", T0 + 1000);
    db.applyEntry(of(pause("once", T0 + 10)));
    db.applyEntry(of(succeeded("n1", 1, T0 + 1010, id, 0)));
    assertThat(storedJob("once").getState()).isEqualTo(JobState.JOB_STATE_PAUSED);

    Job resumed = db.applyEntry(of(resume("once", T0 + 2000, 0))).result().getResults(0).getJob();

    assertThat(resumed.getState()).isEqualTo(JobState.JOB_STATE_COMPLETED);
    assertThat(dueKeys()).isEmpty();
  }

  @Test
  void pausingAPausedJobAndResumingAnActiveJobChangeNothingAndUnknownJobsAreNotFound() {
    db.applyEntry(of(create(job("tick", every()), "", T0 + 1000, T0)));
    db.applyEntry(of(pause("tick", T0 + 10)));
    Job paused = storedJob("tick");

    CommandResult twice = db.applyEntry(of(pause("tick", T0 + 20))).result();
    assertThat(twice.getResults(0).hasRejection()).isFalse();
    assertThat(twice.getResults(0).getJob()).isEqualTo(paused);
    assertThat(storedJob("tick")).isEqualTo(paused);

    db.applyEntry(of(resume("tick", T0 + 30, T0 + 2000)));
    Job active = storedJob("tick");
    CommandResult resumeActive = db.applyEntry(of(resume("tick", T0 + 40, T0 + 2000))).result();
    assertThat(resumeActive.getResults(0).getJob()).isEqualTo(active);
    assertThat(storedJob("tick")).isEqualTo(active);

    assertThat(db.applyEntry(of(pause("nope", T0))).result().getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_NOT_FOUND);
    assertThat(
            db.applyEntry(of(resume("nope", T0, T0)))
                .result()
                .getResults(0)
                .getRejection()
                .getCode())
        .isEqualTo(RejectCode.REJECT_NOT_FOUND);
  }

  private static Schedule every() {
    return Schedule.newBuilder()
        .setEvery(Every.newBuilder().setIntervalMs(EVERY_MS).setAnchorMs(T0 + 1000))
        .build();
  }

  private static Op pause(String name, long nowMs) {
    return Op.newBuilder()
        .setPauseJob(
            PauseJob.newBuilder()
                .setNamespace(NS)
                .setName(name)
                .setNowMs(nowMs)
                .setReason("paused by request"))
        .build();
  }

  private static Op resume(String name, long nowMs, long nextFireMs) {
    return Op.newBuilder()
        .setResumeJob(
            ResumeJob.newBuilder()
                .setNamespace(NS)
                .setName(name)
                .setNowMs(nowMs)
                .setNextFireMs(nextFireMs))
        .build();
  }

  private Job storedJob(String name) {
    return Queries.getJob(store, NS, name).getJobs(0);
  }

  private List<byte[]> dueKeys() {
    List<byte[]> keys = new ArrayList<>();
    store.scan(Family.DUE, new byte[0], null, 1000, (k, v) -> keys.add(k));
    return keys;
  }
}
