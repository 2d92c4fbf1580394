package io.horae.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.horae.internal.v1.RejectCode;
import io.horae.server.errors.GrpcErrors;
import io.horae.server.errors.QuotaExceededException;
import io.horae.server.errors.RejectedException;
import io.horae.server.errors.ValidationException;
import io.horae.server.raft.OverloadedException;
import io.horae.statemachine.core.schedule.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reason tag of refused creates: ErrorInfo's reason when the status has one, else the code. */
class CreateRefusalsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CreateRefusals refusals = new CreateRefusals(registry);

  @Test
  void aRefusalWithErrorInfoCountsUnderItsReasonInLowerCase() {
    refusals.refused(
        GrpcErrors.toStatus(
            new QuotaExceededException(
                "ns", "createsPerSecond", "too fast", Duration.ofSeconds(1))));
    refusals.refused(GrpcErrors.toStatus(new OverloadedException("lane full")));
    refusals.refused(GrpcErrors.toStatus(new OverloadedException("lane full")));

    assertThat(count("quota_rate")).isEqualTo(1);
    assertThat(count("overloaded")).isEqualTo(2);
  }

  @Test
  void aRefusalWithoutErrorInfoCountsUnderItsCode() {
    refusals.refused(
        GrpcErrors.toStatus(
            new ValidationException(List.of(new Violation("job.name", "must not be empty")))));
    refusals.refused(
        GrpcErrors.toStatus(
            new RejectedException(
                RejectCode.REJECT_ALREADY_EXISTS, "job default/a already exists")));
    refusals.refused(Status.CANCELLED.asRuntimeException());

    assertThat(count("invalid_argument")).isEqualTo(1);
    assertThat(count("already_exists")).isEqualTo(1);
    assertThat(count("cancelled")).isEqualTo(1);
  }

  @Test
  void theExpectedReasonsAreThereAtZeroBeforeAnyRefusal() {
    assertThat(registry.find(CreateRefusals.METRIC).counters())
        .hasSize(CreateRefusals.REASONS_EXPECTED.size())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  private double count(String reason) {
    return registry.get(CreateRefusals.METRIC).tag("reason", reason).counter().count();
  }
}
