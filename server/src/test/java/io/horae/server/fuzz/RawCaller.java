package io.horae.server.fuzz;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls any method with any bytes as its request: a raw {@link ClientCall} whose marshallers pass
 * bytes through, so the client sends what a hostile or broken client would and the server alone
 * decides what the bytes mean. A server-streaming call counts as answered once its first message
 * arrives; it is then cancelled.
 */
public final class RawCaller {
  /**
   * One reply: the status the call closed with, the first response message (null if none), the
   * trailers.
   */
  public record Outcome(Status status, byte[] response, Metadata trailers) {
    /**
     * Whether the call was answered: OK, or a stream that delivered a message before we cancelled
     * it.
     */
    public boolean answered() {
      return status.isOk() || response != null;
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private RawCaller() {}

  public static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
    return method.toBuilder(BYTES, BYTES).build();
  }

  public static CompletableFuture<Outcome> call(
      Channel channel, MethodDescriptor<byte[], byte[]> method, byte[] request, Duration deadline) {
    CompletableFuture<Outcome> out = new CompletableFuture<>();
    ClientCall<byte[], byte[]> call =
        channel.newCall(
            method,
            CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
    boolean streaming = method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING;
    call.start(
        new ClientCall.Listener<>() {
          /** The first message; written and read on the call's serialized callback executor. */
          private byte[] first;

          @Override
          public void onMessage(byte[] message) {
            if (first == null) {
              first = message;
            }
            if (streaming) {
              call.cancel("fuzz: the stream answered", null);
            }
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            out.complete(new Outcome(status, first, trailers));
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(request);
    call.halfClose();
    return out;
  }
}
