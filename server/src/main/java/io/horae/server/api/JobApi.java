package io.horae.server.api;

import io.grpc.stub.StreamObserver;
import io.horae.api.v1.CreateJobOutcome;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsRequest;
import io.horae.api.v1.CreateJobsResponse;
import io.horae.api.v1.DeleteJobRequest;
import io.horae.api.v1.DeleteJobResponse;
import io.horae.api.v1.Execution;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.PauseJobRequest;
import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.ResumeJobRequest;
import io.horae.api.v1.TriggerJobRequest;
import io.horae.api.v1.UpdateJobRequest;
import io.horae.internal.v1.CreateJob;
import io.horae.internal.v1.DeleteJob;
import io.horae.internal.v1.GetJobQuery;
import io.horae.internal.v1.ListJobsQuery;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.RejectCode;
import io.horae.server.config.ApiConfig;
import io.horae.server.egress.TargetGuard;
import io.horae.server.errors.Echo;
import io.horae.server.errors.GrpcErrors;
import io.horae.server.errors.RejectedException;
import io.horae.server.errors.ValidationException;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.Reader;
import io.horae.server.secret.JobRedaction;
import io.horae.server.secret.JobSecrets;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import io.horae.statemachine.core.schedule.ScheduleMath;
import io.horae.statemachine.core.schedule.Violation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * JobService on every node. Writes are proposed through this node's Raft client, which forwards
 * them to the leader, so clients need no leader discovery. Reads are linearizable (ReadIndex) and
 * answered from the local replica.
 */
public final class JobApi extends JobServiceGrpc.JobServiceImplBase {
  private final Proposer proposer;
  private final CreateAdmission admission;
  private final Reader reader;
  private final JobValidator validator;
  private final ApiConfig limits;
  private final Clock clock;
  private final Duration timeout;
  private final JobPauses pauses;
  private final JobUpdates updates;
  private final JobSecrets secrets;
  private final SchedulePreviews previews;

  /** This node's replica, for a repeated request id (see {@link #createOp}). */
  private final StoreReader local;

  /** Most field violations one CreateJobs refusal lists. */
  static final int VIOLATIONS_MAX = 100;

  private final io.horae.server.config.QuotaConfig quotas;
  private final CreateRates rates;
  private final CreateRefusals refusals;

  /** Usage records examined per ListNamespaces page (the rest of a page comes with a token). */
  static final int NAMESPACE_SCAN_MAX = 10_000;

  public JobApi(
      Proposer proposer,
      Reader reader,
      StoreReader local,
      ApiConfig limits,
      Clock clock,
      Duration timeout,
      Duration misfireGrace,
      JobSecrets secrets,
      TargetGuard targets,
      io.horae.server.config.QuotaConfig quotas,
      CreateAdmission admission,
      io.micrometer.core.instrument.MeterRegistry registry) {
    this.admission = admission;
    this.refusals = new CreateRefusals(registry);
    this.secrets = secrets;
    this.quotas = quotas;
    this.rates = new CreateRates(quotas, System::nanoTime);
    this.local = local;
    this.proposer = proposer;
    this.reader = reader;
    this.validator = new JobValidator(limits, targets);
    this.limits = limits;
    this.clock = clock;
    this.timeout = timeout;
    this.pauses = new JobPauses(proposer, reader, clock, misfireGrace);
    this.updates =
        new JobUpdates(
            proposer,
            reader,
            local,
            validator,
            secrets,
            clock,
            misfireGrace,
            quotas,
            limits.requestIdTtl());
    this.previews = new SchedulePreviews(reader, limits, clock);
  }

