package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.create;
import static io.horae.statemachine.core.Ops.job;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Every;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.UpdateJob;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Ops;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delete, update or manual run that carries a request id is applied once: a repeat of the id (a
 * client's retry, or the same entry twice in the log) gets the first result and changes nothing,
 * until the record expires. Against a real RocksDB.
 */
class RepeatedRequestApplyTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final long EXPIRY = 60_000;

  @TempDir Path tmp;
  private TempStore db;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
    db.applyEntry(of(shardMap(0, 1, owners(4, "n1"))));
    db.apply(of(create(ticking("tick"), "", T0 + 1000, T0)));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aRepeatedDeleteReturnsTheFirstResultInsteadOfNotFound() {
    OpResult first = one(delete("tick", "d-1", T0 + 10));
    assertThat(first.hasRejection()).isFalse();
    assertThat(first.getCancelledExecutions()).isEqualTo(1);

    OpResult repeat = one(delete("tick", "d-1", T0 + 20));

    assertThat(repeat).isEqualTo(first);
    OpResult withoutId = one(delete("tick", "", T0 + 30));
    assertThat(withoutId.getRejection().getCode())
        .as("a delete without an id is judged on the state it finds")
        .isEqualTo(RejectCode.REJECT_NOT_FOUND);
  }

  @Test
  void theSameEntryTwiceInTheLogRunsTheJobOnce() {
    Op run = trigger("tick", "r-1", T0 + 10);

    OpResult first = one(run);
    OpResult second = one(run);

    assertThat(first.getExecution().getId()).endsWith(".m");
    assertThat(second).isEqualTo(first);
    assertThat(manualRuns()).as("one manual run is stored").isEqualTo(1);
    OpResult other = one(trigger("tick", "r-2", T0 + 10));
    assertThat(other.getExecution().getId())
        .as("another id is another run")
        .isNotEqualTo(first.getExecution().getId());
  }

  @Test
  void aRepeatedUpdateReturnsTheFirstResultInsteadOfAVersionMismatch() {
    Job changed = ticking("tick").toBuilder().setPriority(7).build();
    OpResult first = one(update(changed, 1, "u-1", T0 + 10));
    assertThat(first.getJob().getVersion()).isEqualTo(2);

    // The repeat was merged onto the version its proposer read: 2.
    OpResult repeat = one(update(changed, 2, "u-1", T0 + 20));

    assertThat(repeat).isEqualTo(first);
    assertThat(one(update(changed, 2, "", T0 + 30)).getJob().getVersion())
        .as("the repeat changed nothing: version 2 is still current")
        .isEqualTo(3);
  }

  @Test
  void anIdFirstUsedForAnotherRequestIsRefusedAndChangesNothing() {
    db.apply(of(create(ticking("other"), "", T0 + 1000, T0)));
    one(delete("tick", "same", T0 + 10));

    OpResult reused = one(trigger("other", "same", T0 + 20));

    assertThat(reused.getRejection().getCode()).isEqualTo(RejectCode.REJECT_REQUEST_REUSED);
    assertThat(reused.getRejection().getMessage())
        .contains("delete default/tick", "run default/other");
    assertThat(manualRuns()).isZero();
    OpResult create = one(create(ticking("third"), "same", T0 + 1000, T0 + 30));
    assertThat(create.getRejection().getCode())
        .as("a create cannot reuse it either")
        .isEqualTo(RejectCode.REJECT_REQUEST_REUSED);
  }

  @Test
  void aRejectedOpIsNotRecordedSoItsRepeatIsJudgedAgain() {
    OpResult missing = one(trigger("later", "r-1", T0 + 10));
    assertThat(missing.getRejection().getCode()).isEqualTo(RejectCode.REJECT_NOT_FOUND);
    db.apply(of(create(ticking("later"), "", T0 + 1000, T0 + 20)));

    OpResult repeat = one(trigger("later", "r-1", T0 + 30));

    assertThat(repeat.hasRejection()).isFalse();
    assertThat(manualRuns()).isEqualTo(1);
  }

  @Test
  void afterItsExpiryAnIdIsForgottenAndItsRecordRemoved() {
    one(trigger("tick", "r-1", T0 + 10));

    OpResult late = one(trigger("tick", "r-1", T0 + 10 + EXPIRY));

    assertThat(late.hasRejection()).isFalse();
    assertThat(manualRuns()).as("past its expiry the id is a new run").isEqualTo(2);
    assertThat(db.store.get(Family.REQUESTS, Keys.request(NS, "r-1")))
        .as("recorded again, with the new expiry")
        .isNotNull();
  }

  private OpResult one(Op op) {
    return db.apply(of(op)).getResults(0);
  }

  private int manualRuns() {
    int[] n = {0};
    db.store.scan(
        Family.EXECUTIONS,
        new byte[0],
        new byte[] {(byte) 0xff},
        1000,
        (k, v) -> {
          if (new String(k, java.nio.charset.StandardCharsets.UTF_8).endsWith(".m")) {
            n[0]++;
          }
          return true;
        });
    return n[0];
  }

  private static Job ticking(String name) {
    return job(
        name,
        Schedule.newBuilder()
            .setEvery(Every.newBuilder().setIntervalMs(1000).setAnchorMs(T0 + 1000))
            .build());
  }

  private static Op delete(String name, String requestId, long now) {
    Op op = Ops.delete(name, now);
    return op.toBuilder()
        .setDeleteJob(
            op.getDeleteJob().toBuilder().setRequestId(requestId).setRequestExpiryMs(EXPIRY))
        .build();
  }

  private static Op trigger(String name, String requestId, long now) {
    Op op = Ops.trigger(name, now);
    return op.toBuilder()
        .setTriggerJob(
            op.getTriggerJob().toBuilder().setRequestId(requestId).setRequestExpiryMs(EXPIRY))
        .build();
  }

  private static Op update(Job job, long baseVersion, String requestId, long now) {
    return Op.newBuilder()
        .setUpdateJob(
            UpdateJob.newBuilder()
                .setJob(job)
                .setBaseVersion(baseVersion)
                .setNowMs(now)
                .setRequestId(requestId)
                .setRequestExpiryMs(EXPIRY))
        .build();
  }
}
