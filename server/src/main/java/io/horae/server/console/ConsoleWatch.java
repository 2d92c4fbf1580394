package io.horae.server.console;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.WatchExecutionsRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /console/api/watch?namespace=&job=}: the API's WatchExecutions stream as server-sent
 * events, one {@code data: <execution event as JSON>} per change. The stream lasts at most {@code
 * streamFor} (under the admin port's request deadline, which would cut it otherwise), then ends
 * normally; the page reads it with fetch (EventSource cannot send the Authorization header) and
 * opens the next one. A change applied between two streams is not shown: the live page is a view of
 * what happens, the lists are the record.
 *
 * <p>A refusal before the first event (no token, no read grant, too many watch streams) is answered
 * as a plain error status, like the other endpoints; a browser that goes away cancels the call.
 */
final class ConsoleWatch {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final ConsoleApi api;
  private final Duration streamFor;

  ConsoleWatch(ConsoleApi api, Duration streamFor) {
    this.api = api;
    this.streamFor = streamFor;
  }

  /**
   * Streams events into the exchange until the deadline, the API ends the stream, or the client
   * goes away.
   *
   * @throws StatusRuntimeException when the API refuses the stream before its first event
   * @throws IOException when the client went away
   */
  void stream(HttpExchange exchange, Query q, String authorization) throws IOException {
    WatchExecutionsRequest request =
        WatchExecutionsRequest.newBuilder()
            .setNamespace(q.get("namespace"))
            .setJobName(q.get("job"))
            .build();
    Context.CancellableContext call = Context.current().withCancellation();
    Context previous = call.attach();
    try {
      ExecutionServiceGrpc.ExecutionServiceBlockingStub stub =
          ConsoleApi.withAuthorization(
                  ExecutionServiceGrpc.newBlockingStub(api.channel()), authorization)
              .withDeadlineAfter(streamFor.toMillis(), TimeUnit.MILLISECONDS);
      Iterator<ExecutionEvent> events = stub.watchExecutions(request);
      // The first event (WATCHING) or the refusal: only then are the headers sent.
      boolean any = events.hasNext();
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        while (any) {
          out.write(
              ("data: " + JSON.print(events.next()) + "\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          any = hasMore(events);
        }
      }
    } finally {
      call.detach(previous);
      call.cancel(null);
    }
  }

  /** Whether another event follows; false when the stream ended, at its deadline or otherwise. */
  private static boolean hasMore(Iterator<ExecutionEvent> events) {
    try {
      return events.hasNext();
    } catch (StatusRuntimeException e) {
      // DEADLINE_EXCEEDED is the normal end; any other end (a watcher that fell behind, a node
      // stopping) also just ends this stream, and the page opens the next.
      if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
        ConsoleHandler.log.debug("console watch ended status={}", e.getStatus());
      }
      return false;
    }
  }
}
