package io.horae.server.trace;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SERVER span per public API call, named by its full method ({@code
 * horae.v1.JobService/CreateJob}), from the call's start to its close (a stream's included), with
 * the gRPC status code. A caller's {@code traceparent} metadata makes it a child of the caller's
 * span. Installed on the public server only when tracing is on. Only Horae's own services ({@code
 * horae.*}) are traced: health checks and reflection would bury them in probe noise.
 */
final class ApiSpans implements ServerInterceptor {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<Long> RPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");
  static final AttributeKey<String> NODE = AttributeKey.stringKey("horae.node");

  /** Full method names of the services traced. */
  static final String TRACED_PREFIX = "horae.";

  /**
   * Codes that mean the server failed (semantic conventions for gRPC server spans); the rest are
   * the caller's.
   */
  private static final Set<Status.Code> SERVER_ERRORS =
      EnumSet.of(
          Status.Code.UNKNOWN,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.UNIMPLEMENTED,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private static final TextMapGetter<Metadata> METADATA =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
          return carrier.keys();
        }

        @Override
        public String get(Metadata carrier, String key) {
          if (carrier == null || key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
            return null;
          }
          return carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
      };

  private final Tracer tracer;
  private final String nodeId;

  ApiSpans(Tracer tracer, String nodeId) {
    this.tracer = tracer;
    this.nodeId = nodeId;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    var method = call.getMethodDescriptor();
    if (!method.getFullMethodName().startsWith(TRACED_PREFIX)) {
      return next.startCall(call, headers);
    }
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, METADATA);
    Span span =
        tracer
            .spanBuilder(method.getFullMethodName())
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(RPC_SYSTEM, "grpc")
            .setAttribute(RPC_SERVICE, String.valueOf(method.getServiceName()))
            .setAttribute(RPC_METHOD, String.valueOf(method.getBareMethodName()))
            .setAttribute(NODE, nodeId)
            .startSpan();
    AtomicBoolean ended = new AtomicBoolean();
    ServerCall<Q, R> traced =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            end(span, ended, status);
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(traced, headers);
    } catch (RuntimeException e) {
      end(span, ended, Status.fromThrowable(e));
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        end(span, ended, Status.CANCELLED); // The client went away before the call closed.
        super.onCancel();
      }
    };
  }

  private static void end(Span span, AtomicBoolean ended, Status status) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    span.setAttribute(RPC_STATUS, status.getCode().value());
    if (SERVER_ERRORS.contains(status.getCode())) {
      span.setStatus(StatusCode.ERROR, status.getCode().name());
    }
    span.end();
  }
}
