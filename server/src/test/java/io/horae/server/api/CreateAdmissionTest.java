package io.horae.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.server.errors.ClusterBehindException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the edge sheds creates, from the leader's word on the owner furthest behind. */
class CreateAdmissionTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private double draw = 0.5;

  private CreateAdmission admission(Duration lateness) {
    return new CreateAdmission(
        lateness, Duration.ofMillis(1_250), nanos::get, () -> draw, new SimpleMeterRegistry());
  }

  @Test
  void noCreateIsShedUpToHalfTheLatenessThenAGrowingShareAndAllFromTheLatenessOn() {
    assertThat(CreateAdmission.shedShare(0, 2_000)).isZero();
    assertThat(CreateAdmission.shedShare(1_000, 2_000)).isZero();
    assertThat(CreateAdmission.shedShare(1_500, 2_000)).isEqualTo(0.5);
    assertThat(CreateAdmission.shedShare(2_000, 2_000)).isEqualTo(1);
    assertThat(CreateAdmission.shedShare(60_000, 2_000)).isEqualTo(1);
    assertThat(CreateAdmission.shedShare(60_000, 0)).as("0 turns shedding off").isZero();
  }

  @Test
  void aShedCreateNamesTheNodeBehindAndByHowMuch() {
    CreateAdmission a = admission(Duration.ofSeconds(2));
    a.admit();
    a.learned("n2", 2_300);

    assertThatThrownBy(a::admit)
        .isInstanceOfSatisfying(
            ClusterBehindException.class,
            e -> {
              assertThat(e.nodeId()).isEqualTo("n2");
              assertThat(e.behindMs()).isEqualTo(2_300);
              assertThat(e.getMessage()).contains("n2", "2300 ms", "api.admissionLateness");
            });
  }

  @Test
  void onTheRampADrawDecidesEachCall() {
    CreateAdmission a = admission(Duration.ofSeconds(2));
    a.learned("n2", 1_500); // half of the calls are shed

    draw = 0.49;
    assertThatThrownBy(a::admit).isInstanceOf(ClusterBehindException.class);
    draw = 0.51;
    a.admit();
  }

  @Test
  void anAckOlderThanALeaseNoLongerSheds() {
    CreateAdmission a = admission(Duration.ofSeconds(2));
    a.learned("n2", 10_000);
    nanos.addAndGet(Duration.ofMillis(1_251).toNanos());

    a.admit();
    assertThat(a.behindMs()).isZero();
  }
}
