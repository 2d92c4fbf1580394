package io.horae.server.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config syntax of byte sizes: a whole number of bytes, optionally with a binary unit, {@code 65536
 * 64KiB 1MiB}. Decimal units (KB, MB) are refused on purpose: they are ambiguous.
 */
final class ByteSizes {
  static final String RULE = "must be a byte size like 65536, 64KiB or 1MiB";

  private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,18})(KiB|MiB|GiB)?");

  /** Largest first, so that {@link #format} picks the shortest exact spelling. */
  private static final List<Unit> UNITS =
      List.of(new Unit("GiB", 1L << 30), new Unit("MiB", 1L << 20), new Unit("KiB", 1L << 10));

  private record Unit(String suffix, long bytes) {}

  private ByteSizes() {}

  /**
   * @throws IllegalArgumentException with {@link #RULE} as its message when the text is malformed
   */
  static long parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(RULE);
    }
    long amount = Long.parseLong(m.group(1));
    if (m.group(2) == null) {
      return amount;
    }
    long unit =
        UNITS.stream().filter(u -> u.suffix().equals(m.group(2))).findFirst().orElseThrow().bytes();
    try {
      return Math.multiplyExact(amount, unit);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(RULE + ", and not overflow", e);
    }
  }

  /** The shortest spelling that {@link #parse} reads back exactly, e.g. 1048576 as {@code 1MiB}. */
  static String format(long bytes) {
    for (Unit u : UNITS) {
      if (bytes != 0 && bytes % u.bytes() == 0) {
        return bytes / u.bytes() + u.suffix();
      }
    }
    return Long.toString(bytes);
  }
}
