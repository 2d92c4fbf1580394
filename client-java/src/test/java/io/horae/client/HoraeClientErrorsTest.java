package io.horae.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How server errors reach the caller: the status code picks the exception type, and the google.rpc
 * details (BadRequest, RetryInfo, ErrorInfo) sent in the standard trailer are parsed into its
 * fields. The fake node builds errors the way the real one does, with StatusProto.
 */
class HoraeClientErrorsTest {
  private final FakeHoraeServer server = FakeHoraeServer.start();
  private final HoraeClient client =
      HoraeClient.builder().endpoints(server.endpoint()).deadline(Duration.ofSeconds(5)).build();

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  private static StatusRuntimeException error(Code code, String message, Any... details) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    for (Any detail : details) {
      status.addDetails(detail);
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  private static BadRequest.FieldViolation violation(String field, String description) {
    return BadRequest.FieldViolation.newBuilder()
        .setField(field)
        .setDescription(description)
        .build();
  }

  @Test
  void invalidArgumentCarriesTheFieldViolationsAndListsThemInOneLine() {
    server.onCreate =
        r -> {
          throw error(
              Code.INVALID_ARGUMENT,
              "invalid job",
              Any.pack(
                  BadRequest.newBuilder()
                      .addFieldViolations(violation("schedule.cron.expression", "'x' is not cron"))
                      .addFieldViolations(violation("target.url", "must be http or https"))
                      .build()));
        };

    assertThatThrownBy(() -> client.create(HoraeClientTest.job("a")))
        .asInstanceOf(type(InvalidArgumentException.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.violations())
                  .containsExactly(
                      new FieldViolation("schedule.cron.expression", "'x' is not cron"),
                      new FieldViolation("target.url", "must be http or https"));
              assertThat(e.getMessage())
                  .isEqualTo(
                      "schedule.cron.expression: 'x' is not cron; target.url: must be http or"
                          + " https");
            });
  }

  @Test
  void invalidArgumentWithoutDetailsUsesTheStatusText() {
    server.onGet =
        r -> {
          throw Status.INVALID_ARGUMENT.withDescription("bad name\nreally").asRuntimeException();
        };

    assertThatThrownBy(() -> client.get("", "a"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("bad name really");
  }

  @Test
  void alreadyExistsMapsToAlreadyExistsException() {
    server.onCreate =
        r -> {
          throw Status.ALREADY_EXISTS.withDescription("job default/a exists").asRuntimeException();
        };

    assertThatThrownBy(() -> client.create(HoraeClientTest.job("a")))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("job default/a exists");
  }

  @Test
  void notFoundMapsToNotFoundException() {
    server.onDelete =
        r -> {
          throw Status.NOT_FOUND.withDescription("no job default/a").asRuntimeException();
        };

    assertThatThrownBy(() -> client.delete("", "a")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void resourceExhaustedCarriesRetryDelayAndReason() {
    server.onCreate =
        r -> {
          throw error(
              Code.RESOURCE_EXHAUSTED,
              "namespace quota reached",
              Any.pack(
                  RetryInfo.newBuilder()
                      .setRetryDelay(
                          com.google.protobuf.Duration.newBuilder()
                              .setSeconds(2)
                              .setNanos(500_000_000))
                      .build()),
              Any.pack(
                  ErrorInfo.newBuilder()
                      .setReason("QUOTA_CREATE_RATE")
                      .setDomain("horae")
                      .build()));
        };

    assertThatThrownBy(() -> client.create(HoraeClientTest.job("a")))
        .asInstanceOf(type(ResourceExhaustedException.class))
        .satisfies(
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofMillis(2500));
              assertThat(e.reason()).contains("QUOTA_CREATE_RATE");
              assertThat(e.getMessage()).isEqualTo("namespace quota reached");
            });
  }

  @Test
  void otherCodesArePlainHoraeExceptionsWithTheirCode() {
    server.onGet =
        r -> {
          throw Status.FAILED_PRECONDITION.withDescription("version mismatch").asRuntimeException();
        };

    assertThatThrownBy(() -> client.get("", "a"))
        .isExactlyInstanceOf(HoraeException.class)
        .satisfies(
            e ->
                assertThat(((HoraeException) e).code()).isEqualTo(Status.Code.FAILED_PRECONDITION));
  }

  @Test
  void aCallThatOutlivesTheDeadlineFailsWithDeadlineExceeded() {
    server.onGet = r -> null; // never answers
    try (HoraeClient quick =
        HoraeClient.builder()
            .endpoints(server.endpoint())
            .deadline(Duration.ofMillis(200))
            .build()) {
      assertThatThrownBy(() -> quick.get("", "a"))
          .isInstanceOf(HoraeException.class)
          .satisfies(
              e ->
                  assertThat(((HoraeException) e).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }
  }

  @Test
  void asyncCallsFailWithTheTypedException() {
    server.onGet =
        r -> {
          throw Status.NOT_FOUND.withDescription("no job").asRuntimeException();
        };

    assertThatThrownBy(() -> client.getAsync("", "a").join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(NotFoundException.class)
        .hasMessage("no job");
  }
}