  @Override
  public void createJob(CreateJobRequest request, StreamObserver<Job> reply) {
    StreamObserver<Job> observer = refusals.counting(reply);
    CompletableFuture<OpResult> result;
    try {
      // Before validation: a refused flood should cost as little as possible.
      admission.admit();
      admission.admitTarget(request.getJob().getTarget().getUrl());
      rates.take(namespace(request.getJob().getNamespace()), 1);
      result = bounded(proposer.propose(createOp(request, clock.millis())));
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    Replies.reply(result, r -> JobRedaction.redact(ok(r).getJob()), observer);
  }

  /**
   * Validates every item first (one bad item fails the call and writes nothing), then proposes
   * each; the items' outcomes are independent, as CreateJobsRequest documents.
   */
  @Override
  public void createJobs(CreateJobsRequest request, StreamObserver<CreateJobsResponse> observer) {
    Replies.replyFrom(() -> bounded(createAll(request)), refusals.counting(observer));
  }

  private CompletableFuture<CreateJobsResponse> createAll(CreateJobsRequest request) {
    int n = request.getJobsCount();
    if (n == 0 || n > limits.createBatchMax()) {
      throw new ValidationException(
          List.of(
              new Violation(
                  "jobs", "must hold 1 to " + limits.createBatchMax() + " items, not " + n)));
    }
    // Admission and the rate quota first: a refused flood should cost as little as possible.
    admission.admit();
    java.util.Map<String, Integer> perNamespace = new java.util.TreeMap<>();
    request
        .getJobsList()
        .forEach(r -> perNamespace.merge(namespace(r.getJob().getNamespace()), 1, Integer::sum));
    perNamespace.forEach(rates::take);
    long now = clock.millis();
    List<Op> ops = new ArrayList<>(n);
    List<Violation> bad = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try {
        ops.add(createOp(request.getJobs(i), now));
      } catch (ValidationException e) {
        for (Violation v : e.violations()) {
          bad.add(new Violation("jobs[" + i + "]." + v.field(), v.description()));
        }
      }
    }
    if (!bad.isEmpty()) {
      throw new ValidationException(bad.subList(0, Math.min(bad.size(), VIOLATIONS_MAX)));
    }
    // Items for a target host that is behind are shed one by one; the others go on.
    List<CompletableFuture<CreateJobOutcome>> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      try {
        admission.admitTarget(request.getJobs(i).getJob().getTarget().getUrl());
        outcomes.add(proposer.propose(ops.get(i)).handle(this::outcome));
      } catch (RuntimeException e) {
        outcomes.add(CompletableFuture.completedFuture(outcome(null, e)));
      }
    }
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .thenApply(
            x ->
                CreateJobsResponse.newBuilder()
                    .addAllResults(outcomes.stream().map(CompletableFuture::join).toList())
                    .build());
  }

  private CreateJobOutcome outcome(OpResult r, Throwable error) {
    Throwable failure = error;
    if (failure == null) {
      try {
        return CreateJobOutcome.newBuilder().setJob(JobRedaction.redact(ok(r).getJob())).build();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    io.grpc.StatusRuntimeException refused = GrpcErrors.toStatus(failure);
    refusals.refused(refused);
    io.grpc.Status status = refused.getStatus();
    return CreateJobOutcome.newBuilder()
        .setCode(status.getCode().value())
        .setMessage(String.valueOf(status.getDescription()))
        .build();
  }

  /**
   * The Raft op that creates the request's job; throws {@link ValidationException} for bad input.
   *
   * <p>A repeat of a request whose id this replica has recorded is proposed without validation:
   * apply answers it with the first result from the request record (the record is committed, so the
   * leader has it too). Validation depends on the time: a one-shot create whose answer was lost and
   * that is retried after its due time would otherwise be refused as "in the past", although the
   * job exists.
   */
  private Op createOp(CreateJobRequest request, long now) {
    Job job;
    try {
      job = secrets.seal(validator.normalize(request.getJob(), request.getRequestId(), now));
      Job checked = job;
      io.horae.statemachine.core.ChainOps.refusal(
              local, job.getNamespace(), job.getName(), job.getAfter())
          .ifPresent(
              why -> {
                if (!RequestIds.recorded(
                    local, checked.getNamespace(), request.getRequestId(), now)) {
                  throw new ValidationException(List.of(new Violation("job.after", why)));
                }
              });
    } catch (ValidationException e) {
      String ns = namespace(request.getJob().getNamespace());
      if (!RequestIds.recorded(local, ns, request.getRequestId(), now)) {
        throw e;
      }
      job = request.getJob().toBuilder().setNamespace(ns).clearTarget().build();
    }
    RequestIds.Chosen id = RequestIds.choose(request.getRequestId(), limits.requestIdTtl());
    return Op.newBuilder()
        .setCreateJob(
            CreateJob.newBuilder()
                .setJob(job)
                .setRequestId(id.id())
                .setNowMs(now)
                .setFirstFireMs(firstFire(job, now))
                .setRequestExpiryMs(id.expiryMs())
                .setQuota(quota(quotas, job.getNamespace())))
        .build();
  }

  @Override
  public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
    String ns = namespace(request.getNamespace());
    CompletableFuture<Job> job =
        checked(JobValidator.checkKey(ns, request.getName()))
            .thenCompose(
                x ->
                    reader.query(
                        Query.newBuilder()
                            .setGetJob(
                                GetJobQuery.newBuilder()
                                    .setNamespace(ns)
                                    .setName(request.getName()))
                            .build()))
            .thenApply(
                r -> {
                  if (r.getJobsCount() == 0) {
                    throw new RejectedException(
                        RejectCode.REJECT_NOT_FOUND,
                        "job " + Echo.value(ns + "/" + request.getName()) + " not found");
                  }
                  return JobRedaction.redact(r.getJobs(0));
                });
    Replies.reply(bounded(job), j -> j, observer);
  }

  @Override
  public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> observer) {
    Replies.replyFrom(() -> bounded(listPage(request)), observer);
  }

  private CompletableFuture<ListJobsResponse> listPage(ListJobsRequest request) {
    String ns = namespace(request.getNamespace());
    int size =
        PageTokens.pageSize(request.getPageSize(), limits.pageSizeDefault(), limits.pageSizeMax());
    String after = PageTokens.decode(request.getPageToken());
    List<Violation> bad = new ArrayList<>(JobValidator.checkKey(ns, "x"));
    if (!request.getNamePrefix().isEmpty()
        && !JobValidator.NAME.matcher(request.getNamePrefix()).matches()) {
      bad.add(
          new Violation(
              "name_prefix",
              "must be the start of a job name: letters, digits, '.', '_' and '-', at most 128"));
    }
    if (request.getStatesList().contains(io.horae.api.v1.JobState.JOB_STATE_UNSPECIFIED)
        || request.getStatesValueList().stream()
            .anyMatch(v -> io.horae.api.v1.JobState.forNumber(v) == null)) {
      bad.add(
          new Violation("states", "must name job states (ACTIVE, PAUSED, COMPLETED, CANCELLED)"));
    }
    if (!bad.isEmpty()) {
      throw new ValidationException(bad);
    }
    ListJobsQuery.Builder q =
        ListJobsQuery.newBuilder()
            .setNamespace(ns)
            .setLimit(size)
            .setAfterName(after)
            .setNamePrefix(request.getNamePrefix())
            .addAllStates(request.getStatesList())
            .addAllLabels(Labels.parseSelector(request.getLabelSelector()))
            .setScanMax(limits.executionScanMax())
            .setMaxBytes(ListPages.PAGE_BYTES_MAX)
            .setOmitBodies(request.getView() != io.horae.api.v1.ListView.LIST_VIEW_FULL);
    return reader
        .query(Query.newBuilder().setListJobs(q).build())
        .thenApply(
            r -> {
              ListJobsResponse.Builder out =
                  ListJobsResponse.newBuilder()
                      .addAllJobs(
                          r.getJobsList().stream()
                              .map(j -> ListPages.view(JobRedaction.redact(j), request.getView()))
                              .toList());
              if (r.getMore()) {
                out.setNextPageToken(PageTokens.encode(r.getResumeAfterName()));
              }
              return out.build();
            });
  }

  @Override
  public void deleteJob(DeleteJobRequest request, StreamObserver<DeleteJobResponse> observer) {
    String ns = namespace(request.getNamespace());
    List<Violation> bad = new java.util.ArrayList<>(JobValidator.checkKey(ns, request.getName()));
    bad.addAll(RequestIds.check(request.getRequestId()));
    CompletableFuture<OpResult> result =
        checked(bad)
            .thenCompose(
                x -> {
                  RequestIds.Chosen id =
                      RequestIds.forOp(proposer, request.getRequestId(), limits.requestIdTtl());
                  return proposer.propose(
                      Op.newBuilder()
                          .setDeleteJob(
                              DeleteJob.newBuilder()
                                  .setNamespace(ns)
                                  .setName(request.getName())
                                  .setNowMs(clock.millis())
                                  .setRequestId(id.id())
                                  .setRequestExpiryMs(id.expiryMs()))
                          .build());
                });
    Replies.reply(
        bounded(result),
        r ->
            DeleteJobResponse.newBuilder()
                .setCancelledExecutions(ok(r).getCancelledExecutions())
                .build(),
        observer);
  }

  @Override
  public void pauseJob(PauseJobRequest request, StreamObserver<Job> observer) {
    String ns = namespace(request.getNamespace());
    CompletableFuture<Job> paused =
        checked(JobValidator.checkKey(ns, request.getName()))
            .thenCompose(x -> pauses.pause(ns, request.getName()));
    Replies.reply(bounded(paused), JobRedaction::redact, observer);
  }

  @Override
  public void resumeJob(ResumeJobRequest request, StreamObserver<Job> observer) {
    String ns = namespace(request.getNamespace());
    CompletableFuture<Job> resumed =
        checked(JobValidator.checkKey(ns, request.getName()))
            .thenCompose(x -> pauses.resume(ns, request.getName()));
    Replies.reply(bounded(resumed), JobRedaction::redact, observer);
  }

  @Override
  public void updateJob(UpdateJobRequest request, StreamObserver<Job> observer) {
    Replies.reply(bounded(updates.update(request)), JobRedaction::redact, observer);
  }

  @Override
  public void triggerJob(TriggerJobRequest request, StreamObserver<Execution> observer) {
    Replies.reply(bounded(updates.trigger(request)), e -> e, observer);
  }

  /** A read: answered from this node (see {@link SchedulePreviews}); nothing is proposed. */
  @Override
  public void previewSchedule(
      PreviewScheduleRequest request, StreamObserver<PreviewScheduleResponse> observer) {
    Replies.replyFrom(() -> bounded(previews.preview(request)), observer);
  }

  @Override
  public void listNamespaces(
      io.horae.api.v1.ListNamespacesRequest request,
      StreamObserver<io.horae.api.v1.ListNamespacesResponse> observer) {
    Replies.replyFrom(() -> CompletableFuture.completedFuture(namespaces(request)), observer);
  }

  /** From this replica's usage records: cheap, and usage moves all the time anyway. */
  private io.horae.api.v1.ListNamespacesResponse namespaces(
      io.horae.api.v1.ListNamespacesRequest request) {
    int size =
        PageTokens.pageSize(request.getPageSize(), limits.pageSizeDefault(), limits.pageSizeMax());
    io.horae.server.auth.Principal caller = io.horae.server.auth.AuthInterceptor.PRINCIPAL.get();
    byte[] from =
        request.getPageToken().isEmpty()
            ? Keys.META_NS_USAGE_PREFIX
            : Keys.nsUsage(request.getPageToken() + "\0");
    io.horae.api.v1.ListNamespacesResponse.Builder out =
        io.horae.api.v1.ListNamespacesResponse.newBuilder();
    String[] last = {null};
    local.scan(
        Family.META,
        from,
        Keys.prefixEnd(Keys.META_NS_USAGE_PREFIX),
        NAMESPACE_SCAN_MAX,
        (k, v) -> {
          String ns = Keys.nsUsageNamespace(k);
          last[0] = ns;
          if (caller != null && !caller.allows(io.horae.server.auth.Role.READER, ns)) {
            return true;
          }
          io.horae.internal.v1.NamespaceUsage u =
              io.horae.statemachine.core.NamespaceUsages.of(local, ns);
          io.horae.server.config.QuotaConfig.Limits l = quotas.of(ns);
          out.addNamespaces(
              io.horae.api.v1.NamespaceInfo.newBuilder()
                  .setName(ns)
                  .setJobs(u.getJobs())
                  .setLiveExecutions(u.getPending())
                  .setJobsMax(l.jobsMax())
                  .setLiveExecutionsMax(l.pendingMax())
                  .setCreatesPerSecond(l.createsPerSecond()));
          return out.getNamespacesCount() < size;
        });
    if (last[0] != null && more(last[0])) {
      out.setNextPageToken(last[0]);
    }
    return out.build();
  }

  private boolean more(String after) {
    boolean[] any = {false};
    local.scan(
        Family.META,
        Keys.nsUsage(after + "\0"),
        Keys.prefixEnd(Keys.META_NS_USAGE_PREFIX),
        1,
        (k, v) -> !(any[0] = true));
    return any[0];
  }

  /** The jobs and live-execution quotas of a namespace, for apply to check. */
  static io.horae.internal.v1.Quota quota(
      io.horae.server.config.QuotaConfig quotas, String namespace) {
    io.horae.server.config.QuotaConfig.Limits l = quotas.of(namespace);
    return io.horae.internal.v1.Quota.newBuilder()
        .setJobsMax(l.jobsMax())
        .setPendingMax(l.pendingMax())
        .build();
  }

  private static OpResult ok(OpResult r) {
    if (r.hasRejection()) {
      throw new RejectedException(r.getRejection().getCode(), r.getRejection().getMessage());
    }
    return r;
  }

  /**
   * The first fire time; 0 for a chained job and for a repeat whose schedule no longer validates
   * (apply ignores it).
   */
  private static long firstFire(Job job, long now) {
    if (!job.getAfter().isEmpty()) {
      return 0;
    }
    try {
      return ScheduleMath.firstFire(job.getSchedule(), now);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static String namespace(String ns) {
    return ns.isEmpty() ? JobValidator.DEFAULT_NAMESPACE : ns;
  }

  private static CompletableFuture<Void> checked(List<Violation> violations) {
    return violations.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new ValidationException(violations));
  }

  private <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
    return Replies.bounded(f, timeout);
  }
}
