package io.horae.server.config;

import io.horae.server.egress.TargetAllowlist;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * One config key, declared once: its name, default, parser with range, how to print a value and
 * where the value lives in {@link HoraeConfig}. Parsers throw {@link IllegalArgumentException}
 * whose message is the rule that was broken; the loader adds the key and the value.
 *
 * @param <T> the type of the parsed value
 */
final class Key<T> {
  private final String name;
  private final Class<T> type;
  private final T defaultValue;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;

  private Key(
      String name,
      Class<T> type,
      T defaultValue,
      Function<String, T> parser,
      Function<T, String> formatter) {
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
    this.defaultValue = defaultValue;
    this.parser = Objects.requireNonNull(parser);
    this.formatter = Objects.requireNonNull(formatter);
  }

  static Key<Integer> ofInt(String name, int defaultValue, int min, int max) {
    Function<String, Integer> parser =
        raw -> Math.toIntExact(inRange(parseWhole(raw), min, max, String::valueOf));
    return checked(new Key<>(name, Integer.class, defaultValue, parser, String::valueOf));
  }

  static Key<Long> ofLong(String name, long defaultValue, long min, long max) {
    Function<String, Long> parser = raw -> inRange(parseWhole(raw), min, max, String::valueOf);
    return checked(new Key<>(name, Long.class, defaultValue, parser, String::valueOf));
  }

  static Key<Long> ofBytes(String name, long defaultValue, long min, long max) {
    Function<String, Long> parser =
        raw -> inRange(ByteSizes.parse(raw), min, max, ByteSizes::format);
    return checked(new Key<>(name, Long.class, defaultValue, parser, ByteSizes::format));
  }

  /** A byte size held in an {@code int}; {@code max} must fit one. */
  static Key<Integer> ofIntBytes(String name, int defaultValue, int min, int max) {
    Function<String, Integer> parser =
        raw -> Math.toIntExact(inRange(ByteSizes.parse(raw), min, max, ByteSizes::format));
    Function<Integer, String> formatter = v -> ByteSizes.format(v);
    return checked(new Key<>(name, Integer.class, defaultValue, parser, formatter));
  }

  static Key<Duration> ofDuration(String name, Duration defaultValue, Duration min, Duration max) {
    Function<String, Duration> parser = raw -> inRange(Durations.parse(raw), min, max);
    return checked(new Key<>(name, Duration.class, defaultValue, parser, Durations::format));
  }

  /** A decimal number such as {@code 2} or {@code 1.5} in [min, max]. */
  static Key<Double> ofDecimal(String name, double defaultValue, double min, double max) {
    Function<String, Double> parser =
        raw -> {
          if (!raw.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
            throw new IllegalArgumentException("must be a decimal number like 2 or 1.5");
          }
          double v = Double.parseDouble(raw);
          if (v < min || v > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
          }
          return v;
        };
    return checked(new Key<>(name, Double.class, defaultValue, parser, String::valueOf));
  }

  /** HTTP statuses and ranges, e.g. {@code 408,425,429,500-599}. */
  static Key<StatusSet> ofStatuses(String name, StatusSet defaultValue) {
    return checked(
        new Key<>(name, StatusSet.class, defaultValue, StatusSet::parse, StatusSet::format));
  }

  /** {@code true} or {@code false}, nothing else. */
  static Key<NamespaceQuotas> ofNamespaceQuotas(String name) {
    return checked(
        new Key<>(
            name,
            NamespaceQuotas.class,
            NamespaceQuotas.NONE,
            NamespaceQuotas::parse,
            NamespaceQuotas::format));
  }

  static Key<NamespaceDurations> ofNamespaceDurations(String name) {
    return checked(
        new Key<>(
            name,
            NamespaceDurations.class,
            NamespaceDurations.NONE,
            NamespaceDurations::parse,
            NamespaceDurations::format));
  }

  static Key<Boolean> ofBoolean(String name, boolean defaultValue) {
    Function<String, Boolean> parser =
        raw -> {
          if (!raw.equals("true") && !raw.equals("false")) {
            throw new IllegalArgumentException("must be true or false");
          }
          return Boolean.valueOf(raw);
        };
    return checked(new Key<>(name, Boolean.class, defaultValue, parser, String::valueOf));
  }

