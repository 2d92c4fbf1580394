package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.internal.v1.CancelExecution;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ShardMap;
import java.util.Optional;

/**
 * Cancels one execution: PENDING or RETRY_WAIT (or CLAIMED, in records of the first version) →
 * CANCELLED, its due entry removed, so no owner fires it again and a Complete for it is ignored
 * (Complete needs a live execution); the owner aborts a call in flight when it applies this. A
 * recurring job whose latest occurrence this is gets its next one at next_fire_ms, as on Complete.
 *
 * <p>Cancelling a CANCELLED execution changes nothing and returns it, so a retried cancel succeeds;
 * cancelling any other finished one is rejected.
 */
final class CancelOps {
  private CancelOps() {}

  static OpResult cancel(State state, CancelExecution op) {
    Optional<Execution> found = state.execution(op.getExecutionId());
    if (found.isEmpty()) {
      return Results.reject(
          RejectCode.REJECT_NOT_FOUND, "execution " + op.getExecutionId() + " not found");
    }
    Execution e = found.get();
    if (e.getStatus() == ExecutionStatus.EXECUTION_STATUS_CANCELLED) {
      return OpResult.newBuilder().setExecution(e).build();
    }
    if (!Executions.isLive(e)) {
      return Results.reject(
          RejectCode.REJECT_FINISHED,
          "execution "
              + e.getId()
              + " already finished with status "
              + Executions.statusName(e.getStatus()));
    }
    Execution cancelled = JobOps.cancel(state, e, op.getNowMs(), "cancelled by request");
    int shardCount = state.shardMap().map(ShardMap::getOwnersCount).orElse(0);
    CompleteOps.advanceJob(
        state, cancelled, op.getNextFireMs(), op.getMisfire(), shardCount, op.getNowMs());
    RetentionOps.finished(state, cancelled);
    return OpResult.newBuilder().setExecution(cancelled).build();
  }
}
