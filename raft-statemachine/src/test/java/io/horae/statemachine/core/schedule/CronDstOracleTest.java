package io.horae.statemachine.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Cron;
import io.horae.statemachine.core.schedule.ValidOffsetsOracle.Gap;
import io.horae.statemachine.core.schedule.ValidOffsetsOracle.Overlap;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: under every daylight-saving policy, cron fire times equal those of {@link
 * ValidOffsetsOracle}, in every zone of the JDK's tz database and around every one of its
 * transitions from 1970 to 2037. One case per zone id (SystemV ones too, which schedules refuse but
 * whose rules are as real as any).
 *
 * <p>Method: around each transition, with L and U the lower and upper local time of the skipped or
 * repeated range (02:00 and 03:00 on a Berlin night), two six-field expressions are generated:
 * "inside" matches L, the middle of [L, U) and U minus one second (every combination of their
 * second, minute and hour fields, so a few more); "hourly" matches U's minute and second every
 * hour. Each runs under both gap policies on a gap and under all three overlap policies on an
 * overlap, the other policy taking turns. Over the local times from L - 2 h to U + 2 h, and the
 * instants the clock shows them at:
 *
 * <ul>
 *   <li>following firstAfter from the window's start visits exactly the oracle's fire times, in
 *       order (so each is the first fire after the one before);
 *   <li>from the instants just before and at the transition (and, on an overlap, at the end of the
 *       second pass) firstAfter and latestAtOrBefore give the oracle's next and latest fire.
 * </ul>
 *
 * The windows assume that no other transition comes within two days of one; the test checks that it
 * holds for the database it runs on. No case is sampled: the cases are the database.
 */
class CronDstOracleTest {

  private static final Instant FROM = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2038-01-01T00:00:00Z");
  private static final Duration MARGIN = Duration.ofHours(2);
  private static final Duration TRANSITIONS_APART_MIN = Duration.ofDays(2);

