package io.horae.server.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.CancelExecutionRequest;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.ListExecutionsResponse;
import io.horae.api.v1.WatchExecutionsRequest;
import io.horae.internal.v1.CancelExecution;
import io.horae.internal.v1.GetExecutionQuery;
import io.horae.internal.v1.ListExecutionsQuery;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.QueryResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ShardMap;
import io.horae.server.config.ApiConfig;
import io.horae.server.errors.Echo;
import io.horae.server.errors.GrpcErrors;
import io.horae.server.errors.RejectedException;
import io.horae.server.errors.ValidationException;
import io.horae.server.exec.NextOccurrence;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.Reader;
import io.horae.server.watch.WatchHub;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Executions;
import io.horae.statemachine.core.schedule.Violation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * ExecutionService on every node (docs/executions.md). Reads are linearizable (ReadIndex) and
 * answered from the local replica; a cancel is proposed through Raft with the time-dependent parts
 * (now, the job's next occurrence) fixed here; watches are served from this node's apply listener
 * by the {@link WatchHub}.
 */
public final class ExecutionApi extends ExecutionServiceGrpc.ExecutionServiceImplBase {
  private final Proposer proposer;
  private final Reader reader;
  private final ApiConfig limits;
  private final Duration misfireGrace;
  private final Supplier<Optional<ShardMap>> shardMap;
  private final WatchHub watches;
  private final Clock clock;
  private final Duration timeout;

  public ExecutionApi(
      Proposer proposer,
      Reader reader,
      ApiConfig limits,
      Duration misfireGrace,
      Supplier<Optional<ShardMap>> shardMap,
      WatchHub watches,
      Clock clock,
      Duration timeout) {
    this.proposer = proposer;
    this.reader = reader;
    this.limits = limits;
    this.misfireGrace = misfireGrace;
    this.shardMap = shardMap;
    this.watches = watches;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public void listExecutions(
      ListExecutionsRequest request, StreamObserver<ListExecutionsResponse> observer) {
    Replies.replyFrom(() -> bounded(listPage(request)), observer);
  }

  private CompletableFuture<ListExecutionsResponse> listPage(ListExecutionsRequest request) {
    ListExecutionsQuery query = ExecutionFilters.query(request, limits);
    return reader
        .query(Query.newBuilder().setListExecutions(query).build())
        .thenApply(
            r -> {
              List<Execution> shown =
                  r.getExecutionsList().stream()
                      .map(e -> withOwner(ListPages.view(e, request.getView())))
                      .toList();
              int fit = ListPages.fitting(shown);
              ListExecutionsResponse.Builder out =
                  ListExecutionsResponse.newBuilder().addAllExecutions(shown.subList(0, fit));
              if (fit < shown.size()) {
                out.setNextPageToken(PageTokens.encode(shown.get(fit - 1).getId()));
              } else if (r.getMore()) {
                out.setNextPageToken(PageTokens.encode(r.getResumeAfterId()));
              }
              return out.build();
            });
  }

  @Override
  public void getExecution(GetExecutionRequest request, StreamObserver<Execution> observer) {
    CompletableFuture<Execution> found =
        read(request.getId()).thenApply(r -> withOwner(r.getExecutions(0)));
    Replies.reply(bounded(found), e -> e, observer);
  }

  @Override
  public void cancelExecution(CancelExecutionRequest request, StreamObserver<Execution> observer) {
    CompletableFuture<Execution> result = read(request.getId()).thenCompose(this::cancel);
    Replies.reply(bounded(result), this::withOwner, observer);
  }

  /**
   * Proposes the cancel of what the linearizable read found. Already cancelled: returned as it is,
   * so a retried cancel succeeds. Otherwise finished: refused without a proposal (apply would
   * refuse it too). The next occurrence is computed from the job as read; apply uses it only if the
   * execution is still the job's latest occurrence when the cancel is applied.
   */
  private CompletableFuture<Execution> cancel(QueryResult found) {
    Execution e = found.getExecutions(0);
    if (e.getStatus() == ExecutionStatus.EXECUTION_STATUS_CANCELLED) {
      return CompletableFuture.completedFuture(e);
    }
    if (!Executions.isLive(e)) {
      return CompletableFuture.failedFuture(
          new RejectedException(
              RejectCode.REJECT_FINISHED,
              "execution "
                  + Echo.value(e.getId())
                  + " already finished with status "
                  + Executions.statusName(e.getStatus())));
    }
    long now = clock.millis();
    NextOccurrence next =
        found.getJobsCount() == 0 || !Executions.scheduled(e)
            ? new NextOccurrence(0, null)
            : NextOccurrence.after(found.getJobs(0), e.getScheduledMs(), now, misfireGrace);
    CancelExecution.Builder cancel =
        CancelExecution.newBuilder()
            .setExecutionId(e.getId())
            .setNowMs(now)
            .setNextFireMs(next.fireMs());
    next.noteInto(cancel::setMisfire);
    Op op = Op.newBuilder().setCancelExecution(cancel).build();
    return proposer.propose(op).thenApply(r -> Replies.ok(r).getExecution());
  }

  @Override
  public void watchExecutions(
      WatchExecutionsRequest request, StreamObserver<ExecutionEvent> observer) {
    try {
      String ns = ExecutionFilters.namespace(request.getNamespace());
      List<Violation> bad = ExecutionFilters.checkScope(ns, request.getJobName());
      if (!bad.isEmpty()) {
        throw new ValidationException(bad);
      }
      String prefix =
          request.getJobName().isEmpty() ? null : ExecutionIds.prefixOf(ns, request.getJobName());
      watches.open(
          io.horae.server.auth.CallerIdentity.current(),
          ns,
          prefix,
          (ServerCallStreamObserver<ExecutionEvent>) observer);
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
    }
  }

  /** A linearizable read of one execution and its job; NOT_FOUND when it does not exist. */
  private CompletableFuture<QueryResult> read(String id) {
    List<Violation> bad = ExecutionIdCheck.check("id", id);
    if (!bad.isEmpty()) {
      return CompletableFuture.failedFuture(new ValidationException(bad));
    }
    return reader
        .query(Query.newBuilder().setGetExecution(GetExecutionQuery.newBuilder().setId(id)).build())
        .thenApply(
            r -> {
              if (r.getExecutionsCount() == 0) {
                throw new RejectedException(
                    RejectCode.REJECT_NOT_FOUND, "execution " + Echo.value(id) + " not found");
              }
              return r;
            });
  }

  private Execution withOwner(Execution e) {
    Optional<ShardMap> map = shardMap.get();
    if (map.isEmpty() || e.getShard() >= map.get().getOwnersCount()) {
      return e;
    }
    return e.toBuilder().setShardOwner(map.get().getOwners(e.getShard())).build();
  }

  private <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
    return Replies.bounded(f, timeout);
  }
}
