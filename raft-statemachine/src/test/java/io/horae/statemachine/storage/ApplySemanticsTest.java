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
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Outcome;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.Released;
import io.horae.internal.v1.ShardMap;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Queries;
import io.horae.statemachine.core.Shards;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each command does when applied, against a real RocksDB: creates, idempotent retries,
 * first-result-wins completions across tenures, the hand-off barrier, recurring chains and deletes.
 */
class ApplySemanticsTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final int SHARDS = 4;

  @TempDir Path tmp;
  private TempStore db;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void createIsRefusedUntilTheClusterHasAShardMap() {
    CommandResult r = db.apply(of(createAt("a", T0 + 1000, T0)));
    assertThat(r.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_NOT_READY);
    assertThat(Queries.getJob(db.store, NS, "a").getJobsCount()).isZero();
  }

  @Test
  void createStoresTheJobAndItsFirstExecutionDueOnItsShard() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    Job job = db.apply(of(createAt("a", T0 + 1000, T0))).getResults(0).getJob();

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(job.getVersion()).isEqualTo(1);
    assertThat(job.getCreateTimeMs()).isEqualTo(T0);
    assertThat(job.getNextFireMs()).isEqualTo(T0 + 1000);
    String id = ExecutionIds.of(NS, "a", T0 + 1000);
    int shard = Shards.of(NS, "a", SHARDS);
    assertThat(db.store.get(Family.DUE, Keys.due(shard, T0 + 1000, id))).isNotNull();
    assertThat(db.execution(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
  }

  @Test
  void aSecondCreateOfTheSameNameInTheSameEntryIsRefused() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    CommandResult r = db.apply(of(createAt("a", T0 + 1000, T0), createAt("a", T0 + 2000, T0)));
    assertThat(r.getResults(0).hasJob()).isTrue();
    assertThat(r.getResults(1).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_ALREADY_EXISTS);
  }

  @Test
  void aRetriedCreateWithTheSameRequestIdReturnsTheFirstResult() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    Job j = job("a", Schedule.newBuilder().setAtMs(T0 + 1000).build());
    Job first = db.apply(of(create(j, "req-1", T0 + 1000, T0))).getResults(0).getJob();
    CommandResult again = db.apply(of(create(j, "req-1", T0 + 1000, T0 + 50)));
    assertThat(again.getResults(0).getJob()).isEqualTo(first);
    CommandResult otherId = db.apply(of(create(j, "req-2", T0 + 1000, T0 + 60)));
    assertThat(otherId.getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_ALREADY_EXISTS);
  }

  @Test
  void aRequestIdReusedForAnotherJobIsRejectedAndCreatesNothing() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    db.apply(
        of(
            create(
                job("first", Schedule.newBuilder().setAtMs(T0 + 1000).build()),
                "req-x",
                T0 + 1000,
                T0)));
    CommandResult reused =
        db.apply(
            of(
                create(
                    job("second", Schedule.newBuilder().setAtMs(T0 + 1000).build()),
                    "req-x",
                    T0 + 1000,
                    T0 + 50)));
    assertThat(reused.getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_REQUEST_REUSED);
    assertThat(reused.getResults(0).getRejection().getMessage())
        .contains("default/first", "default/second");
    assertThat(
            db.store.get(
                io.horae.statemachine.core.Family.JOBS,
                io.horae.statemachine.core.Keys.job("default", "second")))
        .isNull();
  }

  @Test
  void expiredRequestRecordsAreRemovedByLaterCreatesAndLiveOnesAreKept() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    long day = 86_400_000L;
    for (int i = 0; i < 5; i++) {
      db.apply(
          of(
              create(
                  job("old-" + i, Schedule.newBuilder().setAtMs(T0 + 1000).build()),
                  "old-" + i,
                  T0 + 1000,
                  T0)));
    }
    assertThat(count(Family.REQUESTS)).as("records and their index entries").isEqualTo(10);
    // A day later, one create removes the expired records (fewer than its budget) and adds its own.
    long later = T0 + day + 1;
    db.apply(
        of(
            create(
                job("new", Schedule.newBuilder().setAtMs(later + 1000).build()),
                "new",
                later + 1000,
                later)));
    assertThat(count(Family.REQUESTS)).isEqualTo(2);
    // The expired id is free again: retrying it is now an ordinary create of an existing name.
    CommandResult retried =
        db.apply(
            of(
                create(
                    job("old-0", Schedule.newBuilder().setAtMs(later + 1000).build()),
                    "old-0",
                    later + 1000,
                    later + 1)));
    assertThat(retried.getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_ALREADY_EXISTS);
    CommandResult again =
        db.apply(
            of(
                create(
                    job("new", Schedule.newBuilder().setAtMs(later + 1000).build()),
                    "new",
                    later + 1000,
                    later + 2)));
    assertThat(again.getResults(0).hasJob())
        .as("a live request id still answers the first result")
        .isTrue();
  }

  @Test
  void theFirstResultForTheNextAttemptWinsAndALaterOneForTheSameAttemptIsIgnored() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    db.apply(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);

    assertThat(
            db.apply(of(succeeded("n1", 1, T0 + 1100, id, 0)))
                .getResults(0)
                .getComplete()
                .getAccepted())
        .isEqualTo(1);
    // A second sender around a failure reports the same attempt under the same key: ignored.
    assertThat(
            db.apply(of(failed("n2", id, 1, T0 + 1200, T0 + 5000)))
                .getResults(0)
                .getComplete()
                .getIgnored())
        .isEqualTo(1);

    Execution e = db.execution(id);
    assertThat(e.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(e.getAttempt()).isEqualTo(1);
    assertThat(dueKeys()).isEmpty();
  }

  @Test
  void aLateResultOfAnEndedTenureIsIgnoredOnceTheNewOwnerRecordedThatAttempt() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    db.apply(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);
    db.apply(of(shardMap(1, 2, owners(SHARDS, "n2"))));
    db.apply(of(failed("n2", id, 1, T0 + 1200, T0 + 5000)));

    CommandResult late = db.apply(of(succeeded("n1", 1, T0 + 1100, id, 0)));

    assertThat(late.getResults(0).getComplete().getIgnored()).isEqualTo(1);
    assertThat(db.execution(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT);
    assertThat(
            db.apply(of(failed("n2", id, 3, T0 + 5100, 0)))
                .getResults(0)
                .getComplete()
                .getIgnored())
        .as("a result for an attempt not yet made is ignored too")
        .isEqualTo(1);
    assertThat(
            db.apply(of(failed("n2", id, 2, T0 + 5100, 0)))
                .getResults(0)
                .getComplete()
                .getAccepted())
        .isEqualTo(1);
    assertThat(db.execution(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
  }

  @Test
  void theOldOwnersResultCountsWhileTheExecutionStillWaitsForThatAttempt() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    db.apply(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);
    // n1 sent the request before the shard moved; its result arrives after the move.
    db.apply(of(shardMap(1, 2, owners(SHARDS, "n2"))));

    assertThat(
            db.apply(of(succeeded("n1", 1, T0 + 1100, id, 0)))
                .getResults(0)
                .getComplete()
                .getAccepted())
        .isEqualTo(1);
    assertThat(db.execution(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(dueKeys()).as("nothing left for the new owner to fire").isEmpty();
  }

  @Test
  void aLiveHandOffWaitsForReleasedFromTheOldOwnersTenureAndNothingElseClearsIt() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    db.apply(of(liveMove(1, 2, owners(SHARDS, "n2"), 0)));
    ShardMap moved = shardMapNow();
    assertThat(moved.getHandoff(0)).isTrue();
    assertThat(moved.getHandoffFrom(0)).isEqualTo("n1");
    assertThat(moved.getHandoffFromEpoch(0)).isEqualTo(1);
    assertThat(moved.getHandoff(1)).as("moved from a silent owner: no barrier").isFalse();

    db.apply(of(released(0, "n2", 1), released(0, "n1", 2), released(1, "n1", 1)));
    assertThat(shardMapNow().getHandoff(0))
        .as("only the old owner, for its own tenure, releases")
        .isTrue();

    // Moved on before it was released: the next owner waits for the first old owner still.
    db.apply(of(liveMove(2, 3, owners(SHARDS, "n3"), 0)));
    assertThat(shardMapNow().getHandoffFrom(0)).isEqualTo("n1");
    assertThat(shardMapNow().getShardEpochs(0)).isEqualTo(3);

    CommandResult r = db.apply(of(released(0, "n1", 1)));
    assertThat(r.getResults(0).getShardMap().getHandoff(0)).isFalse();
    assertThat(shardMapNow().getHandoff(0)).isFalse();
    assertThat(shardMapNow().getEpoch()).as("a release is not a new map").isEqualTo(3);
  }

  @Test
  void aLeadersMapOrReleaseCountsOnlyInAnEntryOfItsOwnTerm() {
    db.applyInTerm(1, of(bound(shardMap(0, 1, owners(SHARDS, "n1")), 1)));
    db.applyInTerm(1, of(bound(liveMove(1, 2, owners(SHARDS, "n2"), 0), 1)));

    // Chaos seed 6003: the leader of term 1, cut off, decided that a live node was silent; its
    // proposal reached the leader of term 2 after the partition healed.
    CommandResult stale = db.applyInTerm(2, of(bound(shardMap(2, 3, owners(SHARDS, "n3")), 1)));
    assertThat(stale.getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_STALE_TERM);
    assertThat(stale.getResults(0).getRejection().getMessage())
        .contains("term 1")
        .contains("term 2");
    assertThat(shardMapNow().getEpoch()).as("nothing written").isEqualTo(2);

    Op leaderRelease =
        Op.newBuilder()
            .setReleased(released(0, "n1", 1).getReleased().toBuilder().setLeaderTerm(1))
            .build();
    assertThat(db.applyInTerm(2, of(leaderRelease)).getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_STALE_TERM);
    assertThat(shardMapNow().getHandoff(0)).isTrue();

    assertThat(db.applyInTerm(3, of(released(0, "n1", 1))).getResults(0).hasRejection())
        .as("an owner's own release is bound to no term")
        .isFalse();
    assertThat(
            db.applyInTerm(3, of(bound(shardMap(2, 3, owners(SHARDS, "n3")), 3)))
                .getResults(0)
                .hasRejection())
        .isFalse();
  }

  /** The op as decided by the leader of {@code term}. */
  private static Op bound(Op setShardMap, long term) {
    return setShardMap.toBuilder()
        .setSetShardMap(setShardMap.getSetShardMap().toBuilder().setLeaderTerm(term))
        .build();
  }

  @Test
  void aStaleShardMapProposalIsRefused() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    CommandResult r = db.apply(of(shardMap(0, 2, owners(SHARDS, "n2"))));
    assertThat(r.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_STALE_EPOCH);
    CommandResult count = db.apply(of(shardMap(1, 2, owners(SHARDS + 1, "n2"))));
    assertThat(count.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_INVALID);
  }

  @Test
  void successOfAOneShotCompletesTheJobAndRemovesItsDueEntry() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    db.apply(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);
    db.apply(of(succeeded("n1", 1, T0 + 1010, id, 0)));

    assertThat(storedJob("a").getState()).isEqualTo(JobState.JOB_STATE_COMPLETED);
    assertThat(dueKeys()).isEmpty();
    assertThat(db.execution(id).getAttempt()).isEqualTo(1);
  }

  @Test
  void aRecurringJobGetsItsNextOccurrenceFromTheCompletingNode() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    Job every =
        job(
            "tick",
            Schedule.newBuilder()
                .setEvery(Every.newBuilder().setIntervalMs(1000).setAnchorMs(T0 + 1000))
                .build());
    db.apply(of(create(every, "", T0 + 1000, T0)));
    String first = ExecutionIds.of(NS, "tick", T0 + 1000);
    db.apply(of(succeeded("n1", 1, T0 + 1200, first, T0 + 2000)));

    Job job = storedJob("tick");
    assertThat(job.getNextFireMs()).isEqualTo(T0 + 2000);
    assertThat(job.getFireCount()).isEqualTo(2);
    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(db.execution(ExecutionIds.of(NS, "tick", T0 + 2000)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(dueKeys()).hasSize(1);
  }

  @Test
  void aFailureWithARetryTimeWaitsAndOneWithoutGoesToTheDeadLetters() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    db.apply(of(createAt("a", T0 + 1000, T0)));
    String id = ExecutionIds.of(NS, "a", T0 + 1000);
    db.apply(of(failed("n1", id, 1, T0 + 1100, T0 + 5000)));
    assertThat(db.execution(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT);
    assertThat(db.execution(id).getDueMs()).isEqualTo(T0 + 5000);
    assertThat(storedJob("a").getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);

    db.apply(of(failed("n1", id, 2, T0 + 5100, 0)));
    assertThat(db.execution(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(db.execution(id).getAttempt()).isEqualTo(2);
    assertThat(dueKeys()).isEmpty();
    assertThat(count(Family.DEAD)).isEqualTo(1);
    assertThat(storedJob("a").getState()).isEqualTo(JobState.JOB_STATE_COMPLETED);
  }

  @Test
  void deleteCancelsLiveExecutionsAndAMissingJobIsNotFound() {
    db.apply(of(shardMap(0, 1, owners(SHARDS, "n1"))));
    db.apply(of(createAt("a", T0 + 1000, T0)));
    CommandResult r = db.apply(of(io.horae.statemachine.core.Ops.delete("a", T0 + 10)));
    assertThat(r.getResults(0).getCancelledExecutions()).isEqualTo(1);
    assertThat(dueKeys()).isEmpty();
    assertThat(db.execution(ExecutionIds.of(NS, "a", T0 + 1000)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    CommandResult again = db.apply(of(io.horae.statemachine.core.Ops.delete("a", T0 + 20)));
    assertThat(again.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_NOT_FOUND);
  }

  private static io.horae.internal.v1.Op failed(
      String node, String id, int attempt, long nowMs, long retryAtMs) {
    return io.horae.statemachine.core.Ops.complete(
        node,
        1,
        nowMs,
        AttemptResult.newBuilder()
            .setExecutionId(id)
            .setOutcome(Outcome.OUTCOME_FAILED)
            .setAttemptNumber(attempt)
            .setHttpStatus(503)
            .setFinishedMs(nowMs)
            .setRetryAtMs(retryAtMs)
            .build());
  }

  private static Op released(int shard, String node, long epoch) {
    return Op.newBuilder()
        .setReleased(Released.newBuilder().setShard(shard).setNodeId(node).setEpoch(epoch))
        .build();
  }

  /** Moves every shard to the owners given; shard liveShard is a live hand-off. */
  private static Op liveMove(long expectedEpoch, long epoch, List<String> owners, int liveShard) {
    Op plain = shardMap(expectedEpoch, epoch, owners);
    return plain.toBuilder()
        .setSetShardMap(plain.getSetShardMap().toBuilder().addLiveHandoffShards(liveShard))
        .build();
  }

  private ShardMap shardMapNow() {
    return Queries.shardMap(db.store).getShardMap();
  }

  private Job storedJob(String name) {
    return Queries.getJob(db.store, NS, name).getJobs(0);
  }

  private List<byte[]> dueKeys() {
    List<byte[]> keys = new ArrayList<>();
    db.store.scan(Family.DUE, new byte[0], null, 1000, (k, v) -> keys.add(k));
    return keys;
  }

  private int count(Family f) {
    int[] n = {0};
    db.store.scan(f, new byte[0], null, 1000, (k, v) -> ++n[0] > 0);
    return n[0];
  }
}