  static Stream<String> zoneIds() {
    return new TreeSet<>(ZoneId.getAvailableZoneIds()).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("zoneIds")
  void cronFiresWhereTheOracleSaysAroundEveryTransitionOf1970To2037(String zoneId) {
    ZoneRules rules = ZoneId.of(zoneId).getRules();
    List<ZoneOffsetTransition> transitions = transitions(rules);
    for (int i = 0; i < transitions.size(); i++) {
      ZoneOffsetTransition transition = transitions.get(i);
      checkApart(zoneId, transitions, i);
      for (Expression expression : expressions(transition)) {
        for (Policy policy : policies(transition, i)) {
          check(zoneId, rules, transition, expression, policy);
        }
      }
    }
  }

  /** The transitions from 1970 to 2037, each once. */
  static List<ZoneOffsetTransition> transitions(ZoneRules rules) {
    List<ZoneOffsetTransition> all = new ArrayList<>();
    ZoneOffsetTransition t = rules.nextTransition(FROM.minusSeconds(1));
    while (t != null && t.getInstant().isBefore(TO)) {
      all.add(t);
      t = rules.nextTransition(t.getInstant());
    }
    return all;
  }

  private static void checkApart(String zoneId, List<ZoneOffsetTransition> all, int i) {
    if (i > 0) {
      Duration apart = Duration.between(all.get(i - 1).getInstant(), all.get(i).getInstant());
      assertThat(apart)
          .as(
              "%s: transitions %s and %s; the oracle's windows need them apart",
              zoneId, all.get(i - 1), all.get(i))
          .isGreaterThanOrEqualTo(TRANSITIONS_APART_MIN);
    }
  }

  /** A gap policy and an overlap policy, as the oracle and as the proto name them. */
  record Policy(Gap gap, Overlap overlap) {
    Cron.DstGap gapProto() {
      return gap == Gap.SHIFT ? Cron.DstGap.DST_GAP_SHIFT : Cron.DstGap.DST_GAP_SKIP;
    }

    Cron.DstOverlap overlapProto() {
      return switch (overlap) {
        case FIRST -> Cron.DstOverlap.DST_OVERLAP_FIRST;
        case LAST -> Cron.DstOverlap.DST_OVERLAP_LAST;
        case BOTH -> Cron.DstOverlap.DST_OVERLAP_BOTH;
      };
    }
  }

  /** Every policy of the transition's kind; the other kind's policy takes turns. */
  static List<Policy> policies(ZoneOffsetTransition transition, int index) {
    Overlap[] overlaps = Overlap.values();
    Gap[] gaps = Gap.values();
    if (transition.isGap()) {
      return List.of(
          new Policy(Gap.SHIFT, overlaps[index % 3]),
          new Policy(Gap.SKIP, overlaps[(index + 1) % 3]));
    }
    return List.of(
        new Policy(gaps[index % 2], Overlap.FIRST),
        new Policy(gaps[(index + 1) % 2], Overlap.LAST),
        new Policy(gaps[index % 2], Overlap.BOTH));
  }

  /**
   * A six-field expression with lists of seconds, minutes and hours (empty: every hour), every day,
   * and the same rule enumerated as local times for the oracle.
   */
  record Expression(
      String name, TreeSet<Integer> seconds, TreeSet<Integer> minutes, TreeSet<Integer> hours) {
    String cron() {
      return list(seconds)
          + " "
          + list(minutes)
          + " "
          + (hours.isEmpty() ? "*" : list(hours))
          + " * * *";
    }

    /** The matching local times in (after, upTo]. */
    List<LocalDateTime> matches(LocalDateTime after, LocalDateTime upTo) {
      List<LocalDateTime> matches = new ArrayList<>();
      for (LocalDate day = after.toLocalDate();
          !day.isAfter(upTo.toLocalDate());
          day = day.plusDays(1)) {
        for (int hour = 0; hour < 24; hour++) {
          if (!hours.isEmpty() && !hours.contains(hour)) {
            continue;
          }
          for (int minute : minutes) {
            for (int second : seconds) {
              LocalDateTime local = day.atTime(hour, minute, second);
              if (local.isAfter(after) && !local.isAfter(upTo)) {
                matches.add(local);
              }
            }
          }
        }
      }
      return matches;
    }

    private static String list(TreeSet<Integer> values) {
      return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
      return name + " '" + cron() + "'";
    }
  }

  static List<Expression> expressions(ZoneOffsetTransition transition) {
    LocalDateTime lower = lower(transition);
    LocalDateTime upper = upper(transition);
    LocalDateTime middle = lower.plusSeconds(Duration.between(lower, upper).toSeconds() / 2);
    LocalDateTime last = upper.minusSeconds(1);
    TreeSet<Integer> seconds =
        new TreeSet<>(List.of(lower.getSecond(), middle.getSecond(), last.getSecond()));
    TreeSet<Integer> minutes =
        new TreeSet<>(List.of(lower.getMinute(), middle.getMinute(), last.getMinute()));
    TreeSet<Integer> hours =
        new TreeSet<>(List.of(lower.getHour(), middle.getHour(), last.getHour()));
    return List.of(
        new Expression("inside", seconds, minutes, hours),
        new Expression(
            "hourly",
            new TreeSet<>(List.of(upper.getSecond())),
            new TreeSet<>(List.of(upper.getMinute())),
            new TreeSet<>()));
  }

  private static LocalDateTime lower(ZoneOffsetTransition t) {
    return t.isGap() ? t.getDateTimeBefore() : t.getDateTimeAfter();
  }

  private static LocalDateTime upper(ZoneOffsetTransition t) {
    return t.isGap() ? t.getDateTimeAfter() : t.getDateTimeBefore();
  }

  private static void check(
      String zoneId,
      ZoneRules rules,
      ZoneOffsetTransition transition,
      Expression expression,
      Policy policy) {
    LocalDateTime windowStart = lower(transition).minus(MARGIN);
    LocalDateTime windowEnd = upper(transition).plus(MARGIN);
    long startMs = windowStart.toEpochSecond(transition.getOffsetBefore()) * 1_000;
    long endMs = windowEnd.toEpochSecond(transition.getOffsetAfter()) * 1_000;
    NavigableSet<Long> expected =
        ValidOffsetsOracle.fires(
            rules, expression.matches(windowStart, windowEnd), policy.gap(), policy.overlap());
    CronTimes times = cronTimes(zoneId, rules, expression, policy);
    String context = zoneId + " " + transition + " " + expression + " " + policy;

    assertThat(followFirstAfter(times, startMs, endMs))
        .as(context)
        .containsExactlyElementsOf(expected);
    long transitionMs = transition.getInstant().toEpochMilli();
    List<Long> references = new ArrayList<>(List.of(transitionMs - 1, transitionMs));
    if (transition.isOverlap()) {
      references.add(transitionMs - transition.getDuration().toMillis() - 1);
    }
    for (long referenceMs : references) {
      String at = context + " from " + Instant.ofEpochMilli(referenceMs);
      Long next = expected.higher(referenceMs);
      long firstAfter = times.firstAfter(referenceMs);
      if (next != null) {
        assertThat(firstAfter).as(at).isEqualTo(next);
      } else {
        assertThat(firstAfter == 0 || firstAfter > endMs)
            .as(at + ": none in the window, got " + firstAfter)
            .isTrue();
      }
      Long latest = expected.floor(referenceMs);
      long latestAtOrBefore = times.latestAtOrBefore(referenceMs);
      if (latest != null) {
        assertThat(latestAtOrBefore).as(at).isEqualTo(latest);
      } else {
        assertThat(latestAtOrBefore).as(at + ": none in the window").isLessThanOrEqualTo(startMs);
      }
    }
  }

  /** SystemV zones are refused by CronZones, so their CronTimes is built from the rules. */
  private static CronTimes cronTimes(
      String zoneId, ZoneRules rules, Expression expression, Policy policy) {
    Cron.Builder cron =
        Cron.newBuilder()
            .setExpression(expression.cron())
            .setDstGap(policy.gapProto())
            .setDstOverlap(policy.overlapProto());
    if (CronZones.isValid(zoneId)) {
      return CronTimes.of(cron.setTimeZone(zoneId).build());
    }
    return new CronTimes(
        CronExpressions.parse(expression.cron()).wallTimes(), rules, DstPolicy.of(cron.build()));
  }

  private static List<Long> followFirstAfter(CronTimes times, long startMs, long endMs) {
    List<Long> fires = new ArrayList<>();
    for (long fireMs = times.firstAfter(startMs);
        fireMs != 0 && fireMs <= endMs;
        fireMs = times.firstAfter(fireMs)) {
      fires.add(fireMs);
    }
    return fires;
  }
}
