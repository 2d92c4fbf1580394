package io.horae.statemachine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.ExecutionStatus;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.NamespaceUsage;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Outcome;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.NamespaceUsages;
import io.horae.statemachine.core.Ops;
import io.horae.statemachine.core.Tx;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply remembers the meta records one entry reads and writes (State's meta memo): a batch of
 * creates reads its namespace's usage counter from the store once and writes it once per create,
 * and a new execution's live-index entry is written without being looked for; nor is it looked for
 * when an execution's record is replaced (a result, a replay, a cancel): it exists exactly while
 * the record read before is live.
 */
class MetaMemoApplyTest {
  private static final long T0 = 1_000_000L;
  private static final int CREATES = 50;

  @Test
  void aBatchOfCreatesReadsItsNamespacesUsageOnceAndWritesItOncePerCreate(@TempDir Path dir) {
    try (TempStore store = new TempStore(dir)) {
      store.apply(Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1"))));
      store.apply(Ops.of(Ops.createAt("first", T0 + 5_000, T0)));

      Counting[] counted = new Counting[1];
      var results = store.applyEntry(creates(), tx -> counted[0] = new Counting(tx)).result();

      assertThat(results.getResultsList()).noneMatch(r -> r.hasRejection());
      assertThat(counted[0].usageReads).as("reads of the usage counter").isEqualTo(1);
      assertThat(counted[0].usageWrites).as("writes of the usage counter").isEqualTo(CREATES);
      assertThat(counted[0].liveReads).as("reads of the live index").isZero();
      assertThat(NamespaceUsages.of(store.store, Ops.NS))
          .isEqualTo(
              NamespaceUsage.newBuilder().setJobs(CREATES + 1).setPending(CREATES + 1).build());
      assertThat(store.store.get(Family.LIVE, Keys.live(Ops.NS, "job-7", executionId("job-7"))))
          .isNotNull();
    }
  }

  @Test
  void anExecutionsRetryDeathReplayAndCancelMoveTheLiveIndexAndCountWithoutReadingTheLiveIndex(
      @TempDir Path dir) {
    try (TempStore store = new TempStore(dir)) {
      store.apply(Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1"))));
      store.apply(Ops.of(Ops.createAt("once", T0 + 5_000, T0)));
      String id = executionId("once");

      step(store, failed(id, 1, T0 + 9_000), ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT, true);
      step(store, failed(id, 2, 0), ExecutionStatus.EXECUTION_STATUS_DEAD, false);
      step(
          store,
          DeadLetterApplyTest.replay(T0 + 20_000, id),
          ExecutionStatus.EXECUTION_STATUS_PENDING,
          true);
      step(
          store,
          CancelApplyTest.cancel(id, T0 + 21_000, 0),
          ExecutionStatus.EXECUTION_STATUS_CANCELLED,
          false);
    }
  }

  /** Applies op alone and checks the record, its live entry and the live count after it. */
  private static void step(TempStore store, Op op, ExecutionStatus expected, boolean live) {
    Counting[] counted = new Counting[1];
    var results = store.applyEntry(Ops.of(op), tx -> counted[0] = new Counting(tx)).result();
    String id = executionId("once");
    assertThat(results.getResultsList()).noneMatch(r -> r.hasRejection());
    assertThat(store.execution(id).getStatus()).isEqualTo(expected);
    assertThat(counted[0].liveReads).as("reads of the live index").isZero();
    assertThat(store.store.get(Family.LIVE, Keys.live(Ops.NS, "once", id)) != null)
        .as("live entry after " + expected)
        .isEqualTo(live);
    assertThat(NamespaceUsages.of(store.store, Ops.NS).getPending())
        .as("live count after " + expected)
        .isEqualTo(live ? 1 : 0);
  }

  private static Op failed(String id, int attempt, long retryAtMs) {
    return Ops.complete(
        "n1",
        1,
        T0 + 6_000 * attempt,
        AttemptResult.newBuilder()
            .setExecutionId(id)
            .setOutcome(Outcome.OUTCOME_FAILED)
            .setAttemptNumber(attempt)
            .setHttpStatus(500)
            .setFinishedMs(T0 + 6_000 * attempt)
            .setRetryAtMs(retryAtMs)
            .build());
  }

  private static Command creates() {
    Command.Builder entry = Command.newBuilder();
    for (int i = 0; i < CREATES; i++) {
      entry.addOps(Ops.createAt("job-" + i, T0 + 5_000, T0));
    }
    return entry.build();
  }

  private static String executionId(String job) {
    return io.horae.statemachine.core.ExecutionIds.of(Ops.NS, job, T0 + 5_000);
  }

  /** The transaction, counting what reaches it of the usage counter and the live index. */
  private static final class Counting extends ForwardingTx {
    private static final byte[] USAGE = Keys.nsUsage(Ops.NS);
    int usageReads;
    int usageWrites;
    int liveReads;

    Counting(Tx tx) {
      super(tx);
    }

    @Override
    public byte[] get(Family family, byte[] key) {
      if (family == Family.META && Arrays.equals(key, USAGE)) {
        usageReads++;
      } else if (family == Family.LIVE) {
        liveReads++;
      }
      return super.get(family, key);
    }

    @Override
    public void put(Family family, byte[] key, byte[] value) {
      if (family == Family.META && Arrays.equals(key, USAGE)) {
        usageWrites++;
      }
      super.put(family, key, value);
    }
  }
}
