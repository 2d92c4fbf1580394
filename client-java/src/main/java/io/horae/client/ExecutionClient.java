package io.horae.client;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.horae.api.v1.CancelExecutionRequest;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.ListExecutionsResponse;
import io.horae.api.v1.WatchExecutionsRequest;
import io.horae.client.internal.FailoverCaller;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Executions of jobs: list, get, cancel and watch. Obtain it from {@link HoraeClient#executions()};
 * it shares that client's endpoints, failover, deadline and error types, and is thread-safe.
 *
 * <p>Execution ids have the form {@code <namespace>/<job name>@<scheduled epoch millis>}; a
 * malformed id fails with {@link InvalidArgumentException} naming the field {@code id}.
 */
public final class ExecutionClient {
  private final HoraeClient client;

  ExecutionClient(HoraeClient client) {
    this.client = client;
  }

  /**
   * Returns one page of executions, in id order (per job: scheduled-time order).
   *
   * @param request namespace (empty: {@code default}), optional job name, statuses and scheduled
   *     time range [from, to), page size and the previous page's token
   * @throws InvalidArgumentException when a filter or the page token is invalid; {@link
   *     HoraeException#violations()} names the fields
   */
  public ExecutionPage list(ListExecutionsRequest request) {
    return HoraeClient.await(listAsync(request));
  }

  /**
   * Returns every execution that matches, as a stream that fetches the first page now and each
   * further page when the previous one is used up (pages may be short or empty and still have a
   * successor); each fetch is one call with its own deadline. Errors of later fetches are thrown
   * from the stream's terminal operation. Not thread-safe.
   *
   * @param request the filters and page size; its page token is ignored
   */
  public Stream<Execution> listAll(ListExecutionsRequest request) {
    ListExecutionsRequest first = request.toBuilder().clearPageToken().build();
    return Stream.iterate(
            list(first),
            page -> page != null,
            page ->
                page.hasNextPage()
                    ? list(first.toBuilder().setPageToken(page.nextPageToken()).build())
                    : null)
        .flatMap(page -> page.executions().stream());
  }

  /**
   * Returns one execution with its status, attempts (each naming the node that made it) and last
   * response, and the node that owns its shard now.
   *
   * @throws NotFoundException when there is no such execution
   */
  public Execution get(String id) {
    return HoraeClient.await(getAsync(id));
  }

  /**
   * Cancels an execution: a pending one never fires; one in flight is aborted where possible and
   * its outcome recorded as CANCELLED. Safe to repeat: cancelling a cancelled execution returns it.
   *
   * @return the execution after the cancel
   * @throws NotFoundException when there is no such execution
   * @throws FailedPreconditionException when it already finished (SUCCEEDED, DEAD, SKIPPED)
   */
  public Execution cancel(String id) {
    return HoraeClient.await(cancelAsync(id));
  }

  /** Async {@link #list}: the future fails with the exceptions listed there. */
  public CompletableFuture<ExecutionPage> listAsync(ListExecutionsRequest request) {
    Objects.requireNonNull(request, "request");
    Deadline d = client.newDeadline();
    return client
        .<ListExecutionsResponse>call(
            ch -> ExecutionServiceGrpc.newFutureStub(ch).withDeadline(d).listExecutions(request))
        .thenApply(r -> new ExecutionPage(r.getExecutionsList(), r.getNextPageToken()));
  }

  /** Async {@link #get}: the future fails with the exceptions listed there. */
  public CompletableFuture<Execution> getAsync(String id) {
    GetExecutionRequest request =
        GetExecutionRequest.newBuilder().setId(Objects.requireNonNull(id, "id")).build();
    Deadline d = client.newDeadline();
    return client.call(
        ch -> ExecutionServiceGrpc.newFutureStub(ch).withDeadline(d).getExecution(request));
  }

  /** Async {@link #cancel}: the future fails with the exceptions listed there. */
  public CompletableFuture<Execution> cancelAsync(String id) {
    CancelExecutionRequest request =
        CancelExecutionRequest.newBuilder().setId(Objects.requireNonNull(id, "id")).build();
    Deadline d = client.newDeadline();
    return client.call(
        ch -> ExecutionServiceGrpc.newFutureStub(ch).withDeadline(d).cancelExecution(request));
  }

  /**
   * Streams the changes of a namespace's executions, or of one job's, to {@code watcher} until the
   * returned handle is closed or the server ends the stream. The stream has no deadline. It starts
   * on the current endpoint and moves on to the next if that one is unavailable; once it has
   * started it is not failed over: on {@code onEnd}, list again, then watch again.
   *
   * @param namespace the namespace; {@code null} or empty means {@code default}
   * @param jobName only this job's executions; {@code null} or empty for every job
   */
  public ExecutionWatch watch(String namespace, String jobName, ExecutionWatcher watcher) {
    Objects.requireNonNull(watcher, "watcher");
    WatchExecutionsRequest request =
        WatchExecutionsRequest.newBuilder()
            .setNamespace(Objects.requireNonNullElse(namespace, ""))
            .setJobName(Objects.requireNonNullElse(jobName, ""))
            .build();
    ExecutionWatch handle = new ExecutionWatch();
    FailoverCaller caller = client.streamCaller();
    start(caller, request, watcher, handle, caller.currentIndex(), 1);
    return handle;
  }

  /**
   * Opens the stream on endpoint {@code index}. A stream that fails with UNAVAILABLE before its
   * first event is opened on the next endpoint, each endpoint at most once, like a unary call; once
   * events flowed, any end goes to the watcher, which must re-list before watching again.
   */
  private void start(
      FailoverCaller caller,
      WatchExecutionsRequest request,
      ExecutionWatcher watcher,
      ExecutionWatch handle,
      int index,
      int attempt) {
    AtomicBoolean flowing = new AtomicBoolean();
    ExecutionServiceGrpc.newStub(caller.channel(index))
        .watchExecutions(
            request,
            new ClientResponseObserver<WatchExecutionsRequest, ExecutionEvent>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<WatchExecutionsRequest> call) {
                handle.started(call);
              }

              @Override
              public void onNext(ExecutionEvent event) {
                flowing.set(true);
                watcher.onEvent(event);
              }

              @Override
              public void onError(Throwable t) {
                if (handle.closedByClient()) {
                  watcher.onEnd(null);
                } else if (!flowing.get()
                    && Status.fromThrowable(t).getCode() == Status.Code.UNAVAILABLE
                    && attempt < caller.size()) {
                  start(caller, request, watcher, handle, caller.failedOver(index), attempt + 1);
                } else {
                  watcher.onEnd(ErrorMapper.toHoraeException(t));
                }
              }

              @Override
              public void onCompleted() {
                watcher.onEnd(null);
              }
            });
  }
}
