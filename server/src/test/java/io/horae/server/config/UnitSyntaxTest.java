package io.horae.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations and byte sizes: what parses, what is refused, and that format reads back exactly. */
class UnitSyntaxTest {

  @ParameterizedTest(name = "{0} is {1} ms and prints as {2}")
  @CsvSource({
    "250ms, 250, 250ms",
    "1000ms, 1000, 1s",
    "5s, 5000, 5s",
    "2m, 120000, 2m",
    "90s, 90000, 90s",
    "1h, 3600000, 1h",
    "24h, 86400000, 1d",
    "1d, 86400000, 1d",
    "0s, 0, 0s",
  })
  void durationsParseAndFormatToTheShortestExactSpelling(
      String text, long millis, String formatted) {
    Duration d = Durations.parse(text);

    assertThat(d).isEqualTo(Duration.ofMillis(millis));
    assertThat(Durations.format(d)).isEqualTo(formatted);
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(
      strings = {
        "",
        "5",
        "s",
        "5 s",
        "5sec",
        "5S",
        "1.5s",
        "-1s",
        "+1s",
        "1w",
        "9999999999999999999d"
      })
  void malformedDurationsAreRefusedWithTheRule(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(Durations.RULE);
  }

  @ParameterizedTest(name = "{0} is {1} bytes and prints as {2}")
  @CsvSource({
    "65536, 65536, 64KiB",
    "64KiB, 65536, 64KiB",
    "1MiB, 1048576, 1MiB",
    "1024KiB, 1048576, 1MiB",
    "1GiB, 1073741824, 1GiB",
    "1000, 1000, 1000",
    "0, 0, 0",
  })
  void byteSizesParseAndFormatToTheShortestExactSpelling(
      String text, long bytes, String formatted) {
    assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    assertThat(ByteSizes.format(bytes)).isEqualTo(formatted);
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(
      strings = {
        "",
        "KiB",
        "64KB",
        "64kib",
        "1MB",
        "64 KiB",
        "-1",
        "1.5MiB",
        "999999999999999999GiB"
      })
  void malformedByteSizesAreRefusedWithTheRule(String text) {
    assertThatThrownBy(() -> ByteSizes.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(ByteSizes.RULE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "127.0.0.1:7070, 127.0.0.1, 7070, 127.0.0.1:7070",
    "LocalHost:1, localhost, 1, localhost:1",
    "[::1]:7170, ::1, 7170, [::1]:7170",
    "node-3.example.org:65535, node-3.example.org, 65535, node-3.example.org:65535",
  })
  void hostPortsParseAndPrintBack(String text, String host, int port, String printed) {
    HostPort hp = HostPort.parse(text);

    assertThat(hp).isEqualTo(new HostPort(host, port));
    assertThat(hp.toString()).isEqualTo(printed);
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(
      strings = {"", "host", ":80", "host:", "host:http", "::1:80", "a b:80", "host:123456"})
  void malformedHostPortsAreRefused(String text) {
    assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
