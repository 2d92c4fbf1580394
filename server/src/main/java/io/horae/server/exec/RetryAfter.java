package io.horae.server.exec;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The {@code Retry-After} response header (RFC 9110 §10.2.3): delay-seconds or an HTTP date. */
final class RetryAfter {
  /** Longest delay taken from the header before the policy's own cap applies: one week. */
  static final long DELAY_SECONDS_MAX = 7L * 24 * 3600;

  private RetryAfter() {}

  /**
   * The delay the target asked for, in ms from nowMs: 0 when the header is absent, malformed or
   * names a past date.
   */
  static long parseMs(String value, long nowMs) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    String v = value.trim();
    if (v.matches("[0-9]{1,12}")) {
      return Math.min(Long.parseLong(v), DELAY_SECONDS_MAX) * 1000;
    }
    try {
      long at =
          ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.min(Math.max(0, at - nowMs), DELAY_SECONDS_MAX * 1000);
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
