package io.horae.server.api;

import io.horae.api.v1.Execution;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.api.v1.TriggerJobRequest;
import io.horae.api.v1.UpdateJobRequest;
import io.horae.internal.v1.GetJobQuery;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.TriggerJob;
import io.horae.internal.v1.UpdateJob;
import io.horae.server.errors.Echo;
import io.horae.server.errors.RejectedException;
import io.horae.server.errors.ValidationException;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.Reader;
import io.horae.server.secret.JobSecrets;
import io.horae.statemachine.core.ChainOps;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Executions;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import io.horae.statemachine.core.schedule.ScheduleMath;
import io.horae.statemachine.core.schedule.Violation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * UpdateJob and TriggerJob of {@link JobApi}, the proposer side. An update reads the job
 * (linearizably), merges the masked fields onto it, validates the result as a create would, and
 * proposes it with the version it read as base; apply refuses it if the version moved. Without an
 * expected version from the caller, such a race is retried on a fresh read.
 */
final class JobUpdates {
  static final Set<String> PATHS =
      Set.of(
          "schedule",
          "target",
          "retry",
          "priority",
          "labels",
          "keep_last",
          "traceparent",
          "signing_secret",
          "misfire_policy",
          "misfire_grace_ms",
          "misfire_fire_all_max",
          "after",
          "overlap_policy");

  /** Reads and proposals one update makes before it gives up on a job that keeps changing. */
  static final int RACE_RETRIES = 3;

  /** Occurrence ids of the new schedule tried past ones this job already used. */
  static final int USED_ID_SKIPS = 8;

  private final Proposer proposer;
  private final Reader reader;
  private final StoreReader local;
  private final JobValidator validator;
  private final JobSecrets secrets;
  private final Clock clock;
  private final Duration misfireGrace;
  private final Duration requestIdTtl;

  private final io.horae.server.config.QuotaConfig quotas;

  JobUpdates(
      Proposer proposer,
      Reader reader,
      StoreReader local,
      JobValidator validator,
      JobSecrets secrets,
      Clock clock,
      Duration misfireGrace,
      io.horae.server.config.QuotaConfig quotas,
      Duration requestIdTtl) {
    this.quotas = quotas;
    this.requestIdTtl = requestIdTtl;
    this.proposer = proposer;
    this.reader = reader;
    this.local = local;
    this.validator = validator;
    this.secrets = secrets;
    this.clock = clock;
    this.misfireGrace = misfireGrace;
  }

  CompletableFuture<Job> update(UpdateJobRequest request) {
    String ns =
        request.getJob().getNamespace().isEmpty()
            ? JobValidator.DEFAULT_NAMESPACE
            : request.getJob().getNamespace();
    String name = request.getJob().getName();
    List<Violation> bad = new ArrayList<>();
    for (Violation v : JobValidator.checkKey(ns, name)) {
      bad.add(new Violation("job." + v.field(), v.description()));
    }
    List<String> paths = request.getUpdateMask().getPathsList();
    if (paths.isEmpty()) {
      bad.add(
          new Violation(
              "update_mask", "must name what changes, among " + new java.util.TreeSet<>(PATHS)));
    }
    for (String p : paths) {
      if (!PATHS.contains(p)) {
        bad.add(
            new Violation(
                "update_mask",
                "'"
                    + Echo.value(p)
                    + "' cannot be updated; paths: "
                    + new java.util.TreeSet<>(PATHS)));
      }
    }
    if (request.getExpectedVersion() < 0) {
      bad.add(new Violation("expected_version", "must be 0 (no check) or a job version"));
    }
    bad.addAll(RequestIds.check(request.getRequestId()));
    if (!bad.isEmpty()) {
      return CompletableFuture.failedFuture(new ValidationException(bad));
    }
    RequestIds.Chosen id = RequestIds.forOp(proposer, request.getRequestId(), requestIdTtl);
    return attempt(ns, name, request, id, Set.copyOf(paths), 1);
  }

