package io.horae.statemachine.core;

import io.horae.internal.v1.Command;
import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.DeleteJob;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.TriggerJob;
import io.horae.internal.v1.UpdateJob;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies one Raft log entry (a batch of ops) to the state: a pure function of (state, command). It
 * reads no clock, random source or environment; every time it needs is inside the command. Ops are
 * applied in order and each sees the writes of the ones before it.
 *
 * <p>Apply never throws on content: an op that raises an error (a defect: every replica raises the
 * same one on the same state) is rolled back to its savepoint and rejected with REJECT_APPLY_FAULT,
 * and the rest of the entry applies as usual. Only a {@link StorageFault} or an op kind this build
 * does not know ({@link UnknownOpException}) escapes: those stop the node, since skipping them
 * would let it diverge from the other replicas.
 */
public final class Applier {
  /** Characters of an error's message kept in a REJECT_APPLY_FAULT rejection. */
  static final int FAULT_MESSAGE_CHARS_MAX = 200;

  private Applier() {}

  /** {@link #apply(Tx, Command, long)} for an entry whose term is not known (term 0). */
  public static Applied apply(Tx tx, Command command) {
    return apply(tx, command, 0);
  }

  /**
   * @param entryTerm the term of the log entry that holds the command: an op that a leader decided
   *     (leader_term) counts only in an entry of that leader's term
   */
  public static Applied apply(Tx tx, Command command, long entryTerm) {
    return apply(tx, command, entryTerm, Long.MIN_VALUE);
  }

  /**
   * @param requestExpiryFloorMs what the store knew after the previous entry: no request record's
   *     expiry is before it ({@link Long#MIN_VALUE}: nothing known); the entry's own is in {@link
   *     Applied#requestExpiryFloorMs}, valid once the entry's writes are committed
   */
  public static Applied apply(Tx tx, Command command, long entryTerm, long requestExpiryFloorMs) {
    State state = new State(tx, requestExpiryFloorMs);
    CommandResult.Builder results = CommandResult.newBuilder();
    List<RuntimeException> faults = new ArrayList<>(0);
    boolean dueChanged = false;
    boolean shardMapChanged = false;
    for (Op op : command.getOpsList()) {
      OpResult result;
      int mark = state.mark();
      try {
        result = applyOne(state, op, entryTerm);
        state.keep();
      } catch (RuntimeException e) {
        if (e instanceof StorageFault || e instanceof UnknownOpException) {
          throw e;
        }
        state.rollback(mark);
        faults.add(e);
        result =
            Results.reject(
                RejectCode.REJECT_APPLY_FAULT,
                "op "
                    + op.getKindCase()
                    + " failed while applied and changed nothing: "
                    + describe(e));
      }
      results.addResults(result);
      if (!result.hasRejection()) {
        switch (op.getKindCase()) {
          case SET_SHARD_MAP, RELEASED -> shardMapChanged = true;
          case CREATE_JOB,
              DELETE_JOB,
              COMPLETE,
              CANCEL_EXECUTION,
              REPLAY_DEAD,
              RESUME_JOB,
              UPDATE_JOB,
              TRIGGER_JOB ->
              dueChanged = true;
          default -> {}
        }
      }
    }
    return new Applied(
        results.build(),
        dueChanged,
        shardMapChanged,
        state.executionChanges(),
        faults,
        state.requestExpiryFloorMs());
  }

  private static OpResult applyOne(State state, Op op, long entryTerm) {
    return switch (op.getKindCase()) {
      case CREATE_JOB -> JobOps.create(state, op.getCreateJob());
      case DELETE_JOB -> {
        DeleteJob d = op.getDeleteJob();
        yield Repeats.once(
            state,
            d.getNamespace(),
            d.getRequestId(),
            Repeats.what("delete", d.getNamespace(), d.getName()),
            d.getNowMs(),
            d.getRequestExpiryMs(),
            () -> JobOps.delete(state, d));
      }
      case SET_SHARD_MAP -> ShardMapOps.set(state, op.getSetShardMap(), entryTerm);
      case RELEASED -> ShardMapOps.released(state, op.getReleased(), entryTerm);
      case COMPLETE -> CompleteOps.complete(state, op.getComplete());
      case CANCEL_EXECUTION -> CancelOps.cancel(state, op.getCancelExecution());
      case REPLAY_DEAD -> DeadLetterOps.replay(state, op.getReplayDead());
      case PURGE_DEAD -> DeadLetterOps.purge(state, op.getPurgeDead());
      case PAUSE_JOB -> PauseOps.pause(state, op.getPauseJob());
      case RESUME_JOB -> PauseOps.resume(state, op.getResumeJob());
      case PUT_SIGNING_SECRETS -> SecretOps.put(state, op.getPutSigningSecrets());
      case UPDATE_JOB -> {
        UpdateJob u = op.getUpdateJob();
        String ns = u.getJob().getNamespace();
        yield Repeats.once(
            state,
            ns,
            u.getRequestId(),
            Repeats.what("update", ns, u.getJob().getName()),
            u.getNowMs(),
            u.getRequestExpiryMs(),
            () -> UpdateOps.update(state, u));
      }
      case TRIGGER_JOB -> {
        TriggerJob t = op.getTriggerJob();
        yield Repeats.once(
            state,
            t.getNamespace(),
            t.getRequestId(),
            Repeats.what("run", t.getNamespace(), t.getName()),
            t.getNowMs(),
            t.getRequestExpiryMs(),
            () -> UpdateOps.trigger(state, t));
      }
      case EXPIRE_HISTORY -> RetentionOps.expire(state, op.getExpireHistory());
      case PUT_MEMBER -> MemberOps.put(state, op.getPutMember());
      case REMOVE_MEMBER -> MemberOps.remove(state, op.getRemoveMember());
      case KIND_NOT_SET -> {
        if (!op.getUnknownFields().asMap().isEmpty()) {
          // A newer node proposed an op kind this build does not know: the proposer's version
          // gate should have prevented it (OpVersions). Skipping it would diverge; stop.
          throw new UnknownOpException(
              "the log holds an op of a kind this build does not know (field "
                  + op.getUnknownFields().asMap().keySet()
                  + "); this node runs apply version "
                  + OpVersions.CURRENT
                  + ": upgrade it to apply the log");
        }
        yield Results.reject(RejectCode.REJECT_INVALID, "empty op");
      }
    };
  }

  /** The error's class and the start of its message: the same on every replica. */
  private static String describe(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    if (message.length() > FAULT_MESSAGE_CHARS_MAX) {
      message = message.substring(0, FAULT_MESSAGE_CHARS_MAX) + "...";
    }
    return e.getClass().getSimpleName() + ": " + message;
  }
}
