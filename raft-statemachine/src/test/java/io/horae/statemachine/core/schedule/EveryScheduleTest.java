package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.HOUR_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.MINUTE_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.SECOND_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.every;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Schedule;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: "every" schedules fire exactly on the grid anchor + k * interval, never drift with delivery
 * times, and coalesce missed occurrences into one. The property tests run over seeded random
 * anchors, intervals and "now" values (reproducible; the seed is in the case name), checking each
 * result against the grid definition directly.
 */
class EveryScheduleTest {

  private static final long SEED = 20261125L;
  private static final int CASES = 200;
  private static final long GRACE_MS = 30 * SECOND_MS;
  private static final long NOW_MS = ms("2026-11-25T10:00:00Z");

  /** A seeded random grid and a "now" within a year either side of its anchor. */
  record GridCase(long anchorMs, long intervalMs, long nowMs) {
    Schedule schedule() {
      return every(intervalMs, anchorMs);
    }

    boolean onGrid(long timeMs) {
      return timeMs >= anchorMs && Math.floorMod(timeMs - anchorMs, intervalMs) == 0;
    }
  }

  static Stream<GridCase> gridCases() {
    Random random = new Random(SEED);
    long yearMs = 365 * 24 * HOUR_MS;
    return IntStream.range(0, CASES)
        .mapToObj(
            i -> {
              long anchorMs = NOW_MS + random.nextLong(-yearMs, yearMs);
              // Mix tiny, odd and day-sized intervals.
              long intervalMs =
                  switch (i % 3) {
                    case 0 -> random.nextLong(1, 1_000);
                    case 1 -> random.nextLong(1, HOUR_MS);
                    default -> random.nextLong(1, 7 * 24 * HOUR_MS);
                  };
              long nowMs = anchorMs + random.nextLong(-yearMs, yearMs);
              return new GridCase(anchorMs, intervalMs, nowMs);
            });
  }

  @ParameterizedTest
  @MethodSource("gridCases")
  void firstFireIsTheFirstGridPointAtOrAfterNow(GridCase c) {
    long firstMs = ScheduleMath.firstFire(c.schedule(), c.nowMs());

    assertThat(firstMs).isGreaterThanOrEqualTo(c.nowMs());
    assertThat(c.onGrid(firstMs)).isTrue();
    // The grid point before it is either before now or does not exist (before the anchor).
    assertThat(firstMs == c.anchorMs() || firstMs - c.intervalMs() < c.nowMs()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("gridCases")
  void nextFireIsOneIntervalLaterWhenNotMisfired(GridCase c) {
    long scheduledMs = ScheduleMath.firstFire(c.schedule(), c.nowMs());
    for (int fires = 1; fires <= 5; fires++) {
      // Delivered late, but within the grace period: the grid, not the delivery, decides.
      long deliveredMs = scheduledMs + Math.min(GRACE_MS, c.intervalMs());

      long nextMs = ScheduleMath.nextFire(c.schedule(), scheduledMs, fires, deliveredMs, GRACE_MS);

      assertThat(nextMs).isEqualTo(scheduledMs + c.intervalMs());
      scheduledMs = nextMs;
    }
  }

  @ParameterizedTest
  @MethodSource("gridCases")
  void misfiredOccurrencesCoalesceIntoTheLatestGridPointAtOrBeforeNow(GridCase c) {
    long scheduledMs = ScheduleMath.firstFire(c.schedule(), c.nowMs());
    long downMs = c.intervalMs() * 3 + GRACE_MS + 1 + Math.floorMod(c.nowMs(), HOUR_MS);
    long nowMs = scheduledMs + downMs;

    long nextMs = ScheduleMath.nextFire(c.schedule(), scheduledMs, 1, nowMs, GRACE_MS);

    long latestGridPointMs =
        c.anchorMs() + Math.floorDiv(nowMs - c.anchorMs(), c.intervalMs()) * c.intervalMs();
    assertThat(nextMs).isEqualTo(latestGridPointMs);
    assertThat(nextMs).isGreaterThan(scheduledMs).isLessThanOrEqualTo(nowMs);
  }

  @Test
  void everyFiresOnAnchorGridNeverDriftingWithDelivery() {
    long anchorMs = ms("2026-11-25T10:00:00Z");
    Schedule s = every(5 * MINUTE_MS, anchorMs);
    long scheduledMs = anchorMs;
    for (int fires = 1; fires <= 100; fires++) {
      // Each delivery finishes 7 s late; a drifting schedule would be 700 s off after 100 fires.
      scheduledMs = ScheduleMath.nextFire(s, scheduledMs, fires, scheduledMs + 7_000, GRACE_MS);
    }

    assertThat(scheduledMs).isEqualTo(anchorMs + 100 * 5 * MINUTE_MS);
  }

  @Test
  void futureAnchorIsTheFirstFire() {
    long anchorMs = NOW_MS + HOUR_MS + 17;

    assertThat(ScheduleMath.firstFire(every(MINUTE_MS, anchorMs), NOW_MS)).isEqualTo(anchorMs);
  }

  @Test
  void pastAnchorContinuesFromTheFirstGridPointAtOrAfterNow() {
    long anchorMs = ms("2026-11-25T09:58:30Z");

    assertThat(ScheduleMath.firstFire(every(MINUTE_MS, anchorMs), NOW_MS))
        .isEqualTo(ms("2026-11-25T10:00:30Z"));
    assertThat(ScheduleMath.firstFire(every(30 * SECOND_MS, anchorMs), NOW_MS)).isEqualTo(NOW_MS);
  }

  @Test
  void nextFireWithinGraceDoesNotCoalesce() {
    Schedule s = every(MINUTE_MS, NOW_MS);

    // The next occurrence (10:01) is 29 s behind now, inside the 30 s grace: fire it, late.
    assertThat(ScheduleMath.nextFire(s, NOW_MS, 1, NOW_MS + MINUTE_MS + 29_000, GRACE_MS))
        .isEqualTo(NOW_MS + MINUTE_MS);
  }

  @Test
  void overflowingGridMeansNoMoreOccurrences() {
    Schedule s = every(HOUR_MS, Long.MAX_VALUE - HOUR_MS / 2);

    assertThat(ScheduleMath.nextFire(s, Long.MAX_VALUE - HOUR_MS / 2, 1, 0, 0)).isZero();
    assertThat(new EveryGrid(Long.MAX_VALUE - 10, Long.MAX_VALUE).firstAfter(Long.MAX_VALUE - 5))
        .isZero();
  }
}
