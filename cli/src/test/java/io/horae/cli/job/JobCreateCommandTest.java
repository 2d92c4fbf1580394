package io.horae.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.Cron;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import io.horae.internal.v1.RequestRecord;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.storage.RocksStore;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code horae job create} against a real one-node cluster: the flags become the job the cluster
 * stores (read back through the API), and the cluster's answer is printed as a table or JSON.
 * Target URLs point at a closed loopback port; no job fires while the class runs.
 */
class JobCreateCommandTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(1, Map.of());

  private static final String URL = "http://127.0.0.1:9/hook";

  private static Result create(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "job";
    all[1] = "create";
    System.arraycopy(args, 0, all, 2, args.length);
    return CLUSTER.horae(all);
  }

  private static Job stored(String name) {
    return CLUSTER.storedJob("default", name);
  }

  /** The request records node n1 keeps for a namespace, by request id. */
  private static Map<String, RequestRecord> requestRecords(String namespace) {
    RocksStore store = CLUSTER.cluster().node("n1").store();
    byte[] from = Keys.request(namespace, "");
    Map<String, RequestRecord> records = new LinkedHashMap<>();
    store.scan(
        Family.REQUESTS,
        from,
        Keys.prefixEnd(from),
        100,
        (key, value) -> {
          String id =
              new String(Arrays.copyOfRange(key, from.length, key.length), StandardCharsets.UTF_8);
          try {
            records.put(id, RequestRecord.parseFrom(value));
          } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
          }
          return true;
        });
    return records;
  }

  @Test
  void theClusterStoresTheJobTheFlagsDescribeAndTheOutputHidesTheQueryString() {
    String[] args = {
      "-n",
      "team",
      "job",
      "create",
      "nightly",
      "--url",
      URL + "?token=s3cret",
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
      "--initial-backoff",
      "2s",
      "--max-backoff",
      "1m",
      "--backoff-multiplier",
      "1.5",
      "--retry-deadline",
      "1h",
      "--retry-on",
      "429,503",
      "--delivery-timeout",
      "20s",
      "--connect-timeout",
      "3s",
      "--traceparent",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "--request-id",
      "r-1"
    };
    long before = System.currentTimeMillis();
    Result result = CLUSTER.horae(args);
    long after = System.currentTimeMillis();

    assertThat(result.exitCode()).as(result.err()).isZero();
    Job stored = CLUSTER.storedJob("team", "nightly");
    // The server turns "in 90s" into the instant it means.
    assertThat(stored.getSchedule().getAtMs()).isBetween(before + 90_000, after + 90_000);
    Job expected =
        Job.newBuilder()
            .setNamespace("team")
            .setName("nightly")
            .setSchedule(Schedule.newBuilder().setAtMs(stored.getSchedule().getAtMs()))
            .setTarget(
                Target.newBuilder()
                    .setUrl(URL + "?token=s3cret")
                    .setMethod("PUT")
                    .addHeaders(Header.newBuilder().setName("X-Team").setValue("billing"))
                    .addHeaders(
                        Header.newBuilder().setName("Content-Type").setValue("application/json"))
                    .setBody(ByteString.copyFromUtf8("{\"report\": \"daily\"}"))
                    .setTimeoutMs(20_000)
                    .setConnectTimeoutMs(3_000))
            .setPriority(2)
            .setRetry(
                RetryPolicy.newBuilder()
                    .setMaxAttempts(5)
                    .setInitialBackoffMs(2_000)
                    .setMaxBackoffMs(60_000)
                    .setMultiplier(1.5)
                    .setRetryDeadlineMs(3_600_000)
                    .addRetryStatuses(429)
                    .addRetryStatuses(503))
            .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .build();
    assertThat(withoutServerFields(stored)).isEqualTo(expected);
    assertThat(stored.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(result.out().lines())
        .hasSize(2)
        .first()
        .asString()
        .contains("NAME", "SCHEDULE", "NEXT FIRE");
    assertThat(result.out())
        .contains("nightly", "at " + Instant.ofEpochMilli(stored.getSchedule().getAtMs()))
        .contains("ACTIVE", URL)
        .doesNotContain("s3cret");
  }

  @Test
  void theRequestIdIsSentSoRepeatingTheCreateReturnsTheFirstResult() {
    String[] args = {"job", "create", "once", "--url", URL, "--in", "5m", "--request-id", "r-2"};

    Result first = CLUSTER.horae(args);
    Result again = CLUSTER.horae(args);
    Result otherId = create("once", "--url", URL, "--in", "5m", "--request-id", "r-3");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(requestRecords("default")).containsKey("r-2");
    assertThat(requestRecords("default").get("r-2").getJob()).isEqualTo(stored("once"));
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).isEqualTo(first.out());
    assertThat(otherId.exitCode()).isEqualTo(1);
    assertThat(otherId.err())
        .isEqualTo(
            "horae: already exists: job default/once already exists" + System.lineSeparator());
  }

  @Test
  void withoutRequestIdTheClientSendsAGeneratedOne() {
    Result result =
        CLUSTER.horae("-n", "generated", "job", "create", "a", "--url", URL, "--in", "5m");

    assertThat(result.exitCode()).as(result.err()).isZero();
    // The cluster keeps a request record only for a create that carried a request id.
    assertThat(requestRecords("generated").entrySet())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).isNotBlank();
              assertThat(e.getValue().getJob().getName()).isEqualTo("a");
            });
  }

  @Test
  void aBodyFromAFileIsStoredAsItsBytesWithoutAContentTypeWhenItIsNotJson(@TempDir Path dir)
      throws Exception {
    byte[] bytes = {'a', '=', '1', '\n', (byte) 0xff};
    Path file = Files.write(dir.resolve("body.bin"), bytes);

    Result result = create("file-body", "--url", URL, "--in", "5m", "--body", "@" + file);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored("file-body").getTarget().getBody().toByteArray()).isEqualTo(bytes);
    assertThat(stored("file-body").getTarget().getHeadersList()).isEmpty();
  }

  @Test
  void aJsonBodyKeepsTheContentTypeTheCallerGave() {
    Result result =
        create(
            "typed-body",
            "--url",
            URL,
            "--in",
            "5m",
            "--body",
            "[1,2]",
            "--header",
            "content-type: application/vnd.x+json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored("typed-body").getTarget().getHeadersList())
        .containsExactly(
            Header.newBuilder().setName("content-type").setValue("application/vnd.x+json").build());
  }

  @Test
  void cronWithZoneIsStoredAsTheCronSchedule() {
    Result result = create("cron", "--url", URL, "--cron", "0 9 * * 1-5", "--tz", "Europe/Berlin");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored("cron").getSchedule())
        .isEqualTo(
            Schedule.newBuilder()
                .setCron(
                    Cron.newBuilder().setExpression("0 9 * * 1-5").setTimeZone("Europe/Berlin"))
                .build());
  }

  @Test
  void dstPoliciesAndLimitsAreStoredInTheScheduleAndShownByGet() {
    Result result =
        create(
            "dst",
            "--url",
            URL,
            "--cron",
            "15 30 2 * * *",
            "--tz",
            "Europe/Berlin",
            "--dst-gap",
            "skip",
            "--dst-overlap",
            "BOTH",
            "--end-at",
            "2099-01-01T00:00:00Z",
            "--max-fires",
            "5");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored("dst").getSchedule())
        .isEqualTo(
            Schedule.newBuilder()
                .setCron(
                    Cron.newBuilder()
                        .setExpression("15 30 2 * * *")
                        .setTimeZone("Europe/Berlin")
                        .setDstGap(Cron.DstGap.DST_GAP_SKIP)
                        .setDstOverlap(Cron.DstOverlap.DST_OVERLAP_BOTH))
                .setEndAtMs(Instant.parse("2099-01-01T00:00:00Z").toEpochMilli())
                .setMaxFires(5)
                .build());
    assertThat(CLUSTER.horae("job", "get", "dst").out())
        .contains(
            "cron '15 30 2 * * *' Europe/Berlin, dst-gap skip, dst-overlap both,"
                + " until 2099-01-01T00:00:00Z, at most 5 fires");
  }

  @Test
  void defaultDstPoliciesAreNotShownByGet() {
    Result result =
        create(
            "plain-night",
            "--url",
            URL,
            "--cron",
            "30 2 * * *",
            "--tz",
            "Europe/Berlin",
            "--dst-gap",
            "shift",
            "--dst-overlap",
            "first");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored("plain-night").getSchedule().getCron().getDstGap())
        .isEqualTo(Cron.DstGap.DST_GAP_SHIFT);
    assertThat(CLUSTER.horae("job", "get", "plain-night").out())
        .contains("cron '30 2 * * *' Europe/Berlin ")
        .doesNotContain("dst-gap", "dst-overlap");
  }

  @Test
  void everyIsStoredAsTheInterval() {
    Result result = create("every", "--url", URL, "--every", "1h30m");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored("every").getSchedule().getEvery().getIntervalMs()).isEqualTo(5_400_000);
  }

  @Test
  void atAcceptsAnOffsetDateTime() {
    Result result = create("at", "--url", URL, "--at", "2099-11-25T11:00:00+01:00");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stored("at").getSchedule().getAtMs())
        .isEqualTo(Instant.parse("2099-11-25T10:00:00Z").toEpochMilli());
  }

  @Test
  void jsonOutputIsValidProtoJsonOfTheStoredJob() throws Exception {
    Result result = create("json", "--url", URL, "--every", "5m", "-o", "json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    Job.Builder parsed = Job.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.build()).isEqualTo(stored("json"));
    assertThat(result.out()).contains("\"state\": \"JOB_STATE_ACTIVE\"");
  }

  @Test
  void invalidArgumentFromTheServerPrintsTheViolationsInOneLineAndExits1() {
    Result result = create("invalid", "--url", "ftp://127.0.0.1/x", "--cron", "61 * * * *");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    // Every violation, in the server's order, "field: description" joined by "; ".
    assertThat(result.err()).endsWith(System.lineSeparator());
    assertThat(result.err().lines())
        .singleElement()
        .asString()
        .startsWith(
            "horae: invalid argument: job.target.url: must be an http or https URL;"
                + " job.schedule.cron.expression: '61 * * * *' is not a valid Unix cron expression")
        .endsWith("Value 61 not in range [0, 59]");
    assertThat(create("invalid", "--url", URL, "--in", "5m").exitCode()).isZero();
  }

  private static Job withoutServerFields(Job job) {
    return job.toBuilder()
        .clearState()
        .clearVersion()
        .clearCreateTimeMs()
        .clearUpdateTimeMs()
        .clearNextFireMs()
        .clearFireCount()
        .clearScheduleVersion()
        .clearRescheduledNextMs()
        .build();
  }
}
