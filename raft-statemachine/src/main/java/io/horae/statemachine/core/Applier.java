package io.horae.statemachine.core;

import io.horae.internal.v1.Command;
import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;

/**
 * Applies one Raft log entry (a batch of ops) to the state: a pure function of (state, command).
 * It reads no clock, random source or environment; every time it needs is inside the command.
 * Ops are applied in order and each sees the writes of the ones before it.
 */
public final class Applier {
  private Applier() {}

  /** {@link #apply(Tx, Command, long)} for an entry whose term is not known (term 0). */
  public static Applied apply(Tx tx, Command command) {
    return apply(tx, command, 0);
  }

  /**
   * @param entryTerm the term of the log entry that holds the command: an op that a leader
   *     decided (leader_term) counts only in an entry of that leader's term
   */
  public static Applied apply(Tx tx, Command command, long entryTerm) {
    State state = new State(tx);
    CommandResult.Builder results = CommandResult.newBuilder();
    boolean dueChanged = false;
    boolean shardMapChanged = false;
    for (Op op : command.getOpsList()) {
      OpResult result =
          switch (op.getKindCase()) {
            case CREATE_JOB -> JobOps.create(state, op.getCreateJob());
            case DELETE_JOB -> JobOps.delete(state, op.getDeleteJob());
            case SET_SHARD_MAP -> ShardMapOps.set(state, op.getSetShardMap(), entryTerm);
            case RELEASED -> ShardMapOps.released(state, op.getReleased(), entryTerm);
            case COMPLETE -> CompleteOps.complete(state, op.getComplete());
            case CANCEL_EXECUTION -> CancelOps.cancel(state, op.getCancelExecution());
            case REPLAY_DEAD -> DeadLetterOps.replay(state, op.getReplayDead());
            case PURGE_DEAD -> DeadLetterOps.purge(state, op.getPurgeDead());
            case PAUSE_JOB -> PauseOps.pause(state, op.getPauseJob());
            case RESUME_JOB -> PauseOps.resume(state, op.getResumeJob());
            case PUT_SIGNING_SECRETS -> SecretOps.put(state, op.getPutSigningSecrets());
            case UPDATE_JOB -> UpdateOps.update(state, op.getUpdateJob());
            case TRIGGER_JOB -> UpdateOps.trigger(state, op.getTriggerJob());
            case EXPIRE_HISTORY -> RetentionOps.expire(state, op.getExpireHistory());
            case PUT_MEMBER -> MemberOps.put(state, op.getPutMember());
            case REMOVE_MEMBER -> MemberOps.remove(state, op.getRemoveMember());
            case KIND_NOT_SET -> Results.reject(io.horae.internal.v1.RejectCode.REJECT_INVALID, "empty op");
          };
      results.addResults(result);
      if (!result.hasRejection()) {
        switch (op.getKindCase()) {
          case SET_SHARD_MAP, RELEASED -> shardMapChanged = true;
          case CREATE_JOB, DELETE_JOB, COMPLETE, CANCEL_EXECUTION, REPLAY_DEAD, RESUME_JOB, UPDATE_JOB, TRIGGER_JOB -> dueChanged = true;
          default -> {}
        }
      }
    }
    return new Applied(results.build(), dueChanged, shardMapChanged, state.executionChanges());
  }
}