  /**
   * One read, merge and propose. A repeat of an update that applied finds the job at a later
   * version than it expects: with its id recorded it is proposed anyway, and apply answers it with
   * the first result.
   */
  private CompletableFuture<Job> attempt(
      String ns,
      String name,
      UpdateJobRequest request,
      RequestIds.Chosen id,
      Set<String> mask,
      int round) {
    return read(ns, name)
        .thenCompose(
            stored -> {
              long expected = request.getExpectedVersion();
              long now = clock.millis();
              if (expected > 0
                  && stored.getVersion() != expected
                  && !RequestIds.recorded(local, ns, id.id(), now)) {
                throw mismatch(stored, expected);
              }
              UpdateJob update =
                  op(stored, request.getJob(), mask, now).toBuilder()
                      .setRequestId(id.id())
                      .setRequestExpiryMs(id.expiryMs())
                      .build();
              return proposer.propose(Op.newBuilder().setUpdateJob(update).build());
            })
        .thenCompose(
            r -> {
              if (r.hasRejection()
                  && r.getRejection().getCode() == RejectCode.REJECT_VERSION_MISMATCH
                  && request.getExpectedVersion() == 0
                  && round < RACE_RETRIES) {
                return attempt(ns, name, request, id, mask, round + 1);
              }
              if (r.hasRejection()
                  && r.getRejection().getCode() == RejectCode.REJECT_VERSION_MISMATCH) {
                // The job changed between the read and the apply: answer with its version now.
                return read(ns, name)
                    .thenApply(
                        now -> {
                          throw mismatch(now, request.getExpectedVersion());
                        });
              }
              return CompletableFuture.completedFuture(Replies.ok(r).getJob());
            });
  }

  /** The op for the merged job; throws {@link ValidationException} for a bad result. */
  private UpdateJob op(Job stored, Job change, Set<String> mask, long now) {
    Job.Builder merged = stored.toBuilder().clearSigningSecret();
    boolean schedule = mask.contains("schedule");
    String after = mask.contains("after") ? change.getAfter() : stored.getAfter();
    merged.setAfter(after);
    if (schedule) {
      merged.setSchedule(change.getSchedule());
    } else if (after.isEmpty()
        && stored.getSchedule().getKindCase() != Schedule.KindCase.KIND_NOT_SET) {
      // A schedule that is not changed is not validated again: a one-shot's at time may be past.
      merged.setSchedule(Schedule.newBuilder().setAtMs(now).build());
    } else {
      merged.setSchedule(stored.getSchedule());
    }
    if (mask.contains("target")) {
      merged.setTarget(change.getTarget());
    }
    if (mask.contains("retry")) {
      merged.setRetry(change.getRetry());
    }
    if (mask.contains("priority")) {
      merged.setPriority(change.getPriority());
    }
    if (mask.contains("labels")) {
      merged.clearLabels().putAllLabels(change.getLabelsMap());
    }
    if (mask.contains("keep_last")) {
      merged.setKeepLast(change.getKeepLast());
    }
    if (mask.contains("overlap_policy")) {
      merged.setOverlapPolicyValue(change.getOverlapPolicyValue());
    }
    if (mask.contains("misfire_policy")) {
      merged.setMisfirePolicyValue(change.getMisfirePolicyValue());
    }
    if (mask.contains("misfire_grace_ms")) {
      merged.setMisfireGraceMs(change.getMisfireGraceMs());
    }
    if (mask.contains("misfire_fire_all_max")) {
      merged.setMisfireFireAllMax(change.getMisfireFireAllMax());
    }
    if (mask.contains("traceparent")) {
      merged.setTraceparent(change.getTraceparent());
    }
    if (mask.contains("signing_secret")) {
      merged.setSigningSecret(change.getSigningSecret());
    }
    Job valid = validator.normalize(merged.build(), "", now);
    if (!after.equals(stored.getAfter())) {
      ChainOps.refusal(local, stored.getNamespace(), stored.getName(), after)
          .ifPresent(
              why -> {
                throw new ValidationException(List.of(new Violation("job.after", why)));
              });
    }
    Job.Builder out = valid.toBuilder();
    if (!schedule) {
      out.setSchedule(stored.getSchedule());
    }
    if (mask.contains("target")) {
      out.setTarget(keepStoredSecrets(secrets.seal(valid).getTarget(), stored.getTarget()));
    } else {
      out.setTarget(stored.getTarget());
    }
    if (mask.contains("signing_secret") && !change.getSigningSecret().isEmpty()) {
      Job sealed =
          secrets.seal(
              Job.newBuilder()
                  .setNamespace(stored.getNamespace())
                  .setName(stored.getName())
                  .setSigningSecret(change.getSigningSecret())
                  .build());
      out.setSigningSecret(sealed.getSigningSecret()).setHasSigningSecret(true);
    } else if (mask.contains("signing_secret")) {
      out.clearSigningSecret().setHasSigningSecret(false);
    } else {
      out.setSigningSecret(stored.getSigningSecret())
          .setHasSigningSecret(stored.getHasSigningSecret());
    }
    Job job = out.build();
    boolean reschedule = schedule && !job.getSchedule().equals(stored.getSchedule());
    return UpdateJob.newBuilder()
        .setJob(job)
        .setBaseVersion(stored.getVersion())
        .setNowMs(now)
        .setReschedule(reschedule)
        .setNextFireMs(reschedule ? nextFire(stored, job.getSchedule(), now) : 0)
        .build();
  }

