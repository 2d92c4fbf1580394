package io.horae.cli.job;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.Cron;
import io.horae.api.v1.Every;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.cli.Cli.Result;
import io.horae.cli.FakeNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code horae job create} against a fake node on a loopback port: the flags become the Job proto
 * the node receives, and the node's answer is printed as a table or JSON.
 */
class JobCreateCommandTest {
  private final FakeNode node = new FakeNode();

  @AfterEach
  void tearDown() {
    node.close();
  }

  private Result create(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "job";
    all[1] = "create";
    System.arraycopy(args, 0, all, 2, args.length);
    all[all.length - 2] = "--endpoints";
    all[all.length - 1] = node.endpoint();
    return horae(all);
  }

  private Job sentJob() {
    assertThat(node.creates).hasSize(1);
    return node.creates.get(0).getJob();
  }

  @Test
  void createSendsTheExpectedJobAndPrintsItWithoutTheQueryString() {
    Result result =
        horae(
            "-n",
            "team",
            "job",
            "create",
            "nightly",
            "--url",
            "https://hooks.example/x?token=s3cret",
            "--in",
            "90s",
            "--header",
            "X-Team: billing",
            "--body",
            "{\"report\": \"daily\"}",
            "--method",
            "put",
            "--priority",
            "2",
            "--max-attempts",
            "5",
            "--request-id",
            "r-1",
            "--endpoints",
            node.endpoint());

    assertThat(result.exitCode()).as(result.err()).isZero();
    Job expected =
        Job.newBuilder()
            .setNamespace("team")
            .setName("nightly")
            .setSchedule(Schedule.newBuilder().setAfterMs(90_000))
            .setTarget(
                Target.newBuilder()
                    .setUrl("https://hooks.example/x?token=s3cret")
                    .setMethod("PUT")
                    .addHeaders(Header.newBuilder().setName("X-Team").setValue("billing"))
                    .addHeaders(
                        Header.newBuilder().setName("Content-Type").setValue("application/json"))
                    .setBody(ByteString.copyFromUtf8("{\"report\": \"daily\"}")))
            .setPriority(2)
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(5))
            .build();
    assertThat(sentJob()).isEqualTo(expected);
    assertThat(node.creates.get(0).getRequestId()).isEqualTo("r-1");
    assertThat(result.out())
        .contains("NAME", "SCHEDULE", "NEXT FIRE")
        .contains("nightly", "in 1m30s", "ACTIVE", "https://hooks.example/x")
        .doesNotContain("s3cret");
  }

  @Test
  void aBodyFromAFileIsSentAsItsBytesWithoutAContentTypeWhenItIsNotJson(@TempDir Path dir)
      throws Exception {
    byte[] bytes = {'a', '=', '1', '\n', (byte) 0xff};
    Path file = Files.write(dir.resolve("body.bin"), bytes);

    Result result = create("a", "--url", "http://x", "--in", "5m", "--body", "@" + file);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(sentJob().getTarget().getBody().toByteArray()).isEqualTo(bytes);
    assertThat(sentJob().getTarget().getHeadersList()).isEmpty();
  }

  @Test
  void aJsonBodyKeepsTheContentTypeTheCallerGave() {
    create(
        "a",
        "--url",
        "http://x",
        "--in",
        "5m",
        "--body",
        "[1,2]",
        "--header",
        "content-type: application/vnd.x+json");

    assertThat(sentJob().getTarget().getHeadersList())
        .containsExactly(
            Header.newBuilder().setName("content-type").setValue("application/vnd.x+json").build());
  }

  @Test
  void cronWithZoneMapsToTheCronSchedule() {
    create("a", "--url", "http://x", "--cron", "0 9 * * 1-5", "--tz", "Europe/Berlin");

    assertThat(sentJob().getSchedule())
        .isEqualTo(
            Schedule.newBuilder()
                .setCron(
                    Cron.newBuilder().setExpression("0 9 * * 1-5").setTimeZone("Europe/Berlin"))
                .build());
  }

  @Test
  void everyMapsToTheInterval() {
    create("a", "--url", "http://x", "--every", "1h30m");

    assertThat(sentJob().getSchedule().getEvery())
        .isEqualTo(Every.newBuilder().setIntervalMs(5_400_000).build());
  }

  @Test
  void atAcceptsAnInstantOrAnOffsetDateTime() {
    create("a", "--url", "http://x", "--at", "2026-11-25T11:00:00+01:00");

    assertThat(sentJob().getSchedule().getAtMs())
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli());
  }

  @Test
  void withoutRequestIdTheClientSendsAGeneratedOne() {
    create("a", "--url", "http://x", "--in", "5m");

    assertThat(node.creates.get(0).getRequestId()).isNotBlank();
  }

  @Test
  void jsonOutputIsValidProtoJsonOfTheStoredJob() throws Exception {
    Result result = create("a", "--url", "http://x/hook", "--every", "5m", "-o", "json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    Job.Builder parsed = Job.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.build()).isEqualTo(node.onCreate.apply(node.creates.get(0)));
    assertThat(result.out()).contains("\"state\": \"JOB_STATE_ACTIVE\"");
  }

  @Test
  void invalidArgumentFromTheServerPrintsTheViolationsInOneLineAndExits1() {
    node.onCreate =
        r -> {
          throw StatusProto.toStatusRuntimeException(
              com.google.rpc.Status.newBuilder()
                  .setCode(Code.INVALID_ARGUMENT_VALUE)
                  .setMessage("invalid job")
                  .addDetails(
                      Any.pack(
                          BadRequest.newBuilder()
                              .addFieldViolations(
                                  BadRequest.FieldViolation.newBuilder()
                                      .setField("schedule.cron.expression")
                                      .setDescription("'61 * * * *': minute must be 0..59"))
                              .addFieldViolations(
                                  BadRequest.FieldViolation.newBuilder()
                                      .setField("target.url")
                                      .setDescription("must be http or https"))
                              .build()))
                  .build());
        };

    Result result = create("a", "--url", "ftp://x", "--cron", "61 * * * *");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "horae: invalid argument: schedule.cron.expression: '61 * * * *': minute must be 0..59;"
                + " target.url: must be http or https"
                + System.lineSeparator());
  }
}
