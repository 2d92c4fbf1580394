package io.horae.statemachine.core;

import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.Complete;
import io.horae.internal.v1.CreateJob;
import io.horae.internal.v1.DeleteJob;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Outcome;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import java.util.Arrays;
import java.util.List;

/** Builders of commands for state-machine tests. */
public final class Ops {
  public static final String NS = "default";

  private Ops() {}

  public static Command of(Op... ops) {
    return Command.newBuilder().addAllOps(Arrays.asList(ops)).build();
  }

  public static Op shardMap(long expectedEpoch, long epoch, List<String> owners) {
    return Op.newBuilder()
        .setSetShardMap(
            SetShardMap.newBuilder()
                .setExpectedEpoch(expectedEpoch)
                .setMap(ShardMap.newBuilder().setEpoch(epoch).addAllOwners(owners)))
        .build();
  }

  public static Job job(String name, Schedule schedule) {
    return Job.newBuilder()
        .setNamespace(NS)
        .setName(name)
        .setSchedule(schedule)
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook").setMethod("POST"))
        .build();
  }

  public static Op createAt(String name, long atMs, long nowMs) {
    return create(job(name, Schedule.newBuilder().setAtMs(atMs).build()), "", atMs, nowMs);
  }

  public static Op create(Job job, String requestId, long firstFireMs, long nowMs) {
    return Op.newBuilder()
        .setCreateJob(
            CreateJob.newBuilder()
                .setJob(job)
                .setRequestId(requestId)
                .setNowMs(nowMs)
                .setFirstFireMs(firstFireMs)
                .setRequestExpiryMs(86_400_000L))
        .build();
  }

  public static Op delete(String name, long nowMs) {
    return Op.newBuilder()
        .setDeleteJob(DeleteJob.newBuilder().setNamespace(NS).setName(name).setNowMs(nowMs))
        .build();
  }

  /** A manual run of the job at nowMs (no quota, no request id). */
  public static Op trigger(String name, long nowMs) {
    return Op.newBuilder()
        .setTriggerJob(
            io.horae.internal.v1.TriggerJob.newBuilder()
                .setNamespace(NS)
                .setName(name)
                .setNowMs(nowMs))
        .build();
  }

  public static Op succeeded(String node, long epoch, long nowMs, String id, long nextFireMs) {
    return complete(
        node,
        epoch,
        nowMs,
        AttemptResult.newBuilder()
            .setExecutionId(id)
            .setOutcome(Outcome.OUTCOME_SUCCEEDED)
            .setAttemptNumber(1)
            .setHttpStatus(200)
            .setFinishedMs(nowMs)
            .setNextFireMs(nextFireMs)
            .build());
  }

  public static Op complete(String node, long epoch, long nowMs, AttemptResult... results) {
    return Op.newBuilder()
        .setComplete(
            Complete.newBuilder()
                .setNodeId(node)
                .setEpoch(epoch)
                .setNowMs(nowMs)
                .addAllResults(Arrays.asList(results)))
        .build();
  }

  public static List<String> owners(int shards, String... nodes) {
    String[] out = new String[shards];
    for (int i = 0; i < shards; i++) {
      out[i] = nodes[i % nodes.length];
    }
    return Arrays.asList(out);
  }
}
