package io.horae.server.api;

import io.grpc.stub.StreamObserver;
import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.DeadLetterServiceGrpc;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetDeadLetterRequest;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.ListDeadLettersResponse;
import io.horae.api.v1.PurgeDeadLettersRequest;
import io.horae.api.v1.PurgeDeadLettersResponse;
import io.horae.api.v1.ReplayDeadLettersRequest;
import io.horae.api.v1.ReplayDeadLettersResponse;
import io.horae.internal.v1.DeadLettersResult;
import io.horae.internal.v1.GetExecutionQuery;
import io.horae.internal.v1.ListDeadQuery;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.PurgeDead;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ReplayDead;
import io.horae.server.config.ApiConfig;
import io.horae.server.errors.Echo;
import io.horae.server.errors.RejectedException;
import io.horae.server.errors.ValidationException;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.Reader;
import io.horae.statemachine.core.schedule.Violation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DeadLetterService on every node (docs/executions.md, "Dead letters"). Reads are linearizable
 * (ReadIndex) and answered from the local replica. Replay and purge select their ids here (given,
 * or read by filter, at most {@link ApiConfig#deadLetterBatchMax()} per call) and propose them as
 * one Raft op with the time fixed here; apply skips ids that stopped being DEAD in between.
 */
public final class DeadLetterApi extends DeadLetterServiceGrpc.DeadLetterServiceImplBase {
  private final Proposer proposer;
  private final Reader reader;
  private final ApiConfig limits;
  private final Clock clock;
  private final Duration timeout;

  /** The ids one replay or purge works on, and where a filter-based call goes on next time. */
  private record Batch(List<String> ids, String nextPageToken) {}

  public DeadLetterApi(
      Proposer proposer, Reader reader, ApiConfig limits, Clock clock, Duration timeout) {
    this.proposer = proposer;
    this.reader = reader;
    this.limits = limits;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public void listDeadLetters(
      ListDeadLettersRequest request, StreamObserver<ListDeadLettersResponse> observer) {
    Replies.replyFrom(
        () -> {
          int size =
              PageTokens.pageSize(
                  request.getPageSize(), limits.pageSizeDefault(), limits.pageSizeMax());
          ListDeadQuery q =
              DeadLetterFilters.query(
                  "filter",
                  request.getFilter(),
                  request.getPageToken(),
                  size,
                  limits.executionScanMax());
          return bounded(
              reader
                  .query(Query.newBuilder().setListDead(q).build())
                  .thenApply(
                      r -> {
                        java.util.List<Execution> shown =
                            r.getExecutionsList().stream()
                                .map(e -> ListPages.view(e, request.getView()))
                                .toList();
                        int fit = ListPages.fitting(shown);
                        String next =
                            fit < shown.size()
                                ? PageTokens.encode(
                                    shown.get(fit - 1).getFinishedMs()
                                        + " "
                                        + shown.get(fit - 1).getId())
                                : DeadLetterFilters.nextToken(r);
                        return ListDeadLettersResponse.newBuilder()
                            .addAllDeadLetters(shown.subList(0, fit))
                            .setNextPageToken(next)
                            .build();
                      }));
        },
        observer);
  }

  @Override
  public void getDeadLetter(GetDeadLetterRequest request, StreamObserver<Execution> observer) {
    Replies.replyFrom(
        () -> {
          checked(ExecutionIdCheck.check("id", request.getId()));
          String id = request.getId();
          return bounded(
              reader
                  .query(
                      Query.newBuilder()
                          .setGetExecution(GetExecutionQuery.newBuilder().setId(id))
                          .build())
                  .thenApply(
                      r -> {
                        if (r.getExecutionsCount() == 0
                            || r.getExecutions(0).getStatus()
                                != ExecutionStatus.EXECUTION_STATUS_DEAD) {
                          throw new RejectedException(
                              RejectCode.REJECT_NOT_FOUND,
                              "dead letter "
                                  + Echo.value(id)
                                  + " not found (no DEAD execution with this id)");
                        }
                        return r.getExecutions(0);
                      }));
        },
        observer);
  }

  @Override
  public void replayDeadLetters(
      ReplayDeadLettersRequest request, StreamObserver<ReplayDeadLettersResponse> observer) {
    Replies.replyFrom(
        () -> {
          List<Violation> bad = new ArrayList<>();
          if (request.getDueMs() < 0) {
            bad.add(new Violation("due_ms", "must not be negative (0 means now)"));
          }
          CompletableFuture<Batch> batch =
              select(
                  request.getIdsList(),
                  request.hasFilter(),
                  request.getFilter(),
                  request.getLimit(),
                  request.getPageToken(),
                  bad);
          return bounded(batch.thenCompose(b -> replay(b, request.getDueMs())));
        },
        observer);
  }

  @Override
  public void purgeDeadLetters(
      PurgeDeadLettersRequest request, StreamObserver<PurgeDeadLettersResponse> observer) {
    Replies.replyFrom(
        () -> {
          CompletableFuture<Batch> batch =
              select(
                  request.getIdsList(),
                  request.hasFilter(),
                  request.getFilter(),
                  request.getLimit(),
                  request.getPageToken(),
                  new ArrayList<>());
          return bounded(batch.thenCompose(this::purge));
        },
        observer);
  }

  private CompletableFuture<ReplayDeadLettersResponse> replay(Batch b, long requestedDueMs) {
    ReplayDeadLettersResponse.Builder out =
        ReplayDeadLettersResponse.newBuilder()
            .setMore(!b.nextPageToken().isEmpty())
            .setNextPageToken(b.nextPageToken());
    if (b.ids().isEmpty()) {
      return CompletableFuture.completedFuture(out.build());
    }
    long now = clock.millis();
    Op op =
        Op.newBuilder()
            .setReplayDead(
                ReplayDead.newBuilder()
                    .addAllExecutionIds(b.ids())
                    .setDueMs(Math.max(now, requestedDueMs))
                    .setNowMs(now))
            .build();
    return proposer
        .propose(op)
        .thenApply(r -> counts(r))
        .thenApply(c -> out.setReplayed(c.getDone()).setSkipped(c.getSkipped()).build());
  }

  private CompletableFuture<PurgeDeadLettersResponse> purge(Batch b) {
    PurgeDeadLettersResponse.Builder out =
        PurgeDeadLettersResponse.newBuilder()
            .setMore(!b.nextPageToken().isEmpty())
            .setNextPageToken(b.nextPageToken());
    if (b.ids().isEmpty()) {
      return CompletableFuture.completedFuture(out.build());
    }
    Op op =
        Op.newBuilder()
            .setPurgeDead(
                PurgeDead.newBuilder().addAllExecutionIds(b.ids()).setNowMs(clock.millis()))
            .build();
    return proposer
        .propose(op)
        .thenApply(r -> counts(r))
        .thenApply(c -> out.setPurged(c.getDone()).setSkipped(c.getSkipped()).build());
  }

  private static DeadLettersResult counts(io.horae.internal.v1.OpResult r) {
    return Replies.ok(r).getDeadLetters();
  }

  /**
   * The ids a replay or purge works on: the given ones (checked), or at most {@code limit} (at most
   * the batch bound) that a linearizable read finds by filter, with the token to go on. Exactly one
   * of ids and filter must be given.
   *
   * @param bad violations found by the caller so far; all are reported together
   * @throws ValidationException naming every bad field
   */
  private CompletableFuture<Batch> select(
      List<String> ids,
      boolean hasFilter,
      DeadLetterFilter filter,
      int limit,
      String pageToken,
      List<Violation> bad) {
    int batchMax = limits.deadLetterBatchMax();
    if (limit < 0) {
      bad.add(
          new Violation(
              "limit",
              "must not be negative (0 means the server's batch limit, " + batchMax + ")"));
    }
    if (ids.isEmpty() == !hasFilter) {
      bad.add(
          hasFilter
              ? new Violation("filter", "give either ids or a filter, not both")
              : new Violation(
                  "ids",
                  "give the ids of dead letters, or a filter (an empty filter selects every dead letter of its namespace)"));
    }
    if (!hasFilter) {
      if (ids.size() > batchMax) {
        bad.add(
            new Violation(
                "ids",
                "at most "
                    + batchMax
                    + " ids per call (api.deadLetterBatchMax), got "
                    + ids.size()));
      }
      for (int i = 0; i < ids.size() && i < batchMax; i++) {
        bad.addAll(ExecutionIdCheck.check("ids[" + i + "]", ids.get(i)));
      }
      if (!pageToken.isEmpty()) {
        bad.add(new Violation("page_token", "goes with a filter only"));
      }
      checked(bad);
      return CompletableFuture.completedFuture(new Batch(List.copyOf(ids), ""));
    }
    int size = limit == 0 ? batchMax : Math.min(limit, batchMax);
    ListDeadQuery q;
    try {
      q =
          DeadLetterFilters.query(
              "filter", filter, pageToken, Math.max(1, size), limits.executionScanMax());
    } catch (ValidationException e) {
      bad.addAll(e.violations());
      throw new ValidationException(bad);
    }
    checked(bad);
    return reader
        .query(Query.newBuilder().setListDead(q).build())
        .thenApply(
            r ->
                new Batch(
                    r.getExecutionsList().stream().map(Execution::getId).toList(),
                    DeadLetterFilters.nextToken(r)));
  }

  private static void checked(List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw new ValidationException(violations);
    }
  }

  private <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
    return Replies.bounded(f, timeout);
  }
}
