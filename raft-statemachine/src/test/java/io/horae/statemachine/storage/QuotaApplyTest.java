package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.NamespaceUsage;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Quota;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.TriggerJob;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.NamespaceUsages;
import io.horae.statemachine.core.Ops;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Namespace quotas in apply: usage is counted as jobs and live executions come and go. */
class QuotaApplyTest {
  private static final long T0 = 1_700_000_000_000L;
  @TempDir Path tmp;
  private TempStore db;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
    db.apply(of(shardMap(0, 1, owners(8, "n1"))));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aCreatePastTheJobsQuotaIsRejectedAndADeleteMakesRoom() {
    Quota two = Quota.newBuilder().setJobsMax(2).build();
    assertThat(db.apply(of(create("q-1", two), create("q-2", two))).getResultsList())
        .noneMatch(r -> r.hasRejection());

    CommandResult third = db.apply(of(create("q-3", two)));
    assertThat(third.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_QUOTA);
    assertThat(third.getResults(0).getRejection().getMessage())
        .contains("holds 2 jobs", "quota is 2");
    assertThat(usage()).isEqualTo(NamespaceUsage.newBuilder().setJobs(2).setPending(2).build());

    db.apply(of(Ops.delete("q-1", T0 + 10)));
    assertThat(usage()).isEqualTo(NamespaceUsage.newBuilder().setJobs(1).setPending(1).build());
    assertThat(db.apply(of(create("q-3", two))).getResults(0).hasRejection()).isFalse();
  }

  @Test
  void liveExecutionsAreCountedUntilTheyFinishAndAManualRunPastThePendingQuotaIsRejected() {
    Quota one = Quota.newBuilder().setPendingMax(1).build();
    db.apply(of(create("p-1", one)));
    CommandResult second = db.apply(of(create("p-2", one)));
    assertThat(second.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_QUOTA);
    CommandResult manual = db.apply(of(trigger("p-1", one)));
    assertThat(manual.getResults(0).getRejection().getMessage()).contains("1 live executions");

    db.apply(of(Ops.succeeded("n1", 1, T0 + 1_000, ExecutionIds.of(NS, "p-1", T0 + 1_000), 0)));

    assertThat(usage().getPending()).isZero();
    assertThat(db.apply(of(trigger("p-1", one))).getResults(0).hasRejection()).isFalse();
    assertThat(usage().getPending()).isEqualTo(1);
  }

  private NamespaceUsage usage() {
    return NamespaceUsages.of(db.store, NS);
  }

  private static Op create(String name, Quota quota) {
    Op op = createAt(name, T0 + 1_000, T0);
    return op.toBuilder().setCreateJob(op.getCreateJob().toBuilder().setQuota(quota)).build();
  }

  private static Op trigger(String name, Quota quota) {
    return Op.newBuilder()
        .setTriggerJob(
            TriggerJob.newBuilder()
                .setNamespace(NS)
                .setName(name)
                .setNowMs(T0 + 2_000)
                .setQuota(quota))
        .build();
  }
}
