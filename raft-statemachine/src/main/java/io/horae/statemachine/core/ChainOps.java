package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionTrigger;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chains (issue 13): a job with {@code after = A} runs once after each successful execution of A,
 * as an execution {@code <job>@<A's time and suffix>.c} (trigger CHAIN) due when the success is
 * applied. The first result of an execution wins, so a success is applied once and makes one
 * follower execution, whatever the number of deliveries; a failure makes none.
 */
public final class ChainOps {
  /** Most jobs in one chain (A after B after C ...), which also bounds chained ids' length. */
  static final int DEPTH_MAX = 10;

  /** Most followers one job may have. */
  static final int FOLLOWERS_MAX = 100;

  private ChainOps() {}

  /**
   * Why {@code job} may not run after its {@code after} job, or empty: it would close a cycle, or
   * make a chain deeper than {@link #DEPTH_MAX}.
   */
  public static Optional<String> refusal(
      StoreReader store, String namespace, String name, String after) {
    if (after.isEmpty()) {
      return Optional.empty();
    }
    List<String> path = new ArrayList<>(List.of(name));
    String current = after;
    while (!current.isEmpty()) {
      path.add(current);
      if (current.equals(name)) {
        return Optional.of("would close a cycle: " + String.join(" after ", path));
      }
      if (path.size() > DEPTH_MAX) {
        return Optional.of(
            "makes a chain of more than " + DEPTH_MAX + " jobs: " + String.join(" after ", path));
      }
      byte[] bytes = store.get(Family.JOBS, Keys.job(namespace, current));
      if (bytes == null) {
        break;
      }
      current = parse(bytes).getAfter();
    }
    return Optional.empty();
  }

  /** Records that {@code job} follows its after job (if any). */
  static void link(State state, Job job) {
    if (!job.getAfter().isEmpty()) {
      state
          .tx()
          .put(
              Family.CHAINS,
              Keys.chain(job.getNamespace(), job.getAfter(), job.getName()),
              new byte[0]);
    }
  }

  static void unlink(State state, Job job) {
    if (!job.getAfter().isEmpty()) {
      state
          .tx()
          .delete(Family.CHAINS, Keys.chain(job.getNamespace(), job.getAfter(), job.getName()));
    }
  }

  /** After {@code done} succeeded: one execution of each active follower of its job. */
  static void succeeded(State state, Execution done, int shardCount, long nowMs) {
    byte[] prefix = Keys.chainsOf(done.getNamespace(), done.getJobName());
    List<String> followers = new ArrayList<>();
    state
        .tx()
        .scan(
            Family.CHAINS,
            prefix,
            Keys.prefixEnd(prefix),
            FOLLOWERS_MAX,
            (k, v) -> followers.add(Keys.liveExecutionId(k)));
    String suffix = done.getId().substring(done.getId().lastIndexOf('@') + 1);
    for (String name : followers) {
      Optional<Job> found = state.job(done.getNamespace(), name);
      if (found.isEmpty()
          || !found.get().getAfter().equals(done.getJobName())
          || found.get().getState() != JobState.JOB_STATE_ACTIVE) {
        continue;
      }
      Job follower = found.get();
      Execution run =
          JobOps.newExecution(follower, done.getScheduledMs(), shardCount, nowMs).toBuilder()
              .setId(ExecutionIds.jobKey(done.getNamespace(), name) + "@" + suffix + ".c")
              .setDueMs(nowMs)
              .setTrigger(ExecutionTrigger.EXECUTION_TRIGGER_CHAIN)
              .build();
      Optional<Execution> existing = state.execution(run.getId());
      if (existing.isPresent() && !Executions.ofEarlierJob(existing.get(), follower)) {
        continue;
      }
      state.createExecution(run);
      state.putDue(run);
    }
  }

  private static Job parse(byte[] bytes) {
    try {
      return Job.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new CorruptStateException("job record does not parse", e);
    }
  }
}
