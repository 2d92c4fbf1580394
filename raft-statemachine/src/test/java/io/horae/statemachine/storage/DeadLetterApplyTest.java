package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.complete;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.delete;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Attempt;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.DeadLettersResult;
import io.horae.internal.v1.ListDeadQuery;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Outcome;
import io.horae.internal.v1.PurgeDead;
import io.horae.internal.v1.QueryResult;
import io.horae.internal.v1.ReplayDead;
import io.horae.statemachine.core.Applied;
import io.horae.statemachine.core.ExecutionChange;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Queries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReplayDead, PurgeDead and the ListDead query against a real RocksDB: executions are driven to
 * DEAD through real Complete ops, then the DEAD, due and execution families are read back after
 * each op.
 */
class DeadLetterApplyTest {
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
  void replayMovesADeadExecutionBackToPendingWithTheSameIdAndAttemptCountAndMakesItDueAgain() {
    String id = dead("a", T0 + 1000, T0 + 1100, 400);
    Execution before = db.execution(id);

    Applied applied = db.applyEntry(of(replay(T0 + 5000, id)));

    assertThat(counts(applied)).isEqualTo(DeadLettersResult.newBuilder().setDone(1).build());
    Execution after = db.execution(id);
    assertThat(after.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(after.getId()).isEqualTo(before.getId());
    assertThat(after.getAttempt()).isEqualTo(before.getAttempt()).isEqualTo(1);
    assertThat(after.getAttemptsList()).isEqualTo(before.getAttemptsList()).hasSize(1);
    assertThat(after.getDueMs()).isEqualTo(T0 + 5000);
    assertThat(after.getFinishedMs()).isZero();
    assertThat(keys(Family.DUE)).containsExactly(Keys.due(after.getShard(), T0 + 5000, id));
    assertThat(keys(Family.DEAD)).isEmpty();
    assertThat(applied.dueChanged()).isTrue();
    assertThat(applied.executions()).containsExactly(new ExecutionChange(after, false));
  }

  @Test
  void aReplayedExecutionTakesAResultForItsNextAttemptCountedAfterTheLastOne() {
    String id = dead("a", T0 + 1000, T0 + 1100, 400);
    db.applyEntry(of(replay(T0 + 5000, id)));

    db.applyEntry(
        of(complete("n1", 1, T0 + 5100, result(id, Outcome.OUTCOME_SUCCEEDED, 200, T0 + 5100, 2))));

    Execution done = db.execution(id);
    assertThat(done.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(done.getAttempt()).isEqualTo(2);
    assertThat(done.getAttemptsList()).extracting(Attempt::getNumber).containsExactly(1, 2);
  }

  @Test
  void replayingAnIdThatIsNotDeadChangesNothingAndIsCountedAsSkipped() {
    String dead = dead("a", T0 + 1000, T0 + 1100, 400);
    db.applyEntry(of(createAt("pending", T0 + 9000, T0)));
    String pending = ExecutionIds.of(NS, "pending", T0 + 9000);
    db.applyEntry(of(replay(T0 + 5000, dead)));
    Execution replayedOnce = db.execution(dead);
    Execution stillPending = db.execution(pending);
    List<byte[]> dueBefore = keys(Family.DUE);

    Applied again =
        db.applyEntry(of(replay(T0 + 7000, dead, pending, ExecutionIds.of(NS, "unknown", T0))));

    assertThat(counts(again)).isEqualTo(DeadLettersResult.newBuilder().setSkipped(3).build());
    assertThat(db.execution(dead)).isEqualTo(replayedOnce);
    assertThat(db.execution(pending)).isEqualTo(stillPending);
    assertThat(keys(Family.DUE)).containsExactlyElementsOf(dueBefore);
    assertThat(again.executions()).as("nothing was written").isEmpty();
  }

  @Test
  void theSameIdTwiceInOneBatchIsReplayedOnceAndSkippedOnce() {
    String id = dead("a", T0 + 1000, T0 + 1100, 400);

    Applied applied = db.applyEntry(of(replay(T0 + 5000, id, id)));

    assertThat(counts(applied))
        .isEqualTo(DeadLettersResult.newBuilder().setDone(1).setSkipped(1).build());
    assertThat(keys(Family.DUE)).hasSize(1);
  }

  @Test
  void aDeadLetterWhoseJobWasDeletedIsSkippedByReplayButCanBePurged() {
    String id = dead("gone", T0 + 1000, T0 + 1100, 400);
    db.applyEntry(of(delete("gone", T0 + 2000)));

    assertThat(counts(db.applyEntry(of(replay(T0 + 5000, id)))))
        .isEqualTo(DeadLettersResult.newBuilder().setSkipped(1).build());
    assertThat(db.execution(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(counts(db.applyEntry(of(purge(id)))))
        .isEqualTo(DeadLettersResult.newBuilder().setDone(1).build());
  }

  @Test
  void purgeRemovesTheDeadEntryAndTheExecutionRecordAndSkipsWhatIsNotDead() {
    String a = dead("a", T0 + 1000, T0 + 1100, 400);
    String b = dead("b", T0 + 1000, T0 + 1200, 404);
    db.applyEntry(of(createAt("pending", T0 + 9000, T0)));
    String pending = ExecutionIds.of(NS, "pending", T0 + 9000);

    Applied applied = db.applyEntry(of(purge(a, pending, a)));

    assertThat(counts(applied))
        .isEqualTo(DeadLettersResult.newBuilder().setDone(1).setSkipped(2).build());
    assertThat(store.get(Family.EXECUTIONS, Keys.execution(a))).isNull();
    assertThat(keys(Family.DEAD)).containsExactly(Keys.dead(NS, T0 + 1200, b));
    assertThat(db.execution(pending).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
  }

  @Test
  void listDeadFiltersByJobStatusAndTimeAndResumesAfterItsScanBound() {
    String a = dead("a", T0 + 1000, T0 + 1100, 400);
    String b = dead("b", T0 + 1000, T0 + 1200, 404);
    String c = dead("c", T0 + 1000, T0 + 1300, 400);

    assertThat(ids(list().build())).containsExactly(a, b, c);
    assertThat(ids(list().setHttpStatus(400).build())).containsExactly(a, c);
    assertThat(ids(list().setJobName("b").build())).containsExactly(b);
    assertThat(ids(list().setDeadFromMs(T0 + 1200).setDeadToMs(T0 + 1300).build()))
        .containsExactly(b);

    QueryResult first = Queries.listDead(store, list().setHttpStatus(404).setScanMax(1).build());
    assertThat(first.getExecutionsList()).isEmpty();
    assertThat(first.getMore()).isTrue();
    assertThat(first.getResumeAfterId()).isEqualTo(a);
    assertThat(first.getResumeAfterDeadMs()).isEqualTo(T0 + 1100);
    QueryResult second =
        Queries.listDead(
            store,
            list()
                .setHttpStatus(404)
                .setScanMax(1)
                .setAfterId(a)
                .setAfterDeadMs(T0 + 1100)
                .build());
    assertThat(ids(second)).containsExactly(b);
    assertThat(ids(Queries.listDead(store, list().setNamespace("elsewhere").build()))).isEmpty();
    assertThat(ids(list().setAfterId(a).setAfterDeadMs(T0 + 1100).setDeadFromMs(T0 + 1250).build()))
        .as("a resume position before the range starts at the range")
        .containsExactly(c);
  }

  /** Creates a one-shot job at atMs whose single attempt fails for good with httpStatus. */
  private String dead(String name, long atMs, long finishedMs, int httpStatus) {
    String id = ExecutionIds.of(NS, name, atMs);
    db.applyEntry(of(createAt(name, atMs, T0)));
    db.applyEntry(
        of(
            complete(
                "n1",
                1,
                finishedMs,
                result(id, Outcome.OUTCOME_FAILED, httpStatus, finishedMs, 1))));
    assertThat(db.execution(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    return id;
  }

  private static AttemptResult result(
      String id, Outcome outcome, int httpStatus, long finishedMs, int number) {
    return AttemptResult.newBuilder()
        .setExecutionId(id)
        .setOutcome(outcome)
        .setHttpStatus(httpStatus)
        .setFinishedMs(finishedMs)
        .setAttemptNumber(number)
        .setAttempt(
            Attempt.newBuilder()
                .setNumber(number)
                .setNode("n1")
                .setStartedMs(finishedMs - 10)
                .setHttpStatus(httpStatus))
        .build();
  }

  static Op replay(long dueMs, String... ids) {
    return Op.newBuilder()
        .setReplayDead(
            ReplayDead.newBuilder()
                .addAllExecutionIds(Arrays.asList(ids))
                .setDueMs(dueMs)
                .setNowMs(dueMs))
        .build();
  }

  static Op purge(String... ids) {
    return Op.newBuilder()
        .setPurgeDead(PurgeDead.newBuilder().addAllExecutionIds(Arrays.asList(ids)))
        .build();
  }

  private static ListDeadQuery.Builder list() {
    return ListDeadQuery.newBuilder().setNamespace(NS).setLimit(10).setScanMax(100);
  }

  private List<String> ids(ListDeadQuery q) {
    return ids(Queries.listDead(store, q));
  }

  private static List<String> ids(QueryResult r) {
    return r.getExecutionsList().stream().map(Execution::getId).toList();
  }

  private static DeadLettersResult counts(Applied applied) {
    return applied.result().getResults(0).getDeadLetters();
  }

  private List<byte[]> keys(Family family) {
    List<byte[]> keys = new ArrayList<>();
    store.scan(family, new byte[0], null, 1000, (k, v) -> keys.add(k));
    return keys;
  }
}
