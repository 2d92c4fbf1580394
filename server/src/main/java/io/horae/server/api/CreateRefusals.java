package io.horae.server.api;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.server.errors.GrpcErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;

/**
 * Counts job creates this node refused, as {@code horae.jobs.create.refused{reason}}: the reason is
 * the status's ErrorInfo reason (QUOTA_RATE, DISK_FULL, OVERLOADED, ...) or, without one, its code
 * (INVALID_ARGUMENT, ALREADY_EXISTS), lower case. Both come from fixed sets in {@link GrpcErrors},
 * so the tag stays bounded; nothing from the request is a tag. An item of a CreateJobs counts on
 * its own, as does a whole call refused before its items.
 */
final class CreateRefusals {
  static final String METRIC = "horae.jobs.create.refused";

  /**
   * Reasons registered at zero from the start, so that rates and alerts see them before the first
   * refusal.
   */
  static final List<String> REASONS_EXPECTED =
      List.of(
          "invalid_argument",
          "already_exists",
          "quota",
          "quota_rate",
          "disk_full",
          "overloaded",
          "unavailable",
          "timeout");

  private final MeterRegistry registry;

  CreateRefusals(MeterRegistry registry) {
    this.registry = registry;
    REASONS_EXPECTED.forEach(this::counter);
  }

  /** Counts the refusal that {@code status} answers. */
  void refused(StatusRuntimeException status) {
    counter(reason(status)).increment();
  }

  /** An observer that counts the call's error, if it ends with one, and passes everything on. */
  <T> io.grpc.stub.StreamObserver<T> counting(io.grpc.stub.StreamObserver<T> observer) {
    return new io.grpc.stub.StreamObserver<>() {
      @Override
      public void onNext(T value) {
        observer.onNext(value);
      }

      @Override
      public void onError(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
          refused(s);
        }
        observer.onError(t);
      }

      @Override
      public void onCompleted() {
        observer.onCompleted();
      }
    };
  }

  static String reason(StatusRuntimeException status) {
    com.google.rpc.Status proto = StatusProto.fromThrowable(status);
    if (proto != null) {
      for (Any detail : proto.getDetailsList()) {
        if (detail.is(ErrorInfo.class)) {
          try {
            return detail.unpack(ErrorInfo.class).getReason().toLowerCase(Locale.ROOT);
          } catch (InvalidProtocolBufferException e) {
            break; // Built by GrpcErrors, so it parses; if not, the code still says enough.
          }
        }
      }
    }
    return status.getStatus().getCode().name().toLowerCase(Locale.ROOT);
  }

  private Counter counter(String reason) {
    return Counter.builder(METRIC)
        .description("job creates this node refused, by reason (ErrorInfo reason or gRPC code)")
        .tag("reason", reason)
        .register(registry);
  }
}
