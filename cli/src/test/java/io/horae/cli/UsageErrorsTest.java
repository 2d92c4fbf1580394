package io.horae.cli;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.cli.Cli.Result;
import org.junit.jupiter.api.Test;

/**
 * Usage errors are caught while parsing, before any call: exit code 2, and the first line of stderr
 * is one line that names the offending flag. The endpoint is a port nothing listens on, so a test
 * that got past parsing by mistake would fail with exit 1 instead.
 */
class UsageErrorsTest {
  private static final String NOWHERE = "--endpoints=127.0.0.1:1";

  private static String firstLine(Result result) {
    return result.err().lines().findFirst().orElse("");
  }

  @Test
  void anUnknownFlagExitsWith2AndNamesTheFlag() {
    Result result = horae("job", "ls", "--colour", NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).startsWith("horae: ").contains("'--colour'");
    assertThat(result.err()).doesNotContain("at io.horae");
  }

  @Test
  void twoScheduleKindsExitWith2() {
    Result result =
        horae("job", "create", "a", "--url", "http://x", "--in", "5m", "--every", "1h", NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result))
        .contains("--in")
        .contains("--every")
        .contains("mutually exclusive");
  }

  @Test
  void noScheduleKindExitsWith2() {
    Result result = horae("job", "create", "a", "--url", "http://x", NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("--at").contains("--cron");
  }

  @Test
  void tzWithoutCronExitsWith2NamingTz() {
    Result result =
        horae(
            "job",
            "create",
            "a",
            "--url",
            "http://x",
            "--in",
            "5m",
            "--tz",
            "Europe/Berlin",
            NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).isEqualTo("horae: --tz is only allowed with --cron");
  }

  @Test
  void aBadDurationExitsWith2NamingIn() {
    Result result = horae("job", "create", "a", "--url", "http://x", "--in", "5x", NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--in'").contains("'5x'");
  }

  @Test
  void aBadTimeExitsWith2NamingAt() {
    Result result = horae("job", "create", "a", "--url", "http://x", "--at", "tomorrow", NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--at'").contains("ISO-8601");
  }

  @Test
  void anUnknownZoneExitsWith2NamingTz() {
    Result result =
        horae(
            "job",
            "create",
            "a",
            "--url",
            "http://x",
            "--cron",
            "@daily",
            "--tz",
            "Mars/Base",
            NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--tz'").contains("Mars/Base");
  }

  @Test
  void aHeaderWithoutColonExitsWith2WithoutEchoingTheValue() {
    Result result =
        horae(
            "job",
            "create",
            "a",
            "--url",
            "http://x",
            "--in",
            "5m",
            "--header",
            "Bearer s3cret",
            NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result))
        .contains("'--header'")
        .contains("Name:Value")
        .doesNotContain("s3cret");
  }

  @Test
  void aPriorityOutOfRangeExitsWith2NamingPriority() {
    Result result =
        horae("job", "create", "a", "--url", "http://x", "--in", "5m", "--priority", "4", NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--priority'").contains("0..3");
  }

  @Test
  void aBackoffMultiplierOutOfRangeExitsWith2NamingIt() {
    Result result =
        horae(
            "job",
            "create",
            "a",
            "--url",
            "http://x",
            "--in",
            "5m",
            "--backoff-multiplier",
            "0.5",
            NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--backoff-multiplier'").contains("between 1 and 10");
  }

  @Test
  void aZeroRetryDeadlineExitsWith2NamingIt() {
    Result result =
        horae(
            "job",
            "create",
            "a",
            "--url",
            "http://x",
            "--in",
            "5m",
            "--retry-deadline",
            "0s",
            NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--retry-deadline'");
  }

  @Test
  void aMissingBodyFileExitsWith2NamingBody() {
    Result result =
        horae(
            "job",
            "create",
            "a",
            "--url",
            "http://x",
            "--in",
            "5m",
            "--body",
            "@/nonexistent/b.json",
            NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--body'").contains("/nonexistent/b.json");
  }

  @Test
  void aMalformedEndpointExitsWith2NamingEndpoints() {
    Result result = horae("job", "get", "a", "--endpoints", "localhost");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--endpoints'").contains("host:port");
  }

  @Test
  void aBadTimeoutExitsWith2NamingTimeout() {
    Result result = horae("--timeout", "0s", "job", "get", "a", NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("'--timeout'");
  }

  @Test
  void aBadOutputFormatExitsWith2NamingOutput() {
    Result result = horae("job", "get", "a", "-o", "xml", NOWHERE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("--output");
  }

  @Test
  void aGroupCommandWithoutSubcommandExitsWith2() {
    Result result = horae("job");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(firstLine(result)).contains("subcommand");
  }

  @Test
  void helpOfASubcommandExitsWith0AndListsItsOptions() {
    Result result = horae("job", "create", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("--url").contains("--cron").contains("--endpoints");
  }

  @Test
  void versionIsDevWhenNotRunFromAJar() {
    Result result = horae("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().strip()).isEqualTo("horae dev");
  }
}
