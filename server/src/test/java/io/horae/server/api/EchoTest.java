package io.horae.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.AddNodeRequest;
import io.horae.internal.v1.RejectCode;
import io.horae.server.errors.Echo;
import io.horae.server.errors.GrpcErrors;
import io.horae.server.errors.RejectedException;
import io.horae.server.errors.ValidationException;
import org.junit.jupiter.api.Test;

/**
 * Errors that repeat caller input stay small: each echoed value is cut at {@link
 * Echo#VALUE_CHARS_MAX} characters with the size of the rest, and a whole message at {@link
 * Echo#MESSAGE_CHARS_MAX}. The checks go through the real validators and {@link GrpcErrors}, as a
 * client would see them.
 */
class EchoTest {
  @Test
  void aShortValueIsShownAsIs() {
    assertThat(Echo.value("job-1")).isEqualTo("job-1");
    assertThat(Echo.value("x".repeat(Echo.VALUE_CHARS_MAX)))
        .isEqualTo("x".repeat(Echo.VALUE_CHARS_MAX));
  }

  @Test
  void aLongValueIsCutWithTheSizeOfTheRestInBytes() {
    String echoed = Echo.value("a".repeat(Echo.VALUE_CHARS_MAX) + "é".repeat(10));

    assertThat(echoed).isEqualTo("a".repeat(Echo.VALUE_CHARS_MAX) + "…(20 more bytes)");
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars, four UTF-8 bytes
    String echoed = Echo.capped(emoji.repeat(3), 2);

    assertThat(echoed).isEqualTo(emoji + emoji + "…(4 more bytes)");
  }

  @Test
  void controlCharactersAreEscapedSoAnEchoCannotForgeALine() {
    assertThat(Echo.value("a\nINFO forged\r\u0000")).isEqualTo("a\\u000aINFO forged\\u000d\\u0000");
  }

  @Test
  void aHugeBadNodeIdComesBackCutInTheFieldViolationAndTheMessage() {
    String huge = "X".repeat(100_000);
    AddNodeRequest request =
        AddNodeRequest.newBuilder()
            .setId(huge)
            .setRaftAddress("127.0.0.1:1")
            .setApiAddress("127.0.0.1:2")
            .setInternalAddress("127.0.0.1:3")
            .build();

    assertThatThrownBy(() -> MembershipValidator.member(request))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              StatusRuntimeException status = GrpcErrors.toStatus(e);
              assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(status.getStatus().getDescription())
                  .contains(
                      "'"
                          + "X".repeat(Echo.VALUE_CHARS_MAX)
                          + "…("
                          + (100_000 - Echo.VALUE_CHARS_MAX)
                          + " more bytes)'")
                  .hasSizeLessThan(400);
              BadRequest br = badRequest(status);
              assertThat(br.getFieldViolations(0).getField()).isEqualTo("id");
              assertThat(br.getFieldViolations(0).getDescription())
                  .hasSizeLessThan(300)
                  .contains("more bytes");
            });
  }

  @Test
  void aLongBadLabelValueIsCutInItsViolation() {
    java.util.List<io.horae.statemachine.core.schedule.Violation> v = new java.util.ArrayList<>();
    Labels.check(v, "job.labels", java.util.Map.of("ok", "b a d" + "v".repeat(1_000)));

    assertThat(v).hasSize(1);
    assertThat(v.get(0).description())
        .hasSizeLessThan(400)
        .contains("…(" + (1_005 - Echo.VALUE_CHARS_MAX) + " more bytes)");
  }

  @Test
  void aRejectMessageBuiltElsewhereIsCappedAsAWhole() {
    StatusRuntimeException status =
        GrpcErrors.toStatus(
            new RejectedException(
                RejectCode.REJECT_NOT_FOUND, "job " + "n".repeat(50_000) + " not found"));

    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    // Echo caps it at MESSAGE_CHARS_MAX, then GrpcErrors' byte cap for a whole status message.
    assertThat(status.getStatus().getDescription()).startsWith("job nnn").endsWith("...");
    assertThat(
            status
                .getStatus()
                .getDescription()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                .length)
        .isLessThanOrEqualTo(Math.min(GrpcErrors.MESSAGE_BYTES_MAX, Echo.MESSAGE_CHARS_MAX));
  }

  private static BadRequest badRequest(StatusRuntimeException status) {
    try {
      return StatusProto.fromThrowable(status).getDetails(0).unpack(BadRequest.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
