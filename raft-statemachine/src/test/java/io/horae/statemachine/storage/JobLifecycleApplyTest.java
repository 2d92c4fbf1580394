package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.create;
import static io.horae.statemachine.core.Ops.delete;
import static io.horae.statemachine.core.Ops.job;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static io.horae.statemachine.core.Ops.succeeded;
import static io.horae.statemachine.core.Ops.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Every;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.ExecutionTrigger;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.ExpireHistory;
import io.horae.internal.v1.NamespaceCutoff;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.Outcome;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.UpdateJob;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Ops;
import io.horae.statemachine.core.Queries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Update, manual runs, delete and retention as applied to a real RocksDB: what each leaves due,
 * live and kept, and that none of them reaches into another job's (or an earlier job's) records.
 */
class JobLifecycleApplyTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final long SECOND = 1_000;
  private static final int SHARDS = 4;

  @TempDir Path tmp;
  private TempStore db;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
    db.applyEntry(of(shardMap(0, 1, owners(SHARDS, "n1"))));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aDeleteCancelsTheLiveOccurrenceOfAJobWithMoreThanAHundredThousandFinishedOnes() {
    // The old delete walked the job's records in id order and stopped after 100,000: the live
    // occurrence, the newest, was never reached and stayed due.
    int finished = 100_001;
    createEverySecond("tick");
    List<Op> ops = new ArrayList<>();
    for (int k = 0; k < finished; k++) {
      long at = T0 + (k + 1) * SECOND;
      ops.add(succeeded("n1", 1, at, ExecutionIds.of(NS, "tick", at), at + SECOND));
      if (ops.size() == 2_000 || k == finished - 1) {
        db.applyEntry(Command.newBuilder().addAllOps(ops).build());
        ops.clear();
      }
    }
    String live = ExecutionIds.of(NS, "tick", T0 + (finished + 1) * SECOND);
    assertThat(db.execution(live).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);

    OpResult deleted = db.apply(of(delete("tick", T0 + 200_000 * SECOND))).getResults(0);

    assertThat(deleted.getCancelledExecutions()).isEqualTo(1);
    assertThat(db.execution(live).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    assertThat(db.execution(live).getReason()).isEqualTo("job deleted");
    assertThat(count(Family.DUE)).as("nothing of the deleted job stays due").isZero();
    assertThat(count(Family.LIVE)).isZero();
  }

  @Test
  void aJobCreatedAgainUnderTheSameNameNeverPicksUpTheEarlierJobsRecords() {
    createEverySecond("tick");
    long first = T0 + SECOND;
    db.apply(of(succeeded("n1", 1, first, ExecutionIds.of(NS, "tick", first), first + SECOND)));
    db.apply(of(delete("tick", first + 10)));

    // Created again with an anchor that makes its first occurrence the earlier job's first one.
    long again = first + 20;
    Job recreated =
        job(
            "tick",
            Schedule.newBuilder()
                .setEvery(Every.newBuilder().setIntervalMs(SECOND).setAnchorMs(first))
                .build());
    db.apply(of(create(recreated, "", first + 2 * SECOND, again)));
    // Its first result arrives; the next occurrence's id is the earlier job's cancelled one.
    String own = ExecutionIds.of(NS, "tick", first + 2 * SECOND);
    assertThat(db.execution(own).getStatus())
        .as("the cancelled record was replaced")
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(db.execution(own).getCreatedMs()).isEqualTo(again);
    db.apply(of(succeeded("n1", 1, first + 2 * SECOND, own, first + 3 * SECOND)));

    assertThat(db.execution(ExecutionIds.of(NS, "tick", first + 3 * SECOND)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(storedJob("tick").getHistorySize())
        .as("only its own finished execution counts")
        .isEqualTo(1);
  }

  @Test
  void anUpdateWithTheWrongBaseVersionIsRejectedAndChangesNothing() {
    createEverySecond("tick");
    Job before = storedJob("tick");

    OpResult r =
        db.apply(of(update(before.toBuilder().setPriority(3).build(), 7, T0 + 10, false, 0)))
            .getResults(0);

    assertThat(r.getRejection().getCode()).isEqualTo(RejectCode.REJECT_VERSION_MISMATCH);
    assertThat(r.getRejection().getMessage()).contains("version 1");
    assertThat(storedJob("tick")).isEqualTo(before);
  }

  @Test
  void aResultComputedFromTheOldScheduleAfterAnUpdateLeavesTheNewSchedulesOccurrenceNotTheOldOne() {
    createEverySecond("tick");
    long due = T0 + SECOND;
    String inFlight = ExecutionIds.of(NS, "tick", due);
    Job v1 = storedJob("tick");
    // The update reaches the log while that occurrence is due (in flight on its owner): the new
    // schedule, every 10 s, starts at due + 5 s.
    long newFirst = due + 5 * SECOND;
    Job every10 =
        v1.toBuilder()
            .setSchedule(
                Schedule.newBuilder()
                    .setEvery(Every.newBuilder().setIntervalMs(10 * SECOND).setAnchorMs(newFirst)))
            .build();
    db.apply(of(update(every10, 1, due + 100, true, newFirst)));
    assertThat(db.execution(inFlight).getStatus())
        .as("kept, fired once")
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);

    // Its owner had not applied the update: its result's next occurrence is the old schedule's.
    AttemptResult stale =
        AttemptResult.newBuilder()
            .setExecutionId(inFlight)
            .setOutcome(Outcome.OUTCOME_SUCCEEDED)
            .setAttemptNumber(1)
            .setHttpStatus(200)
            .setFinishedMs(due + 200)
            .setNextFireMs(due + SECOND)
            .setJobVersion(1)
            .build();
    db.apply(of(Ops.complete("n1", 1, due + 200, stale)));

    assertThat(
            db.store.get(
                Family.EXECUTIONS,
                io.horae.statemachine.core.Keys.execution(
                    ExecutionIds.of(NS, "tick", due + SECOND))))
        .as("no occurrence of the old schedule")
        .isNull();
    assertThat(db.execution(ExecutionIds.of(NS, "tick", newFirst)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(storedJob("tick").getNextFireMs()).isEqualTo(newFirst);
    assertThat(storedJob("tick").getRescheduledNextMs()).isZero();
  }

  @Test
  void aNewScheduleCancelsTheOccurrenceNotYetDueAndCreatesTheNewOneWithItsOwnId() {
    createEverySecond("tick");
    String old = ExecutionIds.of(NS, "tick", T0 + SECOND);
    Job before = storedJob("tick");
    Job changed = before.toBuilder().setSchedule(everyMs(60 * SECOND, T0 + 60 * SECOND)).build();

    Job after =
        db.apply(of(update(changed, 1, T0 + 10, true, T0 + 60 * SECOND))).getResults(0).getJob();

    assertThat(after.getVersion()).isEqualTo(2);
    assertThat(after.getNextFireMs()).isEqualTo(T0 + 60 * SECOND);
    assertThat(db.execution(old).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    assertThat(db.execution(old).getReason()).isEqualTo("rescheduled by update to version 2");
    assertThat(db.execution(ExecutionIds.of(NS, "tick", T0 + 60 * SECOND)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(count(Family.DUE)).isEqualTo(1);
  }

  @Test
  void anOccurrenceAlreadyDueKeepsItsIdAndTheNewScheduleContinuesAfterIt() {
    createEverySecond("tick");
    String due = ExecutionIds.of(NS, "tick", T0 + SECOND);
    Job changed =
        storedJob("tick").toBuilder().setSchedule(everyMs(60 * SECOND, T0 + 60 * SECOND)).build();

    Job after =
        db.apply(of(update(changed, 1, T0 + SECOND + 5, true, T0 + 60 * SECOND)))
            .getResults(0)
            .getJob();

    assertThat(db.execution(due).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(after.getNextFireMs()).as("still the due occurrence").isEqualTo(T0 + SECOND);
    assertThat(count(Family.DUE)).isEqualTo(1);
  }

  @Test
  void aManualRunIsDueNowUnderItsOwnIdAndMovesNoSchedule() {
    createEverySecond("tick");
    Job before = storedJob("tick");

    Execution run = db.apply(of(trigger("tick", T0 + 10))).getResults(0).getExecution();

    assertThat(run.getId()).isEqualTo(NS + "/tick@" + (T0 + 10) + ".m");
    assertThat(run.getTrigger()).isEqualTo(ExecutionTrigger.EXECUTION_TRIGGER_MANUAL);
    assertThat(run.getDueMs()).isEqualTo(T0 + 10);
    db.apply(of(succeeded("n1", 1, T0 + 20, run.getId(), T0 + 99 * SECOND)));
    assertThat(storedJob("tick").getNextFireMs())
        .as("a manual run's result moves no schedule")
        .isEqualTo(before.getNextFireMs());
    assertThat(count(Family.DUE)).isEqualTo(1);
  }

  @Test
  void aManualRunWhileAnOccurrenceIsRunningIsRecordedAsSkippedWithTheReason() {
    createEverySecond("tick");

    Execution run = db.apply(of(trigger("tick", T0 + SECOND + 5))).getResults(0).getExecution();

    assertThat(run.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SKIPPED);
    assertThat(run.getReason())
        .isEqualTo(
            "overlap policy SKIP: "
                + ExecutionIds.of(NS, "tick", T0 + SECOND)
                + " is still running");
    assertThat(db.execution(run.getId())).isEqualTo(run);
    assertThat(count(Family.DUE)).isEqualTo(1);
  }

  @Test
  void keepLastRemovesTheOldestFinishedExecutionsAsNewOnesFinish() {
    Job j = job("tick", everyMs(SECOND, T0 + SECOND)).toBuilder().setKeepLast(3).build();
    db.apply(of(create(j, "", T0 + SECOND, T0)));
    for (int k = 1; k <= 10; k++) {
      long at = T0 + k * SECOND;
      db.apply(of(succeeded("n1", 1, at, ExecutionIds.of(NS, "tick", at), at + SECOND)));
    }
    List<String> kept = new ArrayList<>();
    db.store.scan(
        Family.EXECUTIONS,
        Keys.execution(NS + "/"),
        Keys.execution(NS + "0"),
        100,
        (k, v) -> kept.add(new String(k)));

    assertThat(kept)
        .containsExactly(
            ExecutionIds.of(NS, "tick", T0 + 8 * SECOND),
                ExecutionIds.of(NS, "tick", T0 + 9 * SECOND),
            ExecutionIds.of(NS, "tick", T0 + 10 * SECOND),
                ExecutionIds.of(NS, "tick", T0 + 11 * SECOND));
    assertThat(storedJob("tick").getHistorySize()).isEqualTo(3);
    assertThat(count(Family.HISTORY)).isEqualTo(3);
  }

  @Test
  void expiryRemovesFinishedExecutionsBeforeTheirNamespacesCutoffInBoundedBatches() {
    createEverySecond("tick");
    for (int k = 1; k <= 10; k++) {
      long at = T0 + k * SECOND;
      db.apply(of(succeeded("n1", 1, at, ExecutionIds.of(NS, "tick", at), at + SECOND)));
    }

    OpResult first = db.apply(of(expire(T0 + 6 * SECOND, 3))).getResults(0);
    assertThat(first.getExpired()).as("at most max per op").isEqualTo(3);
    OpResult second = db.apply(of(expire(T0 + 6 * SECOND, 3))).getResults(0);
    assertThat(second.getExpired())
        .as("finished at T0+4s and T0+5s; T0+6s is not before the cutoff")
        .isEqualTo(2);
    assertThat(db.apply(of(expire(T0 + 6 * SECOND, 3))).getResults(0).getExpired()).isZero();

    assertThat(count(Family.HISTORY)).isEqualTo(5);
    assertThat(storedJob("tick").getHistorySize()).isEqualTo(5);
    assertThat(db.execution(ExecutionIds.of(NS, "tick", T0 + 6 * SECOND)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    OpResult otherNamespace =
        db.apply(
                of(
                    Op.newBuilder()
                        .setExpireHistory(
                            ExpireHistory.newBuilder()
                                .setMax(100)
                                .setNowMs(T0)
                                .setDefaultCutoffMs(T0 + 99 * SECOND)
                                .addCutoffs(
                                    NamespaceCutoff.newBuilder().setNamespace(NS).setCutoffMs(0)))
                        .build()))
            .getResults(0);
    assertThat(otherNamespace.getExpired())
        .as("a namespace whose TTL is 0 keeps its history")
        .isZero();
  }

  @Test
  void occurrencesAMisfirePolicyPassedOverAreRecordedAsOneSkippedExecutionWithTheReason() {
    createEverySecond("tick");
    String first = ExecutionIds.of(NS, "tick", T0 + SECOND);
    io.horae.internal.v1.AttemptResult late =
        io.horae.internal.v1.AttemptResult.newBuilder()
            .setExecutionId(first)
            .setOutcome(io.horae.internal.v1.Outcome.OUTCOME_SUCCEEDED)
            .setAttemptNumber(1)
            .setFinishedMs(T0 + 100 * SECOND)
            .setNextFireMs(T0 + 101 * SECOND)
            .setMisfire(
                io.horae.internal.v1.MisfireNote.newBuilder()
                    .setFirstMs(T0 + 2 * SECOND)
                    .setReason("misfire policy SKIP: 99 occurrences"))
            .build();

    db.apply(of(io.horae.statemachine.core.Ops.complete("n1", 1, T0 + 100 * SECOND, late)));

    Execution skipped = db.execution(ExecutionIds.of(NS, "tick", T0 + 2 * SECOND));
    assertThat(skipped.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SKIPPED);
    assertThat(skipped.getReason()).isEqualTo("misfire policy SKIP: 99 occurrences");
    assertThat(db.execution(ExecutionIds.of(NS, "tick", T0 + 101 * SECOND)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(storedJob("tick").getHistorySize()).as("the success and the skip").isEqualTo(2);
    assertThat(count(Family.DUE)).isEqualTo(1);
  }

  @Test
  void eachSuccessOfAJobStartsOneRunOfItsFollowerAndAFailureNone() {
    createEverySecond("a");
    Job follower =
        job("b", Schedule.getDefaultInstance()).toBuilder().clearSchedule().setAfter("a").build();
    db.apply(of(create(follower, "", 0, T0)));
    assertThat(storedJob("b").getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    String first = ExecutionIds.of(NS, "a", T0 + SECOND);

    db.apply(of(succeeded("n1", 1, T0 + SECOND, first, T0 + 2 * SECOND)));
    // The same success again (a second delivery under the same key) is not a second success.
    db.apply(of(succeeded("n1", 1, T0 + SECOND + 5, first, T0 + 2 * SECOND)));
    String second = ExecutionIds.of(NS, "a", T0 + 2 * SECOND);
    db.apply(
        of(
            io.horae.statemachine.core.Ops.complete(
                "n1",
                1,
                T0 + 2 * SECOND,
                io.horae.internal.v1.AttemptResult.newBuilder()
                    .setExecutionId(second)
                    .setOutcome(io.horae.internal.v1.Outcome.OUTCOME_FAILED)
                    .setAttemptNumber(1)
                    .setHttpStatus(500)
                    .setFinishedMs(T0 + 2 * SECOND)
                    .setNextFireMs(T0 + 3 * SECOND)
                    .build())));

    List<String> runs = new ArrayList<>();
    db.store.scan(
        Family.EXECUTIONS,
        Keys.execution(NS + "/b@"),
        Keys.execution(NS + "/b@~"),
        100,
        (k, v) -> runs.add(new String(k)));
    assertThat(runs).containsExactly(NS + "/b@" + (T0 + SECOND) + ".c");
    Execution run = db.execution(runs.get(0));
    assertThat(run.getTrigger()).isEqualTo(ExecutionTrigger.EXECUTION_TRIGGER_CHAIN);
    assertThat(run.getDueMs()).isEqualTo(T0 + SECOND);
  }

  @Test
  void aChainThatWouldCloseACycleIsRefusedAndWritesNothing() {
    db.apply(
        of(
            create(
                job("x", Schedule.getDefaultInstance()).toBuilder()
                    .clearSchedule()
                    .setAfter("y")
                    .build(),
                "",
                0,
                T0)));
    db.apply(
        of(
            create(
                job("y", Schedule.getDefaultInstance()).toBuilder()
                    .clearSchedule()
                    .setAfter("z")
                    .build(),
                "",
                0,
                T0)));

    OpResult r =
        db.apply(
                of(
                    create(
                        job("z", Schedule.getDefaultInstance()).toBuilder()
                            .clearSchedule()
                            .setAfter("x")
                            .build(),
                        "",
                        0,
                        T0)))
            .getResults(0);

    assertThat(r.getRejection().getCode()).isEqualTo(RejectCode.REJECT_INVALID);
    assertThat(r.getRejection().getMessage())
        .isEqualTo("job.after would close a cycle: z after x after y after z");
    assertThat(Queries.getJob(db.store, NS, "z").getJobsCount()).isZero();
  }

  private void createEverySecond(String name) {
    db.apply(of(create(job(name, everyMs(SECOND, T0 + SECOND)), "", T0 + SECOND, T0)));
  }

  private static Schedule everyMs(long interval, long anchor) {
    return Schedule.newBuilder()
        .setEvery(Every.newBuilder().setIntervalMs(interval).setAnchorMs(anchor))
        .build();
  }

  private static Op update(Job job, long baseVersion, long now, boolean reschedule, long next) {
    return Op.newBuilder()
        .setUpdateJob(
            UpdateJob.newBuilder()
                .setJob(job)
                .setBaseVersion(baseVersion)
                .setNowMs(now)
                .setReschedule(reschedule)
                .setNextFireMs(next))
        .build();
  }

  private static Op expire(long cutoff, int max) {
    return Op.newBuilder()
        .setExpireHistory(
            ExpireHistory.newBuilder().setDefaultCutoffMs(cutoff).setMax(max).setNowMs(cutoff))
        .build();
  }

  private Job storedJob(String name) {
    return Queries.getJob(db.store, NS, name).getJobs(0);
  }

  private int count(Family family) {
    int[] n = {0};
    db.store.scan(
        family,
        new byte[0],
        null,
        Integer.MAX_VALUE,
        (k, v) -> {
          n[0]++;
          return true;
        });
    return n[0];
  }
}
