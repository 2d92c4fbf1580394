package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Retry-After in both forms of RFC 9110, and what is ignored. */
class RetryAfterTest {
  private static final long NOW = Instant.parse("2026-11-28T12:00:00Z").toEpochMilli();

  @Test
  void delaySecondsAreMilliseconds() {
    assertThat(RetryAfter.parseMs("120", NOW)).isEqualTo(120_000);
    assertThat(RetryAfter.parseMs(" 0 ", NOW)).isZero();
  }

  @Test
  void anHttpDateIsTheDelayFromNow() {
    String in90s =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.ofEpochMilli(NOW + 90_000).atZone(ZoneOffset.UTC));
    assertThat(RetryAfter.parseMs(in90s, NOW)).isEqualTo(90_000);
    assertThat(RetryAfter.parseMs("Sat, 28 Nov 2026 11:00:00 GMT", NOW)).as("a past date").isZero();
  }

  @Test
  void absentOrMalformedValuesAreIgnoredAndHugeOnesBounded() {
    assertThat(RetryAfter.parseMs(null, NOW)).isZero();
    assertThat(RetryAfter.parseMs("soon", NOW)).isZero();
    assertThat(RetryAfter.parseMs("-5", NOW)).isZero();
    assertThat(RetryAfter.parseMs("999999999999", NOW))
        .isEqualTo(RetryAfter.DELAY_SECONDS_MAX * 1000);
  }
}
