package io.horae.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.statemachine.core.schedule.Violation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Statuses stay small whatever the input: a request with thousands of violations, or violations
 * that quote a huge value, must get a reply a default gRPC client accepts (8 KiB of trailers).
 * Found by ApiFuzzTest, where such replies failed the client's whole connection.
 */
class GrpcErrorsTest {
  @Test
  void anInvalidArgumentListsTenViolationsAndCountsTheRest() throws Exception {
    List<Violation> many = new ArrayList<>();
    for (int i = 0; i < 2557; i++) {
      many.add(
          new Violation(
              "ids[" + i + "]",
              "must be <namespace>/<job name>@<millis>, got '" + "\u6f22".repeat(5000) + "'"));
    }

    StatusRuntimeException e = GrpcErrors.toStatus(new ValidationException(many));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    String message = e.getStatus().getDescription();
    assertThat(message).startsWith("invalid request: ids[0]: must be").endsWith("; and 2547 more");
    assertThat(message.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(GrpcErrors.MESSAGE_BYTES_MAX);
    BadRequest details = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
    assertThat(details.getFieldViolationsList()).hasSize(GrpcErrors.VIOLATIONS_SHOWN_MAX);
    assertThat(details.getFieldViolations(9).getField()).isEqualTo("ids[9]");
    assertThat(details.getSerializedSize()).isLessThan(4096);
  }

  @Test
  void aFewShortViolationsAreListedWhole() throws Exception {
    StatusRuntimeException e =
        GrpcErrors.toStatus(
            new ValidationException(
                List.of(
                    new Violation("job.name", "is required"),
                    new Violation("job.target", "is required"))));

    assertThat(e.getStatus().getDescription())
        .isEqualTo("invalid request: job.name: is required; job.target: is required");
    assertThat(
            StatusProto.fromThrowable(e)
                .getDetails(0)
                .unpack(BadRequest.class)
                .getFieldViolationsCount())
        .isEqualTo(2);
  }

  @Test
  void cuttingKeepsWholeCharactersAndMarksTheCut() {
    String cut = GrpcErrors.cut("a" + "\uD83D\uDE00".repeat(100), 12);

    assertThat(cut).isEqualTo("a\uD83D\uDE00\uD83D\uDE00...");
    assertThat(GrpcErrors.cut("short", 12)).isEqualTo("short");
  }

  @Test
  void aMalformedRequestIsInvalidArgumentNamingTheMethodAndTheParsersReason() {
    Exception parse =
        new RuntimeException(
            "Invalid protobuf byte sequence",
            new com.google.protobuf.InvalidProtocolBufferException(
                "Protocol message had invalid UTF-8."));

    StatusRuntimeException e = GrpcErrors.malformed("horae.v1.JobService/CreateJob", parse);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .contains("horae.v1.JobService/CreateJob")
        .contains("invalid UTF-8");
  }
}