  /** A string matching {@code pattern}; {@code defaultValue} null makes the key required. */
  static Key<String> ofPattern(String name, String defaultValue, Pattern pattern) {
    return ofPattern(name, defaultValue, pattern, "must match " + pattern.pattern());
  }

  /** As {@link #ofPattern(String, String, Pattern, Function)}, with the rule said in words. */
  static Key<String> ofPattern(String name, String defaultValue, Pattern pattern, String rule) {
    Function<String, String> parser =
        raw -> {
          if (!pattern.matcher(raw).matches()) {
            throw new IllegalArgumentException(rule);
          }
          return raw;
        };
    return checked(new Key<>(name, String.class, defaultValue, parser, v -> v));
  }

  /** A UUID in canonical 8-4-4-4-12 form, held as its lower-case string. */
  static Key<String> ofUuid(String name, String defaultValue) {
    Pattern canonical =
        Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    Function<String, String> parser =
        raw -> {
          if (!canonical.matcher(raw).matches()) {
            throw new IllegalArgumentException(
                "must be a UUID like 1e7a9c3b-0000-4000-8000-686f72616501");
          }
          return UUID.fromString(raw).toString();
        };
    return checked(new Key<>(name, String.class, defaultValue, parser, v -> v));
  }

  /** Webhook target allowlist entries, comma-separated (see {@link TargetAllowlist#parse}). */
  static Key<TargetAllowlist> ofAllowlist(String name, TargetAllowlist defaultValue) {
    return checked(
        new Key<>(
            name,
            TargetAllowlist.class,
            defaultValue,
            TargetAllowlist::parse,
            TargetAllowlist::format));
  }

  /** A required, non-empty file system path. */
  static Key<Path> ofRequiredPath(String name) {
    Function<String, Path> parser =
        raw -> {
          if (raw.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
          }
          try {
            return Path.of(raw);
          } catch (InvalidPathException e) {
            throw new IllegalArgumentException("must be a valid path (" + e.getReason() + ")", e);
          }
        };
    return new Key<>(name, Path.class, null, parser, Path::toString);
  }

  /** A file system path that may be left empty (its default), held as a string. */
  static Key<String> ofOptionalPath(String name) {
    Function<String, String> parser =
        raw -> {
          try {
            Path.of(raw);
          } catch (InvalidPathException e) {
            throw new IllegalArgumentException("must be a valid path (" + e.getReason() + ")", e);
          }
          return raw;
        };
    return checked(new Key<>(name, String.class, "", parser, v -> v));
  }

  String name() {
    return name;
  }

  boolean required() {
    return defaultValue == null;
  }

  T defaultValue() {
    return defaultValue;
  }

  Class<T> type() {
    return type;
  }

  /**
   * @throws IllegalArgumentException with the broken rule as its message
   */
  T parse(String raw) {
    return parser.apply(raw);
  }

  String format(T value) {
    return formatter.apply(value);
  }

  /** This key's value in {@code config}, in config file syntax. */
  String formatFrom(HoraeConfig config) {
    return format(type.cast(ConfigBinder.read(config, name)));
  }

  @Override
  public String toString() {
    return name;
  }

  /** A default that breaks its own rule is a programmer error; fail when the class loads. */
  private static <T> Key<T> checked(Key<T> key) {
    if (key.defaultValue != null) {
      T reparsed = key.parse(key.format(key.defaultValue));
      if (!reparsed.equals(key.defaultValue)) {
        throw new AssertionError("default of " + key.name + " does not survive format and parse");
      }
    }
    return key;
  }

  private static long parseWhole(String raw) {
    if (!raw.matches("-?[0-9]{1,18}")) {
      throw new IllegalArgumentException("must be a whole number");
    }
    return Long.parseLong(raw);
  }

  private static long inRange(long value, long min, long max, LongFunction<String> formatter) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "must be between " + formatter.apply(min) + " and " + formatter.apply(max));
    }
    return value;
  }

  private static Duration inRange(Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "must be between " + Durations.format(min) + " and " + Durations.format(max));
    }
    return value;
  }
}
