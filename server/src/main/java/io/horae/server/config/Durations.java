package io.horae.server.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Config syntax of durations: a whole number and one unit, {@code 250ms 5s 2m 1h 1d}. */
final class Durations {
  static final String RULE = "must be a duration like 250ms, 5s, 2m, 1h or 1d";

  private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,18})(ms|s|m|h|d)");

  /** Largest first, so that {@link #format} picks the shortest exact spelling. */
  private static final List<Unit> UNITS =
      List.of(
          new Unit("d", ChronoUnit.DAYS),
          new Unit("h", ChronoUnit.HOURS),
          new Unit("m", ChronoUnit.MINUTES),
          new Unit("s", ChronoUnit.SECONDS),
          new Unit("ms", ChronoUnit.MILLIS));

  private record Unit(String suffix, ChronoUnit unit) {}

  private Durations() {}

  /**
   * @throws IllegalArgumentException with {@link #RULE} as its message when the text is malformed
   */
  static Duration parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(RULE);
    }
    long amount = Long.parseLong(m.group(1));
    ChronoUnit unit =
        UNITS.stream().filter(u -> u.suffix().equals(m.group(2))).findFirst().orElseThrow().unit();
    try {
      return Duration.of(amount, unit);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(RULE + ", and not overflow", e);
    }
  }

  /** The shortest spelling that {@link #parse} reads back exactly, e.g. 24h as {@code 1d}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    for (Unit u : UNITS) {
      Duration one = u.unit().getDuration();
      long whole = d.dividedBy(one);
      if (!d.isNegative() && one.multipliedBy(whole).equals(d)) {
        return whole + u.suffix();
      }
    }
    // Negative or sub-millisecond: never parsed from a file, only possible in hand-built records.
    return d.toString();
  }
}
