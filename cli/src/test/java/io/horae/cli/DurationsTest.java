package io.horae.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.cli.common.Durations;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms, 250",
    "90s, 90000",
    "5m, 300000",
    "1h30m, 5400000",
    "2d, 172800000",
    "1d2h3m4s5ms, 93784005"
  })
  void parsesNumberUnitParts(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "5",
        "m",
        "5x",
        "-5s",
        "1.5h",
        "5 m",
        "5M",
        "30m1h",
        "1m1m",
        "5s3",
        "0s",
        "0h0m",
        "99999999999999999d"
      })
  void rejectsMalformedZeroOrHugeTextQuotingIt(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text.isBlank() ? "empty" : "'" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({"250, 250ms", "90000, 1m30s", "5400000, 1h30m", "172800000, 2d", "0, 0s"})
  void formatsTheWayItParses(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  static LongStream seededMillis() {
    return new SplittableRandom(42).longs(200, 1, 400L * 86_400_000L);
  }

  @ParameterizedTest
  @MethodSource("seededMillis")
  void formatThenParseGivesTheSameDuration(long millis) {
    Duration duration = Duration.ofMillis(millis);

    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }
}
