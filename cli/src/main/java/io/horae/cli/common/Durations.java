package io.horae.cli.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short durations as people type them: {@code 250ms}, {@code 90s}, {@code 5m}, {@code 1h30m},
 * {@code 2d}. A duration is one or more number-unit parts with units from largest to smallest, each
 * at most once; units are d, h, m, s and ms. It must be positive.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d{1,18})(ms|d|h|m|s)");
  private static final String EXAMPLES = "use e.g. 250ms, 90s, 5m, 1h30m or 2d";

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException quoting the text when it is malformed, zero or too large
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration; " + EXAMPLES);
    }
    Matcher m = PART.matcher(text);
    int position = 0;
    long lastUnitMillis = Long.MAX_VALUE;
    long totalMillis = 0;
    try {
      while (position < text.length()) {
        m.region(position, text.length());
        if (!m.lookingAt()) {
          throw new IllegalArgumentException("'" + text + "' is not a duration; " + EXAMPLES);
        }
        long unitMillis = unitMillis(m.group(2));
        if (unitMillis >= lastUnitMillis) {
          throw new IllegalArgumentException(
              "'" + text + "' repeats a unit or has them out of order; " + EXAMPLES);
        }
        lastUnitMillis = unitMillis;
        totalMillis =
            Math.addExact(totalMillis, Math.multiplyExact(Long.parseLong(m.group(1)), unitMillis));
        position = m.end();
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
    }
    if (totalMillis == 0) {
      throw new IllegalArgumentException("'" + text + "' is not a positive duration");
    }
    return Duration.ofMillis(totalMillis);
  }

  /**
   * Formats {@code duration} the way {@link #parse} reads it, e.g. {@code 1h30m}; sub-millisecond
   * parts are dropped.
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder(millis < 0 ? "-" : "");
    millis = Math.abs(millis);
    for (String unit : new String[] {"d", "h", "m", "s", "ms"}) {
      long size = unitMillis(unit);
      if (millis >= size) {
        text.append(millis / size).append(unit);
        millis %= size;
      }
    }
    return text.toString();
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "d" -> 86_400_000L;
      case "h" -> 3_600_000L;
      case "m" -> 60_000L;
      case "s" -> 1_000L;
      case "ms" -> 1L;
      default -> throw new AssertionError("unit " + unit);
    };
  }
}