  /**
   * A secret header sent with an empty value keeps the stored value of the header of the same name:
   * reads return secret values empty, so a job read, edited and written back keeps them.
   */
  private static Target keepStoredSecrets(Target sealed, Target stored) {
    Target.Builder t = sealed.toBuilder();
    for (int i = 0; i < t.getHeadersCount(); i++) {
      Header h = t.getHeaders(i);
      if (h.getSecret() && h.getValue().isEmpty()) {
        for (Header old : stored.getHeadersList()) {
          if (old.getName().toLowerCase(Locale.ROOT).equals(h.getName().toLowerCase(Locale.ROOT))) {
            t.setHeaders(i, h.toBuilder().setValue(old.getValue()));
          }
        }
      }
    }
    return t.build();
  }

  /**
   * The new schedule's first occurrence from now, skipping occurrence ids this job has used already
   * (an id is never reused), within max_fires counted from the job's fires so far.
   */
  private long nextFire(Job stored, Schedule schedule, long now) {
    if (schedule.getMaxFires() > 0 && stored.getFireCount() >= schedule.getMaxFires()) {
      return 0;
    }
    if (schedule.getKindCase() == Schedule.KindCase.KIND_NOT_SET) {
      return 0;
    }
    long next = ScheduleMath.firstFire(schedule, now);
    for (int i = 0; i < USED_ID_SKIPS && next > 0 && usedBefore(stored, next); i++) {
      next = ScheduleMath.nextFire(schedule, next, 1, next, misfireGrace.toMillis());
    }
    return next;
  }

  /** This job has (had) an occurrence at scheduledMs other than its current live one. */
  private boolean usedBefore(Job stored, long scheduledMs) {
    byte[] bytes =
        local.get(
            Family.EXECUTIONS,
            Keys.execution(ExecutionIds.of(stored.getNamespace(), stored.getName(), scheduledMs)));
    if (bytes == null) {
      return false;
    }
    Execution e = Executions.parse(bytes);
    return !Executions.ofEarlierJob(e, stored)
        && !(scheduledMs == stored.getNextFireMs() && Executions.isLive(e));
  }

  CompletableFuture<Execution> trigger(TriggerJobRequest request) {
    String ns =
        request.getNamespace().isEmpty() ? JobValidator.DEFAULT_NAMESPACE : request.getNamespace();
    List<Violation> bad = new ArrayList<>(JobValidator.checkKey(ns, request.getName()));
    bad.addAll(RequestIds.check(request.getRequestId()));
    if (!bad.isEmpty()) {
      return CompletableFuture.failedFuture(new ValidationException(bad));
    }
    RequestIds.Chosen id = RequestIds.forOp(proposer, request.getRequestId(), requestIdTtl);
    Op op =
        Op.newBuilder()
            .setTriggerJob(
                TriggerJob.newBuilder()
                    .setNamespace(ns)
                    .setName(request.getName())
                    .setNowMs(clock.millis())
                    .setQuota(JobApi.quota(quotas, ns))
                    .setRequestId(id.id())
                    .setRequestExpiryMs(id.expiryMs()))
            .build();
    return proposer.propose(op).thenApply(r -> Replies.ok(r).getExecution());
  }

  private CompletableFuture<Job> read(String ns, String name) {
    return reader
        .query(
            Query.newBuilder()
                .setGetJob(GetJobQuery.newBuilder().setNamespace(ns).setName(name))
                .build())
        .thenApply(
            r -> {
              if (r.getJobsCount() == 0) {
                throw new RejectedException(
                    RejectCode.REJECT_NOT_FOUND,
                    "job " + Echo.value(ExecutionIds.jobKey(ns, name)) + " not found");
              }
              return r.getJobs(0);
            });
  }

  private static RejectedException mismatch(Job stored, long expected) {
    return new RejectedException(
        RejectCode.REJECT_VERSION_MISMATCH,
        "job "
            + Echo.value(ExecutionIds.jobKey(stored.getNamespace(), stored.getName()))
            + " is at version "
            + stored.getVersion()
            + ", not "
            + expected,
        Map.of("current_version", Long.toString(stored.getVersion())));
  }
}
