package io.horae.statemachine.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnknownFieldSet;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.NamespaceUsage;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.statemachine.core.Applied;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.NamespaceUsages;
import io.horae.statemachine.core.Ops;
import io.horae.statemachine.core.Tx;
import io.horae.statemachine.core.UnknownOpException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Apply never throws on content; only storage failures and unknown op kinds stop a node. */
class ApplyFaultTest {
  private static final long SEED = Long.getLong("apply.fuzz.seed", 20261202L);
  private static final int OPS = Integer.getInteger("apply.fuzz.ops", 4_000);

  @Test
  void randomOpsNeverStopApplyAndLeaveTwoReplicasWithTheSameState(
      @TempDir Path a, @TempDir Path b) {
    System.out.println("ApplyFaultTest seed=" + SEED + " ops=" + OPS);
    Map<String, Integer> faultsByKind = new TreeMap<>();
    Map<String, String> faultExample = new TreeMap<>();
    try (TempStore one = new TempStore(a);
        TempStore two = new TempStore(b)) {
      for (Command setup : setup()) {
        one.apply(setup);
        two.apply(setup);
      }
      RandomOps ops = new RandomOps(SEED);
      Random sizes = new Random(SEED);
      for (int done = 0; done < OPS; ) {
        Command.Builder entry = Command.newBuilder();
        int n = 1 + sizes.nextInt(8);
        for (int i = 0; i < n; i++) {
          entry.addOps(ops.next());
        }
        done += n;
        Command command = entry.build();
        Applied first = one.applyEntry(command);
        Applied second = two.applyEntry(command);
        assertThat(second.result())
            .as("seed=%d: results of the same entry on two replicas", SEED)
            .isEqualTo(first.result());
        for (int i = 0; i < command.getOpsCount(); i++) {
          OpResult r = first.result().getResults(i);
          if (r.getRejection().getCode() == RejectCode.REJECT_APPLY_FAULT) {
            String kind = command.getOps(i).getKindCase().name();
            faultsByKind.merge(kind, 1, Integer::sum);
            faultExample.putIfAbsent(kind, r.getRejection().getMessage());
          }
        }
      }
      assertThat(one.store.digest())
          .as("seed=%d: digests of two replicas after the same log", SEED)
          .isEqualTo(two.store.digest());
    }
    System.out.println(
        "ApplyFaultTest faults by op kind " + faultsByKind + " examples " + faultExample);
  }

  @Test
  void anOpOfAKindThisBuildDoesNotKnowStopsApplyWithoutAdvancingTheAppliedIndex(@TempDir Path dir) {
    Op unknown =
        Op.newBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                    .build())
            .build();
    try (TempStore store = new TempStore(dir)) {
      long before = store.store.appliedIndex();
      assertThatThrownBy(() -> store.apply(Ops.of(Ops.createAt("kept-out", 5_000, 1_000), unknown)))
          .isInstanceOf(UnknownOpException.class)
          .hasMessageContaining("999");
      assertThat(store.store.appliedIndex()).isEqualTo(before);
      assertThat(store.store.get(Family.JOBS, Keys.job(Ops.NS, "kept-out"))).isNull();
    }
  }

  @Test
  void anEmptyOpIsRejectedAsInvalidAndTheRestOfItsEntryApplies(@TempDir Path dir) {
    try (TempStore store = new TempStore(dir)) {
      store.apply(Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1"))));
      var results =
          store.apply(Ops.of(Op.getDefaultInstance(), Ops.createAt("after-empty", 5_000, 1_000)));
      assertThat(results.getResults(0).getRejection().getCode())
          .isEqualTo(RejectCode.REJECT_INVALID);
      assertThat(results.getResults(1).hasRejection()).as("%s", results.getResults(1)).isFalse();
    }
  }

  @Test
  void anOpThatFailsWhileAppliedIsRejectedWithNoneOfItsWritesAndTheRestOfItsEntryApplies(
      @TempDir Path dir) {
    try (TempStore store = new TempStore(dir)) {
      store.apply(Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1"))));
      // A defect in the op's code, met after it wrote its job and execution: the due entry fails.
      Applied applied =
          store.applyEntry(
              Ops.of(
                  Ops.createAt("before", 5_000, 1_000),
                  Ops.createAt("faulty", 5_000, 1_000),
                  Ops.createAt("after", 5_000, 1_000)),
              tx -> new FailingDueWrite(tx, "faulty@"));
      var results = applied.result();
      assertThat(results.getResults(0).hasRejection()).isFalse();
      assertThat(results.getResults(1).getRejection().getCode())
          .isEqualTo(RejectCode.REJECT_APPLY_FAULT);
      assertThat(results.getResults(1).getRejection().getMessage())
          .contains("CREATE_JOB", "IllegalStateException", "injected defect");
      assertThat(results.getResults(2).hasRejection()).isFalse();
      assertThat(applied.faults()).hasSize(1);
      assertThat(store.store.get(Family.JOBS, Keys.job(Ops.NS, "faulty"))).isNull();
      assertThat(store.store.get(Family.JOBS, Keys.job(Ops.NS, "before"))).isNotNull();
      assertThat(store.store.get(Family.JOBS, Keys.job(Ops.NS, "after"))).isNotNull();
      assertThat(applied.executions())
          .extracting(c -> c.execution().getJobName())
          .containsExactly("before", "after");
      List<String> stored = new ArrayList<>();
      store.store.scan(
          Family.EXECUTIONS,
          new byte[0],
          null,
          100,
          (k, v) -> stored.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(stored).noneMatch(id -> id.contains("faulty"));
      assertThat(stored).anyMatch(id -> id.contains("before")).anyMatch(id -> id.contains("after"));
      // The faulty op had counted its job and live execution before it failed: not kept.
      assertThat(NamespaceUsages.of(store.store, Ops.NS))
          .isEqualTo(NamespaceUsage.newBuilder().setJobs(2).setPending(2).build());
    }
  }

  /** A transaction whose due-index write of one job's executions fails, as a defect would. */
  private static final class FailingDueWrite extends ForwardingTx {
    private final String idPrefix;

    FailingDueWrite(Tx tx, String idPrefix) {
      super(tx);
      this.idPrefix = idPrefix;
    }

    @Override
    public void put(Family family, byte[] key, byte[] value) {
      if (family == Family.DUE
          && new String(key, java.nio.charset.StandardCharsets.ISO_8859_1).contains(idPrefix)) {
        throw new IllegalStateException("injected defect");
      }
      super.put(family, key, value);
    }
  }

  /** A shard map and a few jobs, so that random ops meet real owners, jobs and executions. */
  private static List<Command> setup() {
    List<Command> entries = new ArrayList<>();
    entries.add(Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1", "n2"))));
    entries.add(Ops.of(Ops.createAt("job-1", 1_000, 500), Ops.createAt("job-2", 2_000, 500)));
    entries.add(
        Ops.of(
            Ops.create(
                Ops.job(
                    "job-3",
                    Schedule.newBuilder()
                        .setCron(io.horae.api.v1.Cron.newBuilder().setExpression("* * * * *"))
                        .build()),
                "r-3",
                60_000,
                500)));
    return entries;
  }
}
