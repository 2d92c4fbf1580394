package io.horae.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Every;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobViewTest {

  @Test
  void describesEachScheduleKindForPeople() {
    assertThat(
            JobView.schedule(
                Schedule.newBuilder()
                    .setAtMs(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli())
                    .build()))
        .isEqualTo("at 2026-11-25T10:00:00Z");
    assertThat(JobView.schedule(Schedule.newBuilder().setAfterMs(90_000).build()))
        .isEqualTo("in 1m30s");
    assertThat(
            JobView.schedule(
                Schedule.newBuilder().setEvery(Every.newBuilder().setIntervalMs(300_000)).build()))
        .isEqualTo("every 5m");
    assertThat(
            JobView.schedule(
                Schedule.newBuilder()
                    .setCron(
                        Cron.newBuilder().setExpression("0 9 * * 1-5").setTimeZone("Europe/Berlin"))
                    .build()))
        .isEqualTo("cron '0 9 * * 1-5' Europe/Berlin");
    assertThat(
            JobView.schedule(
                Schedule.newBuilder().setCron(Cron.newBuilder().setExpression("@daily")).build()))
        .isEqualTo("cron '@daily' UTC");
    assertThat(JobView.schedule(Schedule.getDefaultInstance())).isEqualTo("-");
  }

  @Test
  void showsStatesWithoutTheirPrefix() {
    assertThat(JobView.state(JobState.JOB_STATE_PAUSED)).isEqualTo("PAUSED");
  }
}
