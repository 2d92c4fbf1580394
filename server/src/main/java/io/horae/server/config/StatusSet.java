package io.horae.server.config;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * A set of HTTP status codes (100..599), written as a comma-separated list of codes and ranges such
 * as {@code 408,425,429,500-599}. Immutable.
 */
public final class StatusSet {
  public static final int MIN = 100;
  public static final int MAX = 599;
  private final BitSet codes;

  private StatusSet(BitSet codes) {
    this.codes = codes;
  }

  public static StatusSet of(Collection<Integer> codes) {
    BitSet bits = new BitSet(MAX + 1);
    for (int c : codes) {
      if (c < MIN || c > MAX) {
        throw new IllegalArgumentException(
            "HTTP status " + c + " is not between " + MIN + " and " + MAX);
      }
      bits.set(c);
    }
    return new StatusSet(bits);
  }

  /** Parses {@code 408,425,429,500-599}; throws IllegalArgumentException naming the rule. */
  public static StatusSet parse(String raw) {
    BitSet bits = new BitSet(MAX + 1);
    if (raw.isBlank()) {
      return new StatusSet(bits);
    }
    for (String part : raw.split(",", -1)) {
      String p = part.trim();
      if (!p.matches("[0-9]{3}(-[0-9]{3})?")) {
        throw new IllegalArgumentException("must be HTTP statuses and ranges like 408,429,500-599");
      }
      int from = Integer.parseInt(p.substring(0, 3));
      int to = p.length() > 3 ? Integer.parseInt(p.substring(4)) : from;
      if (from < MIN || to > MAX || from > to) {
        throw new IllegalArgumentException(
            "must be HTTP statuses between " + MIN + " and " + MAX + ", ranges low-high");
      }
      bits.set(from, to + 1);
    }
    return new StatusSet(bits);
  }

  public boolean contains(int status) {
    return status >= MIN && status <= MAX && codes.get(status);
  }

  /** The shortest list form: single codes and ranges, ascending. */
  public String format() {
    List<String> parts = new ArrayList<>();
    int from = codes.nextSetBit(0);
    while (from >= 0) {
      int to = codes.nextClearBit(from) - 1;
      parts.add(from == to ? Integer.toString(from) : from + "-" + to);
      from = codes.nextSetBit(to + 1);
    }
    return String.join(",", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusSet s && s.codes.equals(codes);
  }

  @Override
  public int hashCode() {
    return codes.hashCode();
  }

  @Override
  public String toString() {
    return format();
  }
}
