package io.horae.client;

import io.grpc.Deadline;
import io.horae.api.v1.DeadLetterServiceGrpc;
import io.horae.api.v1.Execution;
import io.horae.api.v1.GetDeadLetterRequest;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.ListDeadLettersResponse;
import io.horae.api.v1.PurgeDeadLettersRequest;
import io.horae.api.v1.PurgeDeadLettersResponse;
import io.horae.api.v1.ReplayDeadLettersRequest;
import io.horae.api.v1.ReplayDeadLettersResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The dead-letter queue: executions that ended DEAD, to list, inspect, replay or purge. Obtain it
 * from {@link HoraeClient#deadLetters()}; it shares that client's endpoints, failover, deadline and
 * error types, and is thread-safe.
 *
 * <p>Replay and purge take either ids or a filter, at most the server's batch limit per call
 * ({@code api.deadLetterBatchMax}, 500 by default); a filter call that leaves matches behind says
 * so with {@code more} and a {@code next_page_token} for the next call. Both are safe to repeat: an
 * id that is no longer DEAD is skipped and counted, never an error; a repeated filter call works on
 * whatever still matches.
 */
public final class DeadLetterClient {
  private final HoraeClient client;

  DeadLetterClient(HoraeClient client) {
    this.client = client;
  }

  /**
   * Returns one page of dead letters, oldest death first.
   *
   * @param request the filter (namespace, job, time of death [from, to), last HTTP status), page
   *     size and the previous page's token
   * @throws InvalidArgumentException when the filter or the page token is invalid; {@link
   *     HoraeException#violations()} names the fields (e.g. {@code filter.http_status})
   */
  public DeadLetterPage list(ListDeadLettersRequest request) {
    return HoraeClient.await(listAsync(request));
  }

  /**
   * Returns every dead letter that matches, as a stream that fetches each further page when the
   * previous one is used up; each fetch is one call with its own deadline. Errors of later fetches
   * are thrown from the stream's terminal operation. Not thread-safe.
   *
   * @param request the filter and page size; its page token is ignored
   */
  public Stream<Execution> listAll(ListDeadLettersRequest request) {
    ListDeadLettersRequest first = request.toBuilder().clearPageToken().build();
    return Stream.iterate(
            list(first),
            page -> page != null,
            page ->
                page.hasNextPage()
                    ? list(first.toBuilder().setPageToken(page.nextPageToken()).build())
                    : null)
        .flatMap(page -> page.deadLetters().stream());
  }

  /**
   * Returns one dead letter: the DEAD execution with its attempt history.
   *
   * @param id {@code <namespace>/<job name>@<scheduled epoch millis>}
   * @throws NotFoundException when no DEAD execution has this id (never died, replayed, purged)
   * @throws InvalidArgumentException when the id is malformed (field {@code id})
   */
  public Execution get(String id) {
    return HoraeClient.await(getAsync(id));
  }

  /**
   * Puts dead letters back to PENDING, due now or at {@code due_ms}: same execution id (so the same
   * Idempotency-Key), attempt count unchanged, so the next attempt is numbered after the last one.
   *
   * @param request ids, or a filter with an optional limit and token; exactly one of the two
   * @return how many were replayed and skipped, and for a filter whether more match
   * @throws InvalidArgumentException when neither or both of ids and filter are given, an id is
   *     malformed, or more ids are given than the server's batch limit
   */
  public ReplayDeadLettersResponse replay(ReplayDeadLettersRequest request) {
    return HoraeClient.await(replayAsync(request));
  }

  /**
   * Removes dead letters together with their execution records, for good.
   *
   * @param request ids, or a filter with an optional limit and token; exactly one of the two
   * @return how many were purged and skipped, and for a filter whether more match
   * @throws InvalidArgumentException as for {@link #replay}
   */
  public PurgeDeadLettersResponse purge(PurgeDeadLettersRequest request) {
    return HoraeClient.await(purgeAsync(request));
  }

  /** Async {@link #list}: the future fails with the exceptions listed there. */
  public CompletableFuture<DeadLetterPage> listAsync(ListDeadLettersRequest request) {
    Objects.requireNonNull(request, "request");
    Deadline d = client.newDeadline();
    return client
        .<ListDeadLettersResponse>call(
            ch -> DeadLetterServiceGrpc.newFutureStub(ch).withDeadline(d).listDeadLetters(request))
        .thenApply(r -> new DeadLetterPage(r.getDeadLettersList(), r.getNextPageToken()));
  }

  /** Async {@link #get}: the future fails with the exceptions listed there. */
  public CompletableFuture<Execution> getAsync(String id) {
    GetDeadLetterRequest request =
        GetDeadLetterRequest.newBuilder().setId(Objects.requireNonNull(id, "id")).build();
    Deadline d = client.newDeadline();
    return client.call(
        ch -> DeadLetterServiceGrpc.newFutureStub(ch).withDeadline(d).getDeadLetter(request));
  }

  /** Async {@link #replay}: the future fails with the exceptions listed there. */
  public CompletableFuture<ReplayDeadLettersResponse> replayAsync(
      ReplayDeadLettersRequest request) {
    Objects.requireNonNull(request, "request");
    Deadline d = client.newDeadline();
    return client.call(
        ch -> DeadLetterServiceGrpc.newFutureStub(ch).withDeadline(d).replayDeadLetters(request));
  }

  /** Async {@link #purge}: the future fails with the exceptions listed there. */
  public CompletableFuture<PurgeDeadLettersResponse> purgeAsync(PurgeDeadLettersRequest request) {
    Objects.requireNonNull(request, "request");
    Deadline d = client.newDeadline();
    return client.call(
        ch -> DeadLetterServiceGrpc.newFutureStub(ch).withDeadline(d).purgeDeadLetters(request));
  }
}
