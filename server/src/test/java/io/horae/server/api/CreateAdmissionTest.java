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
    a.learned("n2", 2_300, java.util.Map.of());

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
    a.learned("n2", 1_500, java.util.Map.of()); // half of the calls are shed

    draw = 0.49;
    assertThatThrownBy(a::admit).isInstanceOf(ClusterBehindException.class);
    draw = 0.51;
    a.admit();
  }

  @Test
  void anAckOlderThanALeaseNoLongerSheds() {
    CreateAdmission a = admission(Duration.ofSeconds(2));
    a.learned("n2", 10_000, java.util.Map.of("http://slow.example:80", 10_000L));
    nanos.addAndGet(Duration.ofMillis(1_251).toNanos());

    a.admit();
    a.admitTarget("http://slow.example/hook");
    assertThat(a.behindMs()).isZero();
  }

  @Test
  void onlyCreatesForATargetHostWhoseExecutionsWaitForItsPermitsAreShedForIt() {
    CreateAdmission a = admission(Duration.ofSeconds(2));
    a.learned("", 0, java.util.Map.of("http://slow.example:80", 3_000L));

    a.admit();
    a.admitTarget("http://fast.example/hook");
    a.admitTarget("https://slow.example/hook"); // another scheme and port: another host
    a.admitTarget("not a url");
    assertThatThrownBy(() -> a.admitTarget("http://slow.example/other?x=1"))
        .isInstanceOfSatisfying(
            ClusterBehindException.class,
            e -> {
              assertThat(e.host()).isEqualTo("http://slow.example:80");
              assertThat(e.nodeId()).isNull();
              assertThat(e.getMessage())
                  .contains("http://slow.example:80", "3000 ms", "exec.maxRequestsPerHost");
            });
  }
}
