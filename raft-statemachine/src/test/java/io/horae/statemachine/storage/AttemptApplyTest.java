package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.create;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.job;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Attempt;
import io.horae.api.v1.Every;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Complete;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Outcome;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Queries;
import io.horae.statemachine.core.Shards;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How attempt results land: deferrals, the bounded attempt history, trace ids and 410 pauses. */
class AttemptApplyTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final int SHARDS = 4;

  @TempDir Path tmp;
  private TempStore db;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aDeferralWaitsUntilItsRetryTimeWithoutSpendingAnAttempt() {
    db.apply(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);

    db.apply(
        of(
            complete(
                0,
                result(id, Outcome.OUTCOME_DEFERRED, 0)
                    .setRetryAtMs(T0 + 9000)
                    .setError("circuit open"))));

    Execution e = db.execution(id);
    assertThat(e.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT);
    assertThat(e.getAttempt()).isZero();
    assertThat(e.getDeferrals()).isEqualTo(1);
    assertThat(e.getDueMs()).isEqualTo(T0 + 9000);
    int shard = Shards.of(NS, "a", SHARDS);
    assertThat(db.store.get(Family.DUE, Keys.due(shard, T0 + 9000, id))).isNotNull();
    assertThat(db.store.get(Family.DUE, Keys.due(shard, T0 + 1000, id))).isNull();
  }

  @Test
  void theHistoryKeepsTheFirstAttemptAndTheLatestOnesUpToItsLimit() {
    db.apply(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);
    for (int n = 1; n <= 6; n++) {
      AttemptResult.Builder r =
          result(id, n < 6 ? Outcome.OUTCOME_FAILED : Outcome.OUTCOME_SUCCEEDED, n)
              .setTraceId("trace-" + n);
      if (n < 6) {
        r.setRetryAtMs(T0 + 1000 + n);
      }
      db.apply(of(complete(3, r)));
    }

    Execution e = db.execution(id);
    assertThat(e.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(e.getAttempt()).isEqualTo(6);
    assertThat(e.getAttemptsList()).extracting(Attempt::getNumber).containsExactly(1, 5, 6);
    assertThat(e.getTraceId()).as("set by the first attempt, kept after").isEqualTo("trace-1");
  }

  @Test
  void a410PausesARecurringJobWithItsReasonButNotAOneShot() {
    Job every =
        job(
            "tick",
            Schedule.newBuilder()
                .setEvery(Every.newBuilder().setIntervalMs(1000).setAnchorMs(T0 + 1000))
                .build());
    db.apply(of(create(every, "", T0 + 1000, T0)));
    db.apply(of(createAt("once", T0 + 1000, T0)));
    String tick = ExecutionIds.of(NS, "tick", T0 + 1000);
    String once = ExecutionIds.of(NS, "once", T0 + 1000);

    db.apply(
        of(
            complete(
                0,
                result(tick, Outcome.OUTCOME_FAILED, 1)
                    .setHttpStatus(410)
                    .setPauseReason("gone")
                    .setNextFireMs(T0 + 2000),
                result(once, Outcome.OUTCOME_FAILED, 1)
                    .setHttpStatus(410)
                    .setPauseReason("gone"))));

    Job paused = Queries.getJob(db.store, NS, "tick").getJobs(0);
    assertThat(paused.getState()).isEqualTo(JobState.JOB_STATE_PAUSED);
    assertThat(paused.getPausedReason()).isEqualTo("gone");
    assertThat(db.execution(tick).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(
            db.store.get(Family.EXECUTIONS, Keys.execution(ExecutionIds.of(NS, "tick", T0 + 2000))))
        .as("a paused job gets no next occurrence")
        .isNull();
    assertThat(Queries.getJob(db.store, NS, "once").getJobs(0).getState())
        .isEqualTo(JobState.JOB_STATE_COMPLETED);
  }

  private static AttemptResult.Builder result(String id, Outcome outcome, int attempt) {
    AttemptResult.Builder r =
        AttemptResult.newBuilder()
            .setExecutionId(id)
            .setOutcome(outcome)
            .setFinishedMs(T0 + 1100)
            .setAttemptNumber(Math.max(1, attempt));
    if (attempt > 0) {
      r.setAttempt(
          Attempt.newBuilder()
              .setNumber(attempt)
              .setNode("n1")
              .setHttpStatus(outcome == Outcome.OUTCOME_SUCCEEDED ? 200 : 503));
    }
    return r;
  }

  private static Op complete(int historyMax, AttemptResult.Builder... results) {
    Complete.Builder c =
        Complete.newBuilder()
            .setNodeId("n1")
            .setEpoch(1)
            .setNowMs(T0 + 1100)
            .setAttemptHistoryMax(historyMax);
    for (AttemptResult.Builder r : results) {
      c.addResults(r);
    }
    return Op.newBuilder().setComplete(c).build();
  }
}
