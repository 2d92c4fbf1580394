package io.horae.server.exec;

import io.horae.api.v1.Execution;
import io.horae.api.v1.Job;
import io.horae.api.v1.OverlapPolicy;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Outcome;
import io.horae.statemachine.core.Executions;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The overlap policy at the moment a first attempt is due (docs/executions.md, Overlap). All
 * executions of a job are in one shard, so the owner firing this one also fires every other: what
 * it has in flight, and the records of its replica, say whether another one is running.
 */
final class Overlap {
  /** How often an execution held by QUEUE looks again whether the running one has finished. */
  static final long QUEUE_RECHECK_MILLIS = 500;

  /** Most live executions of one job examined (the state machine allows 100). */
  static final int LIVE_MAX = 101;

  /** What to do with the due execution. */
  sealed interface Decision permits Send, Skip, Wait {}

  record Send() implements Decision {}

  record Skip(String reason) implements Decision {}

  record Wait() implements Decision {}

  private Overlap() {}

  static Decision decide(
      StoreReader store,
      Function<String, OwnerCore.Stage> stages,
      Job job,
      Execution due,
      long nowMs) {
    if (due.getAttempt() > 0 || job.getOverlapPolicy() == OverlapPolicy.OVERLAP_POLICY_ALLOW) {
      return new Send();
    }
    List<Execution> others = others(store, due);
    Optional<Execution> running =
        others.stream().filter(o -> running(o, stages.apply(o.getId()))).findFirst();
    if (running.isEmpty()) {
      return new Send();
    }
    if (job.getOverlapPolicy() != OverlapPolicy.OVERLAP_POLICY_QUEUE) {
      return new Skip("overlap policy SKIP: " + running.get().getId() + " is still running");
    }
    Optional<Execution> waiting =
        others.stream()
            .filter(
                o ->
                    !running(o, stages.apply(o.getId()))
                        && o.getDueMs() <= nowMs
                        && earlier(o, due))
            .findFirst();
    return waiting.isPresent()
        ? new Skip(
            "overlap policy QUEUE: "
                + waiting.get().getId()
                + " is already waiting for "
                + running.get().getId())
        : new Wait();
  }

  /** The result that records a skip. */
  static AttemptResult skipped(Held c, String reason, long nowMs) {
    return AttemptResult.newBuilder()
        .setExecutionId(c.executionId())
        .setAttemptNumber(c.attempt())
        .setOutcome(Outcome.OUTCOME_SKIPPED)
        .setError(reason)
        .setFinishedMs(nowMs)
        .build();
  }

  /** Started and not finished: attempted before, or in flight here now. */
  private static boolean running(Execution e, OwnerCore.Stage stage) {
    return e.getAttempt() > 0
        || stage == OwnerCore.Stage.STARTED
        || stage == OwnerCore.Stage.ANSWERED;
  }

  private static boolean earlier(Execution a, Execution b) {
    return a.getScheduledMs() < b.getScheduledMs()
        || (a.getScheduledMs() == b.getScheduledMs() && a.getId().compareTo(b.getId()) < 0);
  }

  private static List<Execution> others(StoreReader store, Execution due) {
    byte[] prefix = Keys.liveOf(due.getNamespace(), due.getJobName());
    List<String> ids = new ArrayList<>();
    store.scan(
        Family.LIVE,
        prefix,
        Keys.prefixEnd(prefix),
        LIVE_MAX,
        (k, v) -> ids.add(Keys.liveExecutionId(k)));
    List<Execution> out = new ArrayList<>();
    for (String id : ids) {
      if (id.equals(due.getId())) {
        continue;
      }
      byte[] bytes = store.get(Family.EXECUTIONS, Keys.execution(id));
      if (bytes != null) {
        Execution e = Executions.parse(bytes);
        if (Executions.isLive(e)) {
          out.add(e);
        }
      }
    }
    return out;
  }
}
