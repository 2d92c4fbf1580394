package io.horae.statemachine.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Every;
import io.horae.api.v1.MisfirePolicy;
import io.horae.api.v1.Schedule;
import org.junit.jupiter.api.Test;

/**
 * Each misfire policy after a ten-minute outage of an every-minute job whose occurrence at T
 * finished late: what fires next and what is recorded as skipped.
 */
class MisfireTest {
  private static final long T = 1_800_000_000_000L;
  private static final long MINUTE = 60_000;
  private static final long GRACE = MINUTE;
  private static final long NOW = T + 10 * MINUTE + 5_000;
  private static final Schedule EVERY_MINUTE =
      Schedule.newBuilder()
          .setEvery(Every.newBuilder().setIntervalMs(MINUTE).setAnchorMs(T))
          .build();

  @Test
  void fireOnceFiresTheLatestMissedOccurrenceAndSkipsTheOthers() {
    Misfire.Next next =
        Misfire.next(EVERY_MINUTE, T, 1, NOW, GRACE, MisfirePolicy.MISFIRE_POLICY_FIRE_ONCE, 0);

    assertThat(next)
        .isEqualTo(new Misfire.Next(T + 10 * MINUTE, T + MINUTE, T + 9 * MINUTE, 9, false));
    assertThat(
            Misfire.next(
                EVERY_MINUTE, T, 1, NOW, GRACE, MisfirePolicy.MISFIRE_POLICY_UNSPECIFIED, 0))
        .as("the default")
        .isEqualTo(next);
    assertThat(Misfire.reason(next, MisfirePolicy.MISFIRE_POLICY_UNSPECIFIED, GRACE))
        .isEqualTo(
            "misfire policy FIRE_ONCE: 9 occurrences from 2027-01-15T08:01:00Z to 2027-01-15T08:09:00Z missed by more than the grace (PT1M)"
                + " and not fired; the next one fires at 2027-01-15T08:10:00Z");
  }

  @Test
  void skipFiresNothingMissedAndGoesOnAfterNow() {
    Misfire.Next next =
        Misfire.next(EVERY_MINUTE, T, 1, NOW, GRACE, MisfirePolicy.MISFIRE_POLICY_SKIP, 0);

    assertThat(next)
        .isEqualTo(new Misfire.Next(T + 11 * MINUTE, T + MINUTE, T + 10 * MINUTE, 10, false));
  }

  @Test
  void fireAllFiresEveryMissedOccurrenceUpToItsMaximumTheLatestOnes() {
    assertThat(
            Misfire.next(EVERY_MINUTE, T, 1, NOW, GRACE, MisfirePolicy.MISFIRE_POLICY_FIRE_ALL, 3))
        .isEqualTo(new Misfire.Next(T + 8 * MINUTE, T + MINUTE, T + 7 * MINUTE, 7, false));
    assertThat(
            Misfire.next(EVERY_MINUTE, T, 1, NOW, GRACE, MisfirePolicy.MISFIRE_POLICY_FIRE_ALL, 0))
        .as("the default maximum, 100, covers all ten")
        .isEqualTo(new Misfire.Next(T + MINUTE, 0, 0, 0, false));
  }

  @Test
  void anOccurrenceLateByLessThanTheGraceIsNotMissedUnderAnyPolicy() {
    long now = T + MINUTE + 30_000;
    for (MisfirePolicy p :
        new MisfirePolicy[] {
          MisfirePolicy.MISFIRE_POLICY_FIRE_ONCE,
          MisfirePolicy.MISFIRE_POLICY_FIRE_ALL,
          MisfirePolicy.MISFIRE_POLICY_SKIP
        }) {
      assertThat(Misfire.next(EVERY_MINUTE, T, 1, now, GRACE, p, 0))
          .as(p.name())
          .isEqualTo(new Misfire.Next(T + MINUTE, 0, 0, 0, false));
    }
  }

  @Test
  void skipAfterTheScheduleEndedDuringTheOutageEndsItAndStillRecordsWhatWasMissed() {
    Schedule ending = EVERY_MINUTE.toBuilder().setEndAtMs(T + 5 * MINUTE).build();

    Misfire.Next next =
        Misfire.next(ending, T, 1, NOW, GRACE, MisfirePolicy.MISFIRE_POLICY_SKIP, 0);

    assertThat(next).isEqualTo(new Misfire.Next(0, T + MINUTE, T + 5 * MINUTE, 5, false));
    assertThat(Misfire.reason(next, MisfirePolicy.MISFIRE_POLICY_SKIP, GRACE))
        .endsWith("the schedule has ended");
  }
}
