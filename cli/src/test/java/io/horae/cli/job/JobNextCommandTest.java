package io.horae.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.PreviewedFire;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code horae job next} against a real one-node cluster: the fire times come from the cluster
 * (PreviewSchedule) and are printed in the job's local time with offsets and daylight-saving notes,
 * or as the response's proto JSON. The windows asked for lie in 2030, so the output does not depend
 * on today's date; the targets are a closed loopback port.
 */
class JobNextCommandTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(1, Map.of());

  private static final String HEADER = "FIRE" + " ".repeat(23) + "NOTE";

  @BeforeAll
  static void createJobs() {
    create("nightly", "--cron", "30 2 * * *", "--tz", "Europe/Berlin", "--dst-overlap", "both");
    create("twice", "--cron", "0 12 * * *", "--max-fires", "2");
  }

  private static void create(String name, String... schedule) {
    String[] args = new String[schedule.length + 5];
    args[0] = "job";
    args[1] = "create";
    args[2] = name;
    args[3] = "--url";
    args[4] = "http://127.0.0.1:9/" + name;
    System.arraycopy(schedule, 0, args, 5, schedule.length);
    Result r = CLUSTER.horae(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void nextListsTheFiresInLocalTimeAndSaysWhichOneASpringForwardShifted() {
    Result result =
        CLUSTER.horae("job", "next", "nightly", "-c", "3", "--from", "2030-03-30T00:00:00+01:00");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines())
        .containsExactly(
            HEADER,
            "2030-03-30T02:30:00+01:00",
            "2030-03-31T03:00:00+02:00  shifted: 02:30 does not exist (spring forward)",
            "2030-04-01T02:30:00+02:00");
  }

  @Test
  void aRepeatedTimeUnderBothIsListedAtEachShowing() {
    Result result =
        CLUSTER.horae("job", "next", "nightly", "-c", "3", "--from", "2030-10-27T00:00:00+02:00");

    assertThat(result.out().lines())
        .containsExactly(
            HEADER,
            "2030-10-27T02:30:00+02:00  first of two 02:30",
            "2030-10-27T02:30:00+01:00  second of two 02:30",
            "2030-10-28T02:30:00+01:00");
  }

  @Test
  void maxFiresEndsTheListAndUtcIsShownAsAnOffset() {
    Result result = CLUSTER.horae("job", "next", "twice");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(3).first().isEqualTo(HEADER);
    assertThat(result.out().lines().skip(1))
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT12:00:00\\+00:00"));
  }

  @Test
  void jsonOutputIsTheClustersPreview() throws Exception {
    Result result =
        CLUSTER.horae(
            "job",
            "next",
            "nightly",
            "--count",
            "2",
            "--from",
            "2030-03-30T00:00:00+01:00",
            "-o",
            "json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    PreviewScheduleResponse.Builder preview = PreviewScheduleResponse.newBuilder();
    JsonFormat.parser().merge(result.out(), preview);
    assertThat(preview.getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(preview.getFiresList())
        .extracting(PreviewedFire::getNote)
        .containsExactly(PreviewedFire.Note.NOTE_NONE, PreviewedFire.Note.NOTE_SHIFTED_GAP);
  }

  @Test
  void dashNStillNamesTheNamespaceAndCountIsDashC() {
    Result created =
        CLUSTER.horae(
            "-n",
            "team",
            "job",
            "create",
            "hourly",
            "--url",
            "http://127.0.0.1:9/x",
            "--every",
            "1h");
    assertThat(created.exitCode()).as(created.err()).isZero();

    Result result = CLUSTER.horae("job", "next", "hourly", "-n", "team", "-c", "2");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(3);
  }

  @Test
  void aMissingJobPrintsOneLineAndExits1() {
    Result result = CLUSTER.horae("job", "next", "missing");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo("horae: not found: job default/missing not found" + System.lineSeparator());
  }
}
