package io.horae.server.api;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.horae.server.errors.GrpcErrors;
import java.io.InputStream;

/**
 * Answers a request whose bytes are not a message of the method's request type (random bytes, a
 * cut-off message, a string that is not UTF-8) with INVALID_ARGUMENT. gRPC parses requests before
 * any service code runs and answers a parse failure with UNKNOWN "Application error processing
 * RPC", which a client cannot tell from a server bug. A service wrapped here gets its requests as
 * bytes from the transport and parses them itself, with the same parser.
 *
 * <p>Interceptors that read the request (the auth check reads its namespaces) must therefore be
 * inside the wrapping: wrap {@code ServerInterceptors.intercept(service, auth)}, not a service on a
 * server whose global interceptors see requests. Interceptors that look only at headers still
 * refuse a call before its bytes are parsed.
 */
public final class MalformedRequests {
  private static final MethodDescriptor.Marshaller<InputStream> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          return stream;
        }
      };

  private MalformedRequests() {}

  /** {@code original} with every method taking raw bytes and refusing those that do not parse. */
  public static ServerServiceDefinition refused(ServerServiceDefinition original) {
    ServiceDescriptor descriptor = original.getServiceDescriptor();
    ServiceDescriptor.Builder wrappedDescriptor =
        ServiceDescriptor.newBuilder(descriptor.getName())
            .setSchemaDescriptor(descriptor.getSchemaDescriptor());
    java.util.List<ServerMethodDefinition<InputStream, InputStream>> wrapped =
        new java.util.ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : original.getMethods()) {
      ServerMethodDefinition<InputStream, InputStream> w = wrap(method);
      wrapped.add(w);
      wrappedDescriptor.addMethod(w.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder out =
        ServerServiceDefinition.builder(wrappedDescriptor.build());
    wrapped.forEach(out::addMethod);
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<InputStream, InputStream> wrap(
      ServerMethodDefinition<Q, R> definition) {
    MethodDescriptor<Q, R> method = definition.getMethodDescriptor();
    MethodDescriptor<InputStream, InputStream> raw = method.toBuilder(RAW, RAW).build();
    ServerCallHandler<Q, R> handler = definition.getServerCallHandler();
    return ServerMethodDefinition.create(
        raw,
        (call, headers) -> {
          Typed<Q, R> typed = new Typed<>(call, method);
          return listen(method, typed, handler.startCall(typed, headers));
        });
  }

  private static <Q> ServerCall.Listener<InputStream> listen(
      MethodDescriptor<Q, ?> method, Typed<Q, ?> call, ServerCall.Listener<Q> delegate) {
    return new ServerCall.Listener<>() {
      /** Set once the request was refused; the call's callbacks run one at a time. */
      private boolean refused;

      @Override
      public void onMessage(InputStream message) {
        if (refused || call.closed) {
          // Closed already (an interceptor refused the caller): the service never sees this
          // request.
          return;
        }
        Q request;
        try {
          request = method.parseRequest(message);
        } catch (RuntimeException e) {
          refused = true;
          StatusRuntimeException s = GrpcErrors.malformed(method.getFullMethodName(), e);
          call.close(s.getStatus(), s.getTrailers() == null ? new Metadata() : s.getTrailers());
          return;
        }
        delegate.onMessage(request);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          delegate.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          delegate.onReady();
        }
      }

      @Override
      public void onCancel() {
        delegate.onCancel();
      }

      @Override
      public void onComplete() {
        delegate.onComplete();
      }
    };
  }

  /**
   * The transport's call as the service sees it: typed responses, streamed with the method's own
   * marshaller.
   */
  private static final class Typed<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<InputStream, InputStream> call;
    private final MethodDescriptor<Q, R> method;

    /**
     * Whether close was called; set and read on the call's serialized callbacks and the service's
     * reply.
     */
    private volatile boolean closed;

    Typed(ServerCall<InputStream, InputStream> call, MethodDescriptor<Q, R> method) {
      this.call = call;
      this.method = method;
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      call.sendHeaders(headers);
    }

    @Override
    public void sendMessage(R message) {
      call.sendMessage(method.streamResponse(message));
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void close(Status status, Metadata trailers) {
      closed = true;
      call.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }
}
