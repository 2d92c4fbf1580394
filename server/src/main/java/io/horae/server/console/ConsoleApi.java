package io.horae.server.console;

import com.google.protobuf.Message;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.DeadLetterServiceGrpc;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.JobState;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListNamespacesRequest;
import io.horae.api.v1.ListView;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The console's read-only JSON endpoints, {@code GET /console/api/<name>?...}: each is one call of
 * the public gRPC API (the same the CLI makes) with the browser's Authorization header passed on as
 * the call's metadata, so the API's auth decides what the caller may read. A failed call comes back
 * as its {@link io.grpc.StatusRuntimeException}, which {@link ConsoleHandler} turns into an HTTP
 * status; so does a query parameter that does not parse (INVALID_ARGUMENT).
 *
 * <p>Every list is one page of at most {@link #PAGE_SIZE_MAX} items, with the API's page token for
 * the next; every call has a deadline.
 */
final class ConsoleApi {
  /** Most items one console list asks for (the API clamps further to its own maximum). */
  static final int PAGE_SIZE_MAX = 100;

  static final int PAGE_SIZE_DEFAULT = 50;

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Channel channel;
  private final Duration callTimeout;

  ConsoleApi(Channel channel, Duration callTimeout) {
    this.channel = channel;
    this.callTimeout = callTimeout;
  }

  /** The reply of endpoint {@code name}, or empty when there is no such endpoint. */
  Optional<Message> answer(String name, Query q, String authorization) {
    Message reply =
        switch (name) {
          case "cluster" ->
              stub(ClusterServiceGrpc::newBlockingStub, authorization)
                  .getStatus(GetStatusRequest.getDefaultInstance());
          case "namespaces" ->
              stub(JobServiceGrpc::newBlockingStub, authorization)
                  .listNamespaces(
                      ListNamespacesRequest.newBuilder()
                          .setPageSize(PAGE_SIZE_MAX)
                          .setPageToken(q.get("pageToken"))
                          .build());
          case "jobs" -> stub(JobServiceGrpc::newBlockingStub, authorization).listJobs(listJobs(q));
          case "job" ->
              stub(JobServiceGrpc::newBlockingStub, authorization)
                  .getJob(
                      GetJobRequest.newBuilder()
                          .setNamespace(q.get("namespace"))
                          .setName(required(q, "name"))
                          .build());
          case "executions" ->
              stub(ExecutionServiceGrpc::newBlockingStub, authorization)
                  .listExecutions(listExecutions(q));
          case "execution" ->
              stub(ExecutionServiceGrpc::newBlockingStub, authorization)
                  .getExecution(GetExecutionRequest.newBuilder().setId(required(q, "id")).build());
          case "dlq" ->
              stub(DeadLetterServiceGrpc::newBlockingStub, authorization)
                  .listDeadLetters(
                      ListDeadLettersRequest.newBuilder()
                          .setFilter(
                              DeadLetterFilter.newBuilder()
                                  .setNamespace(q.get("namespace"))
                                  .setJobName(q.get("job")))
                          .setPageSize(q.intIn("pageSize", PAGE_SIZE_MAX, PAGE_SIZE_DEFAULT))
                          .setPageToken(q.get("pageToken"))
                          .build());
          default -> null;
        };
    return Optional.ofNullable(reply);
  }

  private static ListJobsRequest listJobs(Query q) {
    ListJobsRequest.Builder b =
        ListJobsRequest.newBuilder()
            .setNamespace(q.get("namespace"))
            .setLabelSelector(q.get("selector"))
            .setNamePrefix(q.get("prefix"))
            .setPageSize(q.intIn("pageSize", PAGE_SIZE_MAX, PAGE_SIZE_DEFAULT))
            .setPageToken(q.get("pageToken"));
    for (String state : q.list("state")) {
      b.addStates(enumValue(JobState::valueOf, "JOB_STATE_", "state", state));
    }
    return b.build();
  }

  private static ListExecutionsRequest listExecutions(Query q) {
    ListExecutionsRequest.Builder b =
        ListExecutionsRequest.newBuilder()
            .setNamespace(q.get("namespace"))
            .setJobName(q.get("job"))
            .setPageSize(q.intIn("pageSize", PAGE_SIZE_MAX, PAGE_SIZE_DEFAULT))
            .setPageToken(q.get("pageToken"))
            // With attempts: the job page shows each execution's attempts.
            .setView(ListView.LIST_VIEW_FULL);
    for (String status : q.list("status")) {
      b.addStatuses(enumValue(ExecutionStatus::valueOf, "EXECUTION_STATUS_", "status", status));
    }
    return b.build();
  }

  /** {@code ACTIVE} (or {@code active}, or the full {@code JOB_STATE_ACTIVE}) as the enum value. */
  private static <E extends Enum<E>> E enumValue(
      Function<String, E> valueOf, String prefix, String param, String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    try {
      E value = valueOf.apply(upper.startsWith(prefix) ? upper : prefix + upper);
      if (value.name().endsWith("_UNSPECIFIED")) {
        throw new IllegalArgumentException(text);
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("query parameter " + param + "=" + text + " names no " + param)
          .asRuntimeException();
    }
  }

  private static String required(Query q, String name) {
    String v = q.get(name);
    if (v.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("query parameter " + name + " is required")
          .asRuntimeException();
    }
    return v;
  }

  /**
   * A stub on the in-process channel that carries the caller's Authorization header and the
   * deadline.
   */
  <S extends AbstractStub<S>> S stub(Function<Channel, S> make, String authorization) {
    return withAuthorization(make.apply(channel), authorization)
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The stub as is without a header (the API then answers UNAUTHENTICATED, or serves when auth is
   * off).
   */
  static <S extends AbstractStub<S>> S withAuthorization(S stub, String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return stub;
    }
    if (!authorization.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw Status.UNAUTHENTICATED
          .withDescription("the authorization header must be 'Bearer <token>' in printable ASCII")
          .asRuntimeException();
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, authorization);
    ClientInterceptor attach = MetadataUtils.newAttachHeadersInterceptor(headers);
    return stub.withInterceptors(attach);
  }

  Channel channel() {
    return channel;
  }
}
