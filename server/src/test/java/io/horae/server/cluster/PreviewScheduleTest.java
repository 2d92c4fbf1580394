package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Cron;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.PreviewedFire;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PreviewSchedule against a real three-node cluster: a schedule is previewed before it exists, a
 * job's preview is read like GetJob (right after a create through the leader, from a follower) and
 * continues from its latest occurrence within max_fires, and bad input is INVALID_ARGUMENT naming
 * the field. Jobs are due on 29 February at a closed loopback port; none fires while the class
 * runs.
 */
class PreviewScheduleTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static JobServiceGrpc.JobServiceBlockingStub follower;
  static JobServiceGrpc.JobServiceBlockingStub leader;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 3, Map.of());
    follower = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.follower().id()));
    leader = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.leader().id()));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster);
  }

  private static long ms(String isoWithOffset) {
    return OffsetDateTime.parse(isoWithOffset).toInstant().toEpochMilli();
  }

  private static Schedule cron(
      String expression, String zone, Cron.DstGap gap, Cron.DstOverlap overlap) {
    return Schedule.newBuilder()
        .setCron(
            Cron.newBuilder()
                .setExpression(expression)
                .setTimeZone(zone)
                .setDstGap(gap)
                .setDstOverlap(overlap))
        .build();
  }

  @Test
  void aScheduleIsPreviewedBeforeItIsCreatedWithOffsetsAndDstNotes() {
    PreviewScheduleResponse preview =
        follower.previewSchedule(
            PreviewScheduleRequest.newBuilder()
                .setSchedule(
                    cron(
                        "30 2 * * *",
                        "Europe/Berlin",
                        Cron.DstGap.DST_GAP_SHIFT,
                        Cron.DstOverlap.DST_OVERLAP_BOTH))
                .setFromMs(ms("2027-03-27T00:00+01:00"))
                .setCount(3)
                .build());

    assertThat(preview.getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(preview.getFiresList())
        .extracting(
            PreviewedFire::getFireMs,
            PreviewedFire::getUtcOffsetSeconds,
            PreviewedFire::getNote,
            PreviewedFire::getNoteText)
        .containsExactly(
            tuple(ms("2027-03-27T02:30+01:00"), 3600, PreviewedFire.Note.NOTE_NONE, ""),
            tuple(
                ms("2027-03-28T03:00+02:00"),
                7200,
                PreviewedFire.Note.NOTE_SHIFTED_GAP,
                "shifted: 02:30 does not exist (spring forward)"),
            tuple(ms("2027-03-29T02:30+02:00"), 7200, PreviewedFire.Note.NOTE_NONE, ""));

    PreviewScheduleResponse fallBack =
        follower.previewSchedule(
            PreviewScheduleRequest.newBuilder()
                .setSchedule(
                    cron(
                        "30 2 * * *",
                        "Europe/Berlin",
                        Cron.DstGap.DST_GAP_SHIFT,
                        Cron.DstOverlap.DST_OVERLAP_BOTH))
                .setFromMs(ms("2027-10-31T00:00+02:00"))
                .setCount(2)
                .build());
    assertThat(fallBack.getFiresList())
        .extracting(PreviewedFire::getNoteText)
        .containsExactly("first of two 02:30", "second of two 02:30");
  }

  @Test
  void withoutCountOrFromTheNextTenFiresFromNowAreListed() {
    long before = System.currentTimeMillis();
    PreviewScheduleResponse preview =
        follower.previewSchedule(
            PreviewScheduleRequest.newBuilder()
                .setSchedule(
                    Schedule.newBuilder().setCron(Cron.newBuilder().setExpression("0 0 * * *")))
                .build());

    assertThat(preview.getTimeZone()).isEqualTo("UTC");
    assertThat(preview.getFiresList()).hasSize(10).allMatch(f -> f.getUtcOffsetSeconds() == 0);
    assertThat(preview.getFires(0).getFireMs())
        .isGreaterThanOrEqualTo(before)
        .isLessThanOrEqualTo(before + 86_400_000L);
  }

  @Test
  void aJobsPreviewIsReadLikeGetJobAndStopsAtMaxFires() {
    Schedule leapDays =
        Schedule.newBuilder()
            .setCron(Cron.newBuilder().setExpression("0 9 29 2 *").setTimeZone("Europe/Berlin"))
            .setMaxFires(3)
            .build();
    Job created =
        leader.createJob(
            CreateJobRequest.newBuilder()
                .setJob(
                    Job.newBuilder()
                        .setName("leap")
                        .setSchedule(leapDays)
                        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook")))
                .build());

    PreviewScheduleResponse preview =
        follower.previewSchedule(
            PreviewScheduleRequest.newBuilder().setName("leap").setCount(10).build());

    assertThat(preview.getFiresList()).hasSize(3);
    assertThat(preview.getFires(0).getFireMs()).isEqualTo(created.getNextFireMs());
    for (PreviewedFire fire : preview.getFiresList()) {
      OffsetDateTime local =
          Instant.ofEpochMilli(fire.getFireMs())
              .atOffset(ZoneOffset.ofTotalSeconds(fire.getUtcOffsetSeconds()));
      assertThat(local.getMonthValue() * 100 + local.getDayOfMonth())
          .as(local.toString())
          .isEqualTo(229);
      assertThat(local.getHour()).isEqualTo(9);
      assertThat(fire.getUtcOffsetSeconds()).isEqualTo(3600);
    }
    assertThat(preview.getFiresList())
        .extracting(PreviewedFire::getFireMs)
        .isSorted()
        .doesNotHaveDuplicates();
    PreviewScheduleResponse later =
        follower.previewSchedule(
            PreviewScheduleRequest.newBuilder()
                .setName("leap")
                .setFromMs(created.getNextFireMs() + 1)
                .build());
    assertThat(later.getFiresList())
        .as("the latest occurrence is before from_ms; two more fires are left")
        .hasSize(2);
  }

  @Test
  void aMissingJobIsNotFound() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                follower.previewSchedule(
                    PreviewScheduleRequest.newBuilder().setName("missing").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void badInputIsInvalidArgumentNamingTheField() {
    Schedule daily =
        Schedule.newBuilder().setCron(Cron.newBuilder().setExpression("0 9 * * *")).build();
    assertViolation(PreviewScheduleRequest.newBuilder().setSchedule(daily).setCount(101), "count");
    assertViolation(PreviewScheduleRequest.newBuilder().setSchedule(daily).setCount(-1), "count");
    assertViolation(
        PreviewScheduleRequest.newBuilder().setSchedule(daily).setFromMs(-1), "from_ms");
    assertViolation(PreviewScheduleRequest.newBuilder(), "name");
    assertViolation(
        PreviewScheduleRequest.newBuilder().setName("leap").setSchedule(daily), "schedule");
    assertViolation(PreviewScheduleRequest.newBuilder().setName("has space"), "name");
    assertViolation(
        PreviewScheduleRequest.newBuilder()
            .setSchedule(
                Schedule.newBuilder().setCron(Cron.newBuilder().setExpression("61 * * * * *"))),
        "schedule.cron.expression");
    assertViolation(
        PreviewScheduleRequest.newBuilder()
            .setSchedule(
                Schedule.newBuilder()
                    .setCron(Cron.newBuilder().setExpression("0 9 * * *").setDstOverlapValue(9))),
        "schedule.cron.dst_overlap");
  }

  private static void assertViolation(PreviewScheduleRequest.Builder request, String field) {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> follower.previewSchedule(request.build()));
    assertThat(e).as("preview with bad %s", field).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    List<String> fields = new ArrayList<>();
    for (com.google.protobuf.Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(BadRequest.class)) {
        try {
          any.unpack(BadRequest.class)
              .getFieldViolationsList()
              .forEach(v -> fields.add(v.getField()));
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    assertThat(fields).as("violations for bad %s", field).containsExactly(field);
  }
}
