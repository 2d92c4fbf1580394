package io.horae.server.exec;

import io.horae.internal.v1.AttemptResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;

/**
 * One attempt's span, from the moment the executor hands the request to the HTTP client to the
 * attempt's end, which says how it went ({@code horae.outcome}): {@code succeeded}, {@code
 * retrying} (a retry is scheduled), {@code dead} (to the DLQ), {@code fenced} (stopped at the last
 * fence check, nothing sent; the attempt is made again later) or {@code cancelled}.
 */
final class AttemptSpan {
  static final AttributeKey<String> NODE = AttributeKey.stringKey("horae.node");
  static final AttributeKey<Long> SHARD = AttributeKey.longKey("horae.shard");
  static final AttributeKey<String> EXECUTION_ID = AttributeKey.stringKey("horae.execution_id");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("horae.attempt");
  static final AttributeKey<String> JOB = AttributeKey.stringKey("horae.job");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("horae.outcome");
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Span span;
  private final SpanContext context;

  AttemptSpan(Span span) {
    this.span = span;
    this.context = span.getSpanContext();
  }

  String spanId() {
    return context.getSpanId();
  }

  /** The traceparent header that makes this span the parent of whatever the target traces. */
  String traceparent() {
    return TraceContext.header(
        context.getTraceId(), context.getSpanId(), context.getTraceFlags().asHex());
  }

  /** The attempt was answered (or failed) and its result is decided. */
  void end(Outcome o, AttemptResult result) {
    if (o.httpStatus() > 0) {
      span.setAttribute(HTTP_STATUS, o.httpStatus());
    }
    if (o.succeeded()) {
      span.setAttribute(OUTCOME, "succeeded");
    } else {
      span.setAttribute(OUTCOME, result.getRetryAtMs() > 0 ? "retrying" : "dead");
      span.setAttribute(
          ERROR_TYPE, o.errorClass().isEmpty() ? Integer.toString(o.httpStatus()) : o.errorClass());
      span.setStatus(StatusCode.ERROR, o.error());
    }
    span.end();
  }

  /**
   * The attempt records no result: stopped at the last fence check, or its execution was cancelled.
   */
  void endWithoutResult(String outcome) {
    span.setAttribute(OUTCOME, outcome);
    span.end();
  }
}
