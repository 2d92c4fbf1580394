package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.DAY_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.HOUR_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.MINUTE_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Schedule;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: in many zones and around every daylight-saving transition, cron fire times equal those of
 * {@link WallClockOracle}. For each zone (every 25th tz id, plus zones known for odd transitions)
 * and each expression, we take windows around each transition of 2022-2029 and a few seeded random
 * windows, then check that
 *
 * <ul>
 *   <li>following nextFire from the window start visits exactly the oracle's fire times (so it is
 *       the first matching instant after the previous one, and strictly increasing);
 *   <li>from seeded reference instants, firstFire and nextFire return the oracle's first fire at or
 *       after / after the reference, and the coalescing lookup its latest fire at or before it.
 * </ul>
 */
class CronZoneOracleTest {

  private static final long SEED = 42L;
  private static final int ZONE_STRIDE = 25;
  private static final int RANDOM_WINDOWS = 2;
  private static final int REFERENCES_PER_WINDOW = 40;
  private static final long WINDOW_BEFORE_MS = DAY_MS;
  private static final long WINDOW_AFTER_MS = 2 * DAY_MS;
  private static final Instant TRANSITIONS_FROM = Instant.parse("2022-01-01T00:00:00Z");
  private static final Instant TRANSITIONS_TO = Instant.parse("2030-01-01T00:00:00Z");

  /** Zones with 30-minute DST, midnight transitions, :45 offsets, or changing rules. */
  private static final List<String> NOTABLE_ZONES =
      List.of(
          "Europe/Berlin",
          "America/New_York",
          "Australia/Lord_Howe",
          "America/Santiago",
          "America/Havana",
          "Asia/Kathmandu",
          "Pacific/Chatham",
          "Africa/Casablanca",
          "UTC");

  /** An expression and the same rule written as a predicate on wall-clock minutes. */
  record Expression(String cron, Predicate<LocalDateTime> matches) {
    @Override
    public String toString() {
      return cron;
    }
  }

  private static final List<Expression> EXPRESSIONS =
      List.of(
          new Expression("0 * * * *", t -> t.getMinute() == 0),
          new Expression("30 * * * *", t -> t.getMinute() == 30),
          new Expression("*/20 * * * *", t -> t.getMinute() % 20 == 0),
          new Expression("30 2 * * *", t -> t.getHour() == 2 && t.getMinute() == 30),
          new Expression("0 0 * * *", t -> t.getHour() == 0 && t.getMinute() == 0));

  static Stream<String> zones() {
    List<String> sorted =
        new ArrayList<>(
            new TreeSet<>(ZoneId.getAvailableZoneIds())
                .stream().filter(CronZones::isValid).toList());
    TreeSet<String> chosen = new TreeSet<>(NOTABLE_ZONES);
    for (int i = 0; i < sorted.size(); i += ZONE_STRIDE) {
      chosen.add(sorted.get(i));
    }
    return chosen.stream();
  }

  @ParameterizedTest
  @MethodSource("zones")
  void cronFiresWhenTheZonesClockFirstShowsEachMatchingWallTime(String zoneId) {
    ZoneId zone = ZoneId.of(zoneId);
    Random random = new Random(SEED ^ zoneId.hashCode());
    for (long centerMs : windowCenters(zone.getRules(), random)) {
      long fromMs = Math.floorDiv(centerMs - WINDOW_BEFORE_MS, MINUTE_MS) * MINUTE_MS;
      long toMs = centerMs + WINDOW_AFTER_MS;
      for (Expression expression : EXPRESSIONS) {
        Schedule s = TestSchedules.cron(expression.cron(), zoneId);
        List<Long> expected = WallClockOracle.fireTimes(zone, expression.matches(), fromMs, toMs);
        String context =
            zoneId + " '" + expression + "' window from " + Instant.ofEpochMilli(fromMs);

        assertThat(expected).as(context).isNotEmpty();
        assertThat(followNextFire(s, fromMs, expected.getLast())).as(context).isEqualTo(expected);
        checkReferences(s, expected, fromMs, centerMs, random, context);
      }
    }
  }

  /** Instants at which to center windows: each transition, plus seeded random ones. */
  private static List<Long> windowCenters(ZoneRules rules, Random random) {
    List<Long> centers = new ArrayList<>();
    ZoneOffsetTransition transition = rules.nextTransition(TRANSITIONS_FROM);
    while (transition != null && transition.getInstant().isBefore(TRANSITIONS_TO)) {
      centers.add(transition.getInstant().toEpochMilli());
      transition = rules.nextTransition(transition.getInstant());
    }
    long spanMs = TRANSITIONS_TO.toEpochMilli() - TRANSITIONS_FROM.toEpochMilli();
    for (int i = 0; i < RANDOM_WINDOWS; i++) {
      centers.add(TRANSITIONS_FROM.toEpochMilli() + random.nextLong(spanMs));
    }
    return centers;
  }

  private static List<Long> followNextFire(Schedule s, long fromMs, long lastMs) {
    List<Long> fires = new ArrayList<>();
    long fireMs = ScheduleMath.nextFire(s, fromMs, 1, fromMs, 0);
    while (fireMs != 0 && fireMs <= lastMs) {
      fires.add(fireMs);
      long nextMs = ScheduleMath.nextFire(s, fireMs, 1, fireMs, 0);
      assertThat(nextMs).isGreaterThan(fireMs);
      fireMs = nextMs;
    }
    return fires;
  }

  /** References cluster near the window's center (the transition) and spread over the rest. */
  private static void checkReferences(
      Schedule s, List<Long> expected, long fromMs, long centerMs, Random random, String context) {
    CronTimes times = CronTimes.of(s.getCron());
    long lastMs = expected.getLast();
    for (int i = 0; i < REFERENCES_PER_WINDOW; i++) {
      long referenceMs =
          i % 2 == 0
              ? centerMs + random.nextLong(-3 * HOUR_MS, 3 * HOUR_MS)
              : fromMs + random.nextLong(lastMs - fromMs);
      if (i % 5 == 0) {
        referenceMs = Math.floorDiv(referenceMs, MINUTE_MS) * MINUTE_MS; // exactly on a minute
      }
      // The oracle knows fires in (fromMs, lastMs]; firstFire(r) may return r itself.
      referenceMs = Math.max(fromMs + 1, Math.min(referenceMs, lastMs - 1));
      String at = context + ", reference " + Instant.ofEpochMilli(referenceMs);

      assertThat(ScheduleMath.nextFire(s, referenceMs, 1, referenceMs, 0))
          .as(at)
          .isEqualTo(firstAfter(expected, referenceMs));
      assertThat(ScheduleMath.firstFire(s, referenceMs))
          .as(at)
          .isEqualTo(firstAfter(expected, referenceMs - 1));
      long latestMs = latestAtOrBefore(expected, referenceMs);
      if (latestMs != 0) {
        assertThat(times.latestAtOrBefore(referenceMs)).as(at).isEqualTo(latestMs);
      }
    }
  }

  private static long firstAfter(List<Long> fires, long afterMs) {
    return fires.stream().filter(f -> f > afterMs).findFirst().orElseThrow();
  }

  private static long latestAtOrBefore(List<Long> fires, long atOrBeforeMs) {
    return fires.stream().filter(f -> f <= atOrBeforeMs).reduce((a, b) -> b).orElse(0L);
  }
}
