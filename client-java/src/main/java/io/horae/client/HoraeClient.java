package io.horae.client;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.horae.api.v1.AddNodeRequest;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.DeleteJobRequest;
import io.horae.api.v1.DeleteJobResponse;
import io.horae.api.v1.Execution;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.MembershipResponse;
import io.horae.api.v1.PauseJobRequest;
import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.RemoveNodeRequest;
import io.horae.api.v1.ResumeJobRequest;
import io.horae.api.v1.SnapshotRequest;
import io.horae.api.v1.SnapshotResponse;
import io.horae.api.v1.TransferLeaderRequest;
import io.horae.api.v1.TransferLeaderResponse;
import io.horae.api.v1.TriggerJobRequest;
import io.horae.api.v1.UpdateJobRequest;
import io.horae.client.internal.Endpoint;
import io.horae.client.internal.FailoverCaller;
import io.horae.client.internal.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Client for a Horae cluster: create, read, list and delete jobs, preview their fire times, read
 * the cluster's status, and operate the cluster (add and remove nodes, move leadership, take
 * snapshots).
 *
 * <pre>{@code
 * try (HoraeClient client = HoraeClient.builder().endpoints("node1:7070,node2:7070").build()) {
 *   Job job = client.create(Job.newBuilder().setName("report").setSchedule(...).setTarget(...).build());
 * }
 * }</pre>
 *
 * <p><b>Transport.</b> Calls go over TLS by default, trusting the JDK's root CAs; a cluster made by
 * {@code horae certs init} needs {@link Builder#trustCertificates}. {@link
 * Builder#clientCertificate} presents a certificate of the cluster CA as the caller's identity.
 * Plaintext, for nodes run with {@code tls.enabled=false}, must be asked for with {@link
 * Builder#usePlaintext}. (Bearer tokens come with issue 12, item 3; the builder will take one
 * beside these settings.)
 *
 * <p><b>Endpoints and failover.</b> The client holds one gRPC channel per endpoint and sends each
 * call to the current endpoint. When a call fails with {@code UNAVAILABLE} it moves on to the next
 * endpoint (which stays current for later calls) and repeats the call there, trying each endpoint
 * at most once per call. Every call of this class is safe to repeat: reads are, and every create,
 * delete, update and manual run carries a request id (generated when the caller gives none for a
 * create), so the cluster answers a repeat with the first result instead of creating the job twice,
 * reporting a deleted job as not found, or running a job twice. The exceptions are {@link #addNode}
 * and {@link #removeNode}, which are not repeated ({@link #pause} and {@link #resume} are
 * idempotent).
 *
 * <p><b>Deadline.</b> Each call, failover included, must finish within the builder's deadline or
 * fails with code {@code DEADLINE_EXCEEDED}.
 *
 * <p><b>Errors.</b> Methods throw (or complete futures exceptionally with) an unchecked {@link
 * HoraeException} or one of its subclasses: {@link InvalidArgumentException}, {@link
 * AlreadyExistsException}, {@link NotFoundException}, {@link UnavailableException}, {@link
 * ResourceExhaustedException}, {@link FailedPreconditionException}. A {@code null} required
 * argument throws {@link NullPointerException}.
 *
 * <p><b>Threads.</b> Instances are thread-safe; share one per application. Async futures complete
 * on gRPC's callback threads: do not block in stages chained to them without an executor.
 */
public final class HoraeClient implements AutoCloseable {

  /** The call deadline when the builder is given none. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

  /** The endpoint when the builder is given none (DESIGN §12). */
  public static final String DEFAULT_ENDPOINT = "localhost:7070";

  /** The page size {@link #listAll} asks for. */
  static final int LIST_ALL_PAGE_SIZE = 200;

  private final List<Endpoint> endpoints;
  private final Duration deadline;
  private final FailoverCaller caller;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutionClient executions = new ExecutionClient(this);
  private final DeadLetterClient deadLetters = new DeadLetterClient(this);
  private final SecretClient secrets = new SecretClient(this);
  private final JobBatchClient batches = new JobBatchClient(this);

  private HoraeClient(List<Endpoint> endpoints, Duration deadline, Transport transport) {
    this.endpoints = endpoints;
    this.deadline = deadline;
    var ssl = transport.sslContext();
    List<ManagedChannel> channels = endpoints.stream().map(e -> transport.channel(e, ssl)).toList();
    this.caller = new FailoverCaller(endpoints, channels, ErrorMapper::toHoraeException);
  }

  /** Returns a builder with the default endpoint {@value #DEFAULT_ENDPOINT} and a 10 s deadline. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the endpoints as {@code host:port}, in the order they are tried. */
  public List<String> endpoints() {
    return endpoints.stream().map(Endpoint::toString).toList();
  }

  /**
   * Creates a job, with a generated request id.
   *
   * @param job the job; {@code name}, {@code schedule} and {@code target} are required, output-only
   *     fields are ignored, an empty namespace means {@code default}
   * @return the stored job, with its state, version and times set
   * @throws InvalidArgumentException when the job is invalid; {@link HoraeException#violations()}
   *     names the fields
   * @throws AlreadyExistsException when a job with this namespace and name exists
   * @throws ResourceExhaustedException when a quota is reached
   * @throws UnavailableException when no endpoint answered
   */
  public Job create(Job job) {
    return create(job, null);
  }

  /**
   * Creates a job under a request id: repeating a create with the same id (after a timeout, say)
   * returns the first result instead of creating a second job or failing with ALREADY_EXISTS.
   *
   * @param requestId the caller's id for this create; {@code null} or blank means "generate one"
   * @see #create(Job)
   */
  public Job create(Job job, String requestId) {
    return await(create(job, requestId, true));
  }

  /**
   * Returns the job {@code namespace/name}.
   *
   * @param namespace the namespace; {@code null} or empty means {@code default}
   * @throws NotFoundException when there is no such job
   */
  public Job get(String namespace, String name) {
    return await(getAsync(namespace, name));
  }

  /**
   * Returns the next fire times of the job {@code namespace/name} from now: its latest occurrence
   * if it is still ahead, then the ones after it, within its end time and max fires.
   *
   * @param namespace the namespace; {@code null} or empty means {@code default}
   * @param count 1 to 100 fires; 0 means 10
   * @throws NotFoundException when there is no such job
   * @throws InvalidArgumentException when count is out of range
   * @see #preview(PreviewScheduleRequest)
   */
  public PreviewScheduleResponse preview(String namespace, String name, int count) {
    return preview(
        PreviewScheduleRequest.newBuilder()
            .setNamespace(Objects.requireNonNullElse(namespace, ""))
            .setName(Objects.requireNonNull(name, "name"))
            .setCount(count)
            .build());
  }

  /**
   * Returns the next fire times of an existing job or of a schedule before it is created, each with
   * its zone's UTC offset at that instant and what daylight saving did to it ({@code
   * PreviewedFire.note}, {@code note_text} such as "shifted: 02:30 does not exist (spring
   * forward)"). A read: nothing is written, and the call is repeated on another endpoint after
   * {@code UNAVAILABLE}.
   *
   * @param request namespace (empty: {@code default}) and either {@code name} of an existing job or
   *     a {@code schedule} as {@link #create(Job)} takes it; {@code count} 1 to 100 (0: 10); {@code
   *     from_ms} (0: now)
   * @return the fires in time order; fewer than count when the schedule's end time or max fires (a
   *     job's fires so far count against it) comes first, none for a completed job
   * @throws InvalidArgumentException naming each bad field ({@code count}, {@code from_ms}, {@code
   *     schedule.cron.expression}, ...)
   * @throws NotFoundException when the named job does not exist
   */
  public PreviewScheduleResponse preview(PreviewScheduleRequest request) {
    return await(previewAsync(request));
  }

  /**
   * Returns one page of the jobs in a namespace, ordered by name.
   *
   * @param namespace the namespace; {@code null} or empty means {@code default}
   * @param pageSize jobs per page; 0 means the server's default, more than its maximum is clamped
   * @param pageToken {@link JobPage#nextPageToken()} of the previous page; {@code null} or empty
   *     for the first page
   * @throws InvalidArgumentException when the page token is not one the server issued
   */
  public JobPage list(String namespace, int pageSize, String pageToken) {
    return await(listAsync(namespace, pageSize, pageToken));
  }

  /**
   * Returns all jobs of a namespace as a lazy stream that fetches the next page when the previous
   * one is consumed; each page fetch is one call with its own deadline. Errors of a page fetch are
   * thrown from the stream's terminal operation. The stream is not thread-safe; it holds no
   * resources, so closing it is optional.
   *
   * @param namespace the namespace; {@code null} or empty means {@code default}
   */
  public Stream<Job> listAll(String namespace) {
    return new JobPager(pageToken -> list(namespace, LIST_ALL_PAGE_SIZE, pageToken)).stream();
  }

  /**
   * Deletes the job {@code namespace/name} and cancels its pending executions.
   *
   * @return how many pending executions were cancelled
   * @throws NotFoundException when there is no such job
   */
  public int delete(String namespace, String name) {
    return await(deleteAsync(namespace, name, null));
  }

  /**
   * {@link #delete(String, String)} under the caller's request id: a repeat with the same id (this
   * process's after a crash, say) returns the first result instead of {@link NotFoundException}.
   *
   * @param requestId at most 128 characters; {@code null} or blank means "generate one"
   */
  public int delete(String namespace, String name, String requestId) {
    return await(deleteAsync(namespace, name, requestId));
  }

  /** Returns the execution calls (list, get, cancel, watch) of this client; same thread safety. */
  public ExecutionClient executions() {
    return executions;
  }

  /**
   * Returns the dead-letter calls (list, get, replay, purge) of this client; same thread safety.
   */
  public DeadLetterClient deadLetters() {
    return deadLetters;
  }

  /** Returns the batch create call of this client; same thread safety. */
  public JobBatchClient batches() {
    return batches;
  }

  /**
   * Pauses an ACTIVE job (an occurrence already created still runs; no further one is created).
   * Idempotent (a PAUSED job is returned as is). Throws {@link NotFoundException}, or {@link
   * FailedPreconditionException} if COMPLETED.
   */
  public Job pause(String namespace, String name) {
    PauseJobRequest r =
        PauseJobRequest.newBuilder()
            .setNamespace(Objects.requireNonNullElse(namespace, ""))
            .setName(Objects.requireNonNull(name, "name"))
            .build();
    Deadline d = newDeadline();
    return await(call(ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).pauseJob(r)));
  }

  /**
   * Resumes a PAUSED job (also one a 410 Gone paused), scheduling its next occurrence from now;
   * idempotent (an ACTIVE job is returned as is); throws {@link NotFoundException}, or {@link
   * FailedPreconditionException} if COMPLETED.
   */
  public Job resume(String namespace, String name) {
    ResumeJobRequest r =
        ResumeJobRequest.newBuilder()
            .setNamespace(Objects.requireNonNullElse(namespace, ""))
            .setName(Objects.requireNonNull(name, "name"))
            .build();
    Deadline d = newDeadline();
    return await(call(ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).resumeJob(r)));
  }

  /**
   * Changes the fields of {@code job} named by {@code paths} (schedule, target, retry, priority,
   * labels, keep_last, traceparent, signing_secret) on the job {@code job.namespace/job.name}. A
   * new schedule takes effect at once; a secret header sent with an empty value keeps its stored
   * value. Carries a new request id, so a repeat on another endpoint after {@code UNAVAILABLE}
   * returns the first result (an update that did apply does not report a version mismatch).
   *
   * @param expectedVersion apply only at this version (0: no check)
   * @throws FailedPreconditionException when the job is at another version (its message names it)
   * @throws NotFoundException when there is no such job
   * @throws InvalidArgumentException naming the bad field or path
   */
  public Job update(Job job, List<String> paths, long expectedVersion) {
    return update(job, paths, expectedVersion, null);
  }

  /**
   * {@link #update(Job, List, long)} under the caller's request id: a repeat with the same id
   * returns the first result.
   *
   * @param requestId at most 128 characters; {@code null} or blank means "generate one"
   */
  public Job update(Job job, List<String> paths, long expectedVersion, String requestId) {
    UpdateJobRequest r =
        UpdateJobRequest.newBuilder()
            .setJob(Objects.requireNonNull(job, "job"))
            .setUpdateMask(com.google.protobuf.FieldMask.newBuilder().addAllPaths(paths))
            .setExpectedVersion(expectedVersion)
            .setRequestId(orNew(requestId))
            .build();
    Deadline d = newDeadline();
    return await(call(ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).updateJob(r), true));
  }

  /**
   * Runs the job once now, besides its schedule: an execution {@code <job>@<now>.m}, or a SKIPPED
   * one with the reason while an execution of the job is running. Carries a new request id, so a
   * repeat on another endpoint after {@code UNAVAILABLE} returns the first run instead of starting
   * a second (a second call of this method is a second run).
   *
   * @throws NotFoundException when there is no such job
   * @throws ResourceExhaustedException when the job has too many live executions
   */
  public Execution trigger(String namespace, String name) {
    return trigger(namespace, name, null);
  }

  /**
   * {@link #trigger(String, String)} under the caller's request id: a repeat with the same id
   * returns the first run's execution instead of starting another.
   *
   * @param requestId at most 128 characters; {@code null} or blank means "generate one"
   */
  public Execution trigger(String namespace, String name, String requestId) {
    TriggerJobRequest r =
        TriggerJobRequest.newBuilder()
            .setNamespace(Objects.requireNonNullElse(namespace, ""))
            .setName(Objects.requireNonNull(name, "name"))
            .setRequestId(orNew(requestId))
            .build();
    Deadline d = newDeadline();
    return await(call(ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).triggerJob(r), true));
  }

  /**
   * Every namespace the caller may read that holds a job or a live execution, with its usage and
   * quotas (docs/quotas.md), in name order; at most {@value #NAMESPACE_PAGES_MAX} pages.
   */
  public List<io.horae.api.v1.NamespaceInfo> namespaces() {
    List<io.horae.api.v1.NamespaceInfo> all = new java.util.ArrayList<>();
    String token = "";
    for (int page = 0; page < NAMESPACE_PAGES_MAX; page++) {
      io.horae.api.v1.ListNamespacesRequest r =
          io.horae.api.v1.ListNamespacesRequest.newBuilder().setPageToken(token).build();
      Deadline d = newDeadline();
      io.horae.api.v1.ListNamespacesResponse resp =
          await(
              call(ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).listNamespaces(r), true));
      all.addAll(resp.getNamespacesList());
      token = resp.getNextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    return all;
  }

  /** Most pages {@link #namespaces} reads. */
  static final int NAMESPACE_PAGES_MAX = 1_000;

  /**
   * One page of jobs for a full request: filters (label_selector, states, name_prefix), page size
   * and token as in {@link ListJobsRequest}.
   *
   * @throws InvalidArgumentException naming a bad filter, e.g. {@code label_selector}
   */
  public JobPage list(ListJobsRequest request) {
    Deadline d = newDeadline();
    return await(
        this.<ListJobsResponse>call(
                ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).listJobs(request))
            .thenApply(r -> new JobPage(r.getJobsList(), r.getNextPageToken())));
  }

  /**
   * Every job that passes the request's filters, fetched page by page as the stream is consumed.
   */
  public Stream<Job> listAll(ListJobsRequest request) {
    return new JobPager(
            pageToken ->
                list(
                    request.toBuilder()
                        .setPageToken(Objects.requireNonNullElse(pageToken, ""))
                        .build()))
        .stream();
  }

  /** Returns the signing-secret calls (rotate, list) of this client; same thread safety. */
  public SecretClient secrets() {
    return secrets;
  }

  /**
   * Returns the cluster's status as seen by the answering node: leader, term, nodes and shards.
   *
   * @throws UnavailableException when no endpoint answered
   */
  public ClusterStatus clusterStatus() {
    Deadline d = newDeadline();
    return await(
        call(
            ch ->
                ClusterServiceGrpc.newFutureStub(ch)
                    .withDeadline(d)
                    .getStatus(GetStatusRequest.getDefaultInstance())));
  }

  /**
   * Adds a node to the cluster. The node must already run in join mode ({@code node.join=true}); it
   * catches up with the leader (by snapshot if needed), becomes a voting member, and then gets
   * shards a few at a time. Not repeated on another endpoint after {@code UNAVAILABLE}: the change
   * may have happened; {@link #clusterStatus()} tells.
   *
   * @param id the new node's id, {@code [a-z0-9-]{1,32}}
   * @param raftAddress its Raft {@code host:port}
   * @param apiAddress its gRPC API {@code host:port}
   * @param adminAddress its admin HTTP {@code host:port}; {@code null} or empty if not known
   * @param internalAddress its internal node-to-node gRPC {@code host:port} ({@code
   *     peers.<id>.internal})
   * @return the voting members afterwards
   * @throws InvalidArgumentException naming each bad field ({@code id}, {@code raft_address}, ...)
   * @throws AlreadyExistsException when the id is already a member
   */
  public MembershipResponse addNode(
      String id,
      String raftAddress,
      String apiAddress,
      String adminAddress,
      String internalAddress) {
    AddNodeRequest request =
        AddNodeRequest.newBuilder()
            .setId(Objects.requireNonNull(id, "id"))
            .setRaftAddress(Objects.requireNonNull(raftAddress, "raftAddress"))
            .setApiAddress(Objects.requireNonNull(apiAddress, "apiAddress"))
            .setAdminAddress(Objects.requireNonNullElse(adminAddress, ""))
            .setInternalAddress(Objects.requireNonNull(internalAddress, "internalAddress"))
            .build();
    Deadline d = newDeadline();
    return await(
        call(ch -> ClusterServiceGrpc.newFutureStub(ch).withDeadline(d).addNode(request), false));
  }

  /**
   * Removes a node: its shards first move to the other members (their new owners wait out its
   * lease, so nothing is delivered twice by two live owners and nothing is lost), then it leaves
   * the Raft configuration; a removed node that keeps running gets no more leases. Removing the
   * leader moves leadership first. Not repeated after {@code UNAVAILABLE} (see {@link #addNode}).
   *
   * @return the voting members afterwards and how many shards moved
   * @throws NotFoundException when {@code id} is not a member
   * @throws HoraeException with code {@code FAILED_PRECONDITION} for the last member
   */
  public MembershipResponse removeNode(String id) {
    RemoveNodeRequest request =
        RemoveNodeRequest.newBuilder().setId(Objects.requireNonNull(id, "id")).build();
    Deadline d = newDeadline();
    return await(
        call(
            ch -> ClusterServiceGrpc.newFutureStub(ch).withDeadline(d).removeNode(request), false));
  }

  /**
   * Moves Raft leadership.
   *
   * @param targetId the member that should lead; {@code null} or empty for any other member
   * @return the member that leads afterwards
   * @throws NotFoundException when {@code targetId} is not a member
   */
  public TransferLeaderResponse transferLeader(String targetId) {
    TransferLeaderRequest request =
        TransferLeaderRequest.newBuilder()
            .setTargetId(Objects.requireNonNullElse(targetId, ""))
            .build();
    Deadline d = newDeadline();
    return await(
        call(ch -> ClusterServiceGrpc.newFutureStub(ch).withDeadline(d).transferLeader(request)));
  }

  /**
   * Takes a snapshot now.
   *
   * @param nodeId the member that takes it; {@code null} or empty for the leader
   * @return the node and the log index the snapshot covers (at least its applied index when asked)
   * @throws NotFoundException when {@code nodeId} is not a member
   */
  public SnapshotResponse snapshot(String nodeId) {
    SnapshotRequest request =
        SnapshotRequest.newBuilder().setNodeId(Objects.requireNonNullElse(nodeId, "")).build();
    Deadline d = newDeadline();
    return await(
        call(ch -> ClusterServiceGrpc.newFutureStub(ch).withDeadline(d).snapshot(request)));
  }

  /** Async {@link #create(Job)}: the future fails with the exceptions listed there. */
  public CompletableFuture<Job> createAsync(Job job) {
    return createAsync(job, null);
  }

  /** Async {@link #create(Job, String)}: the future fails with the exceptions listed there. */
  public CompletableFuture<Job> createAsync(Job job, String requestId) {
    return create(job, requestId, false);
  }

  /**
   * @param awaited whether the caller blocks on the future (see {@link #awaited})
   */
  private CompletableFuture<Job> create(Job job, String requestId, boolean awaited) {
    Objects.requireNonNull(job, "job");
    String id = orNew(requestId);
    // Built once, so every failover attempt carries the same request id.
    CreateJobRequest request = CreateJobRequest.newBuilder().setJob(job).setRequestId(id).build();
    Deadline d = newDeadline();
    return call(
        ch ->
            awaited(JobServiceGrpc.newFutureStub(ch), awaited).withDeadline(d).createJob(request));
  }

  /** Async {@link #get}: the future fails with the exceptions listed there. */
  public CompletableFuture<Job> getAsync(String namespace, String name) {
    GetJobRequest request =
        GetJobRequest.newBuilder()
            .setNamespace(Objects.requireNonNullElse(namespace, ""))
            .setName(Objects.requireNonNull(name, "name"))
            .build();
    Deadline d = newDeadline();
    return call(ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).getJob(request));
  }

  /** Async {@link #preview(PreviewScheduleRequest)}: the future fails as that method throws. */
  public CompletableFuture<PreviewScheduleResponse> previewAsync(PreviewScheduleRequest request) {
    Objects.requireNonNull(request, "request");
    Deadline d = newDeadline();
    return call(ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).previewSchedule(request));
  }

  /** Async {@link #list}: the future fails with the exceptions listed there. */
  public CompletableFuture<JobPage> listAsync(String namespace, int pageSize, String pageToken) {
    if (pageSize < 0) {
      throw new IllegalArgumentException("pageSize " + pageSize + " is negative");
    }
    ListJobsRequest request =
        ListJobsRequest.newBuilder()
            .setNamespace(Objects.requireNonNullElse(namespace, ""))
            .setPageSize(pageSize)
            .setPageToken(Objects.requireNonNullElse(pageToken, ""))
            .build();
    Deadline d = newDeadline();
    return this.<ListJobsResponse>call(
            ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).listJobs(request))
        .thenApply(r -> new JobPage(r.getJobsList(), r.getNextPageToken()));
  }

  /** Async {@link #delete}: the future fails with the exceptions listed there. */
  public CompletableFuture<Integer> deleteAsync(String namespace, String name) {
    return deleteAsync(namespace, name, null);
  }

  /** Async {@link #delete(String, String, String)}. */
  public CompletableFuture<Integer> deleteAsync(String namespace, String name, String requestId) {
    DeleteJobRequest request =
        DeleteJobRequest.newBuilder()
            .setNamespace(Objects.requireNonNullElse(namespace, ""))
            .setName(Objects.requireNonNull(name, "name"))
            .setRequestId(orNew(requestId))
            .build();
    Deadline d = newDeadline();
    return this.<DeleteJobResponse>call(
            ch -> JobServiceGrpc.newFutureStub(ch).withDeadline(d).deleteJob(request))
        .thenApply(DeleteJobResponse::getCancelledExecutions);
  }

  /**
   * Closes the channels, waiting up to 5 s for calls in flight. Calls after close throw {@link
   * IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      caller.close();
    }
  }

  Deadline newDeadline() {
    return Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Every call of this class is safe to repeat on another endpoint; see the class comment. */
  <T> CompletableFuture<T> call(Function<Channel, ListenableFuture<T>> rpc) {
    return call(rpc, true);
  }

  /** The caller's request id, or a new one for a null or blank id. */
  private static String orNew(String requestId) {
    return requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
  }

  <T> CompletableFuture<T> call(Function<Channel, ListenableFuture<T>> rpc, boolean safeToRetry) {
    if (closed.get()) {
      throw new IllegalStateException("HoraeClient is closed");
    }
    return caller.call(rpc, safeToRetry);
  }

  /**
   * The stub, completing its calls on the transport thread when {@code awaited}. A sync method
   * blocks its caller on the call's future and chains no stage of a user to it, so the response may
   * complete the future where it is read, sparing a hand-off to gRPC's callback executor (on a
   * loaded 2-core machine, up to a millisecond per call). Async methods keep the default: user
   * stages must not run on, or block, the transport thread.
   */
  static <S extends io.grpc.stub.AbstractStub<S>> S awaited(S stub, boolean awaited) {
    return awaited ? stub.withExecutor(Runnable::run) : stub;
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw ErrorMapper.toHoraeException(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new HoraeException(Status.Code.CANCELLED, "interrupted while waiting", e);
    }
  }

  /** The endpoints and channels, for streams (see {@link ExecutionClient#watch}). */
  FailoverCaller streamCaller() {
    if (closed.get()) {
      throw new IllegalStateException("HoraeClient is closed");
    }
    return caller;
  }

  /** Configures a {@link HoraeClient}. Not thread-safe; use it from one thread, then discard. */
  public static final class Builder {
    private List<String> endpoints = List.of(DEFAULT_ENDPOINT);
    private Duration deadline = DEFAULT_DEADLINE;
    private boolean plaintext;
    private Path caFile;
    private Path certFile;
    private Path keyFile;
    private String bearerToken;

    private Builder() {}

    /**
     * Sends this bearer token with every call (a token of the nodes' {@code auth.accessFile};
     * {@code horae certs init} writes one for the admin). Over TLS only, unless {@link
     * #usePlaintext}.
     */
    public Builder bearerToken(String token) {
      this.bearerToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Trusts the CA in this PEM file (such as {@code ca.pem} of {@code horae certs init}) instead
     * of the JDK's roots. Read by {@link #build}, which throws IllegalArgumentException naming a
     * file that cannot be read.
     */
    public Builder trustCertificates(Path caPem) {
      this.caFile = Objects.requireNonNull(caPem, "caPem");
      return this;
    }

    /** Presents this client certificate (PEM, then its CA) and PKCS#8 PEM key to the nodes. */
    public Builder clientCertificate(Path certPem, Path keyPem) {
      this.certFile = Objects.requireNonNull(certPem, "certPem");
      this.keyFile = Objects.requireNonNull(keyPem, "keyPem");
      return this;
    }

    /**
     * Talks plaintext: only to nodes run with {@code tls.enabled=false}; excludes the TLS settings.
     */
    public Builder usePlaintext() {
      this.plaintext = true;
      return this;
    }

    /** Sets the nodes to talk to, {@code host:port} or {@code [ipv6]:port}, in the order tried. */
    public Builder endpoints(List<String> endpoints) {
      this.endpoints = List.copyOf(endpoints);
      return this;
    }

    /** Sets the endpoints from a comma-separated list such as {@code "n1:7070,n2:7070"}. */
    public Builder endpoints(String commaSeparated) {
      return endpoints(
          Arrays.asList(Objects.requireNonNull(commaSeparated, "endpoints").split(",")));
    }

    /** Sets how long each call, failover included, may take; must be positive. */
    public Builder deadline(Duration deadline) {
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline " + deadline + " is not positive");
      }
      this.deadline = deadline;
      return this;
    }

    /**
     * Creates the client (connections open on the first call); throws IllegalArgumentException for
     * bad or 0 or over 32 endpoints, unreadable TLS files, or plaintext with TLS files.
     */
    public HoraeClient build() {
      return new HoraeClient(
          Endpoint.parseAll(endpoints),
          deadline,
          new Transport(plaintext, caFile, certFile, keyFile, bearerToken));
    }
  }
}
