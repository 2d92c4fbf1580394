package io.horae.cli.job;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.cli.Cli.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad --dst-gap, --dst-overlap, --end-at, --max-fires, or job next -c/--count / --from is a usage
 * error caught before any call: exit code 2 and a first line that names the flag and the value. The
 * endpoint is a port nothing listens on, so a run that got past parsing would exit 1 instead.
 */
class ScheduleFlagsUsageTest {
  private static final String NOWHERE = "--endpoints=127.0.0.1:1";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--cron @daily --dst-gap sometimes      | Invalid value for option '--dst-gap': 'sometimes'"
            + " is not shift or skip",
        "--cron @daily --dst-overlap twice      | Invalid value for option '--dst-overlap': 'twice'"
            + " is not first, last or both",
        "--every 1h --dst-gap skip              | --dst-gap is only allowed with --cron",
        "--every 1h --dst-overlap both          | --dst-overlap is only allowed with --cron",
        "--every 1h --max-fires 0               | Invalid value for option '--max-fires': 0 is not"
            + " at least 1",
        "--every 1h --max-fires many            | Invalid value for option '--max-fires'",
        "--every 1h --end-at tomorrow           | Invalid value for option '--end-at'",
        "--every 1h --end-at 2020-01-01T00:00:00Z | Invalid value for option '--end-at':"
            + " 2020-01-01T00:00:00Z is not in the future",
        "--at 2099-01-02T00:00:00Z --end-at 2099-01-01T00:00:00Z | Invalid value for option"
            + " '--end-at': 2099-01-01T00:00:00Z is before --at"
      })
  void aBadScheduleFlagOfJobCreateExitsWith2NamingIt(String flags, String message) {
    String[] args = ("job create a --url http://127.0.0.1:9/x " + flags + " " + NOWHERE).split(" ");

    Result result = horae(args);

    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(firstLine(result)).startsWith("horae: " + message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-c 0                | Invalid value for option '--count': 0 is not in 1..100",
        "--count 101         | Invalid value for option '--count': 101 is not in 1..100",
        "-c ten              | Invalid value for option '--count'",
        "--from yesterday    | Invalid value for option '--from'"
      })
  void aBadFlagOfJobNextExitsWith2NamingIt(String flags, String message) {
    String[] args = ("job next a " + flags + " " + NOWHERE).split(" ");

    Result result = horae(args);

    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(firstLine(result)).startsWith("horae: " + message);
  }

  private static String firstLine(Result result) {
    return result.err().lines().findFirst().orElse("");
  }
}
