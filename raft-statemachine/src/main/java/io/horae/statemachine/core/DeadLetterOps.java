package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.internal.v1.DeadLettersResult;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.PurgeDead;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ReplayDead;
import java.util.Optional;

/**
 * Replay and purge of dead letters. Both take a batch of ids chosen by the proposer from a read
 * that may be stale by the time the entry is applied, so each id is checked again here: one that is
 * not DEAD (unknown, replayed or purged in between, or listed twice) is skipped and counted, never
 * a reason to refuse the batch.
 */
final class DeadLetterOps {
  private DeadLetterOps() {}

  /**
   * DEAD → PENDING, due at the op's due_ms, with the same id (the idempotency key) and the same
   * attempt count and history, so the next attempt is numbered after the last one. The dead entry
   * goes and a due entry comes, so the shard owner's scanner finds it; the finish time is cleared.
   * A dead letter whose job was deleted is skipped: there is no target to deliver it to; so is one
   * of an earlier job of the same name (deleted and created again), which must never be sent with
   * the new job's target and secrets.
   */
  static OpResult replay(State state, ReplayDead op) {
    if (op.getDueMs() <= 0) {
      return Results.reject(
          RejectCode.REJECT_INVALID, "replay needs a positive due time, got " + op.getDueMs());
    }
    int replayed = 0;
    int skipped = 0;
    for (String id : op.getExecutionIdsList()) {
      Optional<Execution> dead = dead(state, id);
      Optional<io.horae.api.v1.Job> job =
          dead.flatMap(e -> state.job(e.getNamespace(), e.getJobName()));
      if (job.isEmpty() || Executions.ofEarlierJob(dead.get(), job.get())) {
        skipped++;
        continue;
      }
      Execution e = dead.get();
      state.deleteDead(e);
      Execution pending =
          e.toBuilder()
              .setStatus(ExecutionStatus.EXECUTION_STATUS_PENDING)
              .setDueMs(op.getDueMs())
              .clearFinishedMs()
              .clearClaimNode()
              .clearClaimEpoch()
              .clearClaimExpiryMs()
              .build();
      state.putExecution(e, pending);
      state.putDue(pending);
      replayed++;
    }
    return result(replayed, skipped);
  }

  /** Removes each DEAD execution: its dead entry and its execution record. */
  static OpResult purge(State state, PurgeDead op) {
    int purged = 0;
    int skipped = 0;
    for (String id : op.getExecutionIdsList()) {
      Optional<Execution> dead = dead(state, id);
      if (dead.isEmpty()) {
        skipped++;
        continue;
      }
      state.deleteDead(dead.get());
      state.deleteExecution(dead.get());
      purged++;
    }
    return result(purged, skipped);
  }

  private static Optional<Execution> dead(State state, String id) {
    return state.execution(id).filter(e -> e.getStatus() == ExecutionStatus.EXECUTION_STATUS_DEAD);
  }

  private static OpResult result(int done, int skipped) {
    return OpResult.newBuilder()
        .setDeadLetters(DeadLettersResult.newBuilder().setDone(done).setSkipped(skipped))
        .build();
  }
}
