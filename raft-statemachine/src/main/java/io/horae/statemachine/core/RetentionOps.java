package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.Job;
import io.horae.internal.v1.ExpireHistory;
import io.horae.internal.v1.NamespaceCutoff;
import io.horae.internal.v1.OpResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bounded history (docs/executions.md, Retention): a job's {@code keep_last}, enforced as its
 * executions finish, and a time to live per namespace, enforced by the leader's {@link
 * ExpireHistory} ops, which carry their cutoffs. Both remove at most a fixed number of records per
 * op, so no apply is long however much history has piled up.
 */
final class RetentionOps {
  /** Most executions one finish removes for keep_last (more are removed by later finishes). */
  static final int PRUNE_MAX = 16;

  /** Most of a job's records one finish examines for keep_last. */
  static final int PRUNE_SCAN_MAX = 64;

  /**
   * Most history entries and namespaces one ExpireHistory examines, per execution it may remove.
   */
  static final int EXAMINE_PER_REMOVAL = 4;

  private RetentionOps() {}

  /**
   * Counts {@code done}, which has just entered the history, against its job, and removes the job's
   * oldest finished executions beyond keep_last.
   */
  static void finished(State state, Execution done) {
    if (!Executions.inHistory(done)) {
      return;
    }
    Optional<Job> found = state.job(done.getNamespace(), done.getJobName());
    if (found.isEmpty() || Executions.ofEarlierJob(done, found.get())) {
      return;
    }
    Job job = found.get();
    long size = job.getHistorySize() + 1;
    if (job.getKeepLast() > 0 && size > job.getKeepLast()) {
      size -= prune(state, job, done.getId(), (int) Math.min(PRUNE_MAX, size - job.getKeepLast()));
    }
    state.putJob(job.toBuilder().setHistorySize(size).build());
  }

  /**
   * Removes up to {@code excess} of the job's oldest finished executions; returns how many counted.
   */
  private static int prune(State state, Job job, String keepId, int excess) {
    byte[] prefix = Keys.execution(ExecutionIds.prefixOf(job.getNamespace(), job.getName()));
    List<Execution> old = new ArrayList<>();
    state
        .tx()
        .scan(
            Family.EXECUTIONS,
            prefix,
            Keys.prefixEnd(prefix),
            PRUNE_SCAN_MAX,
            (key, value) -> {
              Execution e = Executions.parse(value);
              if (Executions.inHistory(e) && !e.getId().equals(keepId)) {
                old.add(e);
              }
              return old.size() < excess;
            });
    int counted = 0;
    for (Execution e : old) {
      state.deleteExecution(e);
      if (!Executions.ofEarlierJob(e, job)) {
        counted++;
      }
    }
    return counted;
  }

  /**
   * Removes finished executions older than their namespace's cutoff, oldest first per namespace.
   */
  static OpResult expire(State state, ExpireHistory op) {
    Map<String, Long> cutoffs = new HashMap<>();
    for (NamespaceCutoff c : op.getCutoffsList()) {
      cutoffs.put(c.getNamespace(), c.getCutoffMs());
    }
    int max = Math.max(0, op.getMax());
    int budget = max * EXAMINE_PER_REMOVAL;
    int removed = 0;
    byte[] from = new byte[0];
    while (removed < max && budget > 0) {
      byte[] first = firstKey(state, from);
      if (first == null) {
        break;
      }
      budget--;
      String ns = Keys.namespaceOf(first);
      long cutoff = cutoffs.getOrDefault(ns, op.getDefaultCutoffMs());
      if (cutoff > 0) {
        List<byte[]> keys = new ArrayList<>();
        state
            .tx()
            .scan(
                Family.HISTORY,
                Keys.history(ns, 0, ""),
                Keys.history(ns, cutoff, ""),
                Math.min(max - removed, budget),
                (k, v) -> keys.add(k));
        budget -= keys.size();
        for (byte[] k : keys) {
          if (remove(state, ns, k)) {
            removed++;
          }
        }
      }
      from = Keys.deadEnd(ns);
    }
    return OpResult.newBuilder().setExpired(removed).build();
  }

  private static byte[] firstKey(State state, byte[] from) {
    byte[][] first = new byte[1][];
    state
        .tx()
        .scan(
            Family.HISTORY,
            from,
            null,
            1,
            (k, v) -> {
              first[0] = k;
              return false;
            });
    return first[0];
  }

  /**
   * Removes the execution a history key names, if the key still describes it; drops the key anyway.
   */
  private static boolean remove(State state, String ns, byte[] key) {
    Optional<Execution> found = state.execution(Keys.historyExecutionId(ns, key));
    if (found.isEmpty()
        || !Executions.inHistory(found.get())
        || found.get().getFinishedMs() != Keys.deadMillis(ns, key)) {
      state.tx().delete(Family.HISTORY, key);
      return false;
    }
    Execution e = found.get();
    state.deleteExecution(e);
    Optional<Job> job = state.job(e.getNamespace(), e.getJobName());
    if (job.isPresent()
        && !Executions.ofEarlierJob(e, job.get())
        && job.get().getHistorySize() > 0) {
      state.putJob(job.get().toBuilder().setHistorySize(job.get().getHistorySize() - 1).build());
    }
    return true;
  }
}
