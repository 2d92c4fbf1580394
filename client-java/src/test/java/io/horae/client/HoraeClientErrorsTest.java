package io.horae.client;

import static io.horae.client.Loopback.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.horae.api.v1.Cron;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.server.cluster.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a real cluster's errors reach the caller: the status code picks the exception type, and the
 * google.rpc details (BadRequest, RetryInfo, ErrorInfo) the server attaches are parsed into its
 * fields. The cluster's proposal queue holds a single operation, so that a burst of creates
 * overloads it; single calls never queue behind one another and are not affected.
 */
class HoraeClientErrorsTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static HoraeClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 3, Map.of("raft.proposeQueueMax", "1"));
    client = AdminClients.of(cluster).deadline(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Schedule cron(String expression, String timeZone) {
    return Schedule.newBuilder()
        .setCron(Cron.newBuilder().setExpression(expression).setTimeZone(timeZone))
        .build();
  }

  private static InvalidArgumentException refusedCreate(UnaryOperator<Job.Builder> breakIt) {
    Job bad = breakIt.apply(job("bad").toBuilder()).build();
    return catchThrowableOfType(InvalidArgumentException.class, () -> client.create(bad));
  }

  @Test
  void invalidArgumentCarriesEveryFieldViolationAndListsThemInOneLine() {
    InvalidArgumentException e =
        refusedCreate(
            j -> {
              j.getTargetBuilder().setUrl("ftp://127.0.0.1/x");
              return j.setSchedule(cron("61 * * * *", ""));
            });

    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.violations())
        .extracting(FieldViolation::field)
        .containsExactlyInAnyOrder("job.target.url", "job.schedule.cron.expression");
    assertThat(e.violations()).allSatisfy(v -> assertThat(v.description()).isNotBlank());
    assertThat(e.getMessage())
        .isEqualTo(
            e.violations().stream().map(FieldViolation::toString).collect(Collectors.joining("; ")))
        .doesNotContain("\n");
  }

  @Test
  void eachKindOfBadJobIsAnInvalidArgumentNamingItsField() {
    Map<String, UnaryOperator<Job.Builder>> cases =
        Map.of(
            "job.target.url", j -> j.setTarget(j.getTarget().toBuilder().setUrl("not a url")),
            "job.target", Job.Builder::clearTarget,
            "job.schedule", Job.Builder::clearSchedule,
            "job.schedule.cron.expression", j -> j.setSchedule(cron("x", "")),
            "job.schedule.cron.time_zone", j -> j.setSchedule(cron("0 9 * * *", "Mars/Olympus")),
            "job.name", j -> j.setName("has space"));

    cases.forEach(
        (field, breakIt) ->
            assertThat(refusedCreate(breakIt))
                .as("create with bad %s", field)
                .isNotNull()
                .satisfies(
                    e ->
                        assertThat(e.violations())
                            .extracting(FieldViolation::field)
                            .contains(field)));
    assertThat(client.listAll("")).extracting(Job::getName).doesNotContain("bad", "has space");
  }

  @Test
  void aBadNameOrPageTokenInAReadIsAnInvalidArgumentNamingItsField() {
    assertThatThrownBy(() -> client.get("", "has space"))
        .asInstanceOf(type(InvalidArgumentException.class))
        .satisfies(
            e ->
                assertThat(e.violations())
                    .extracting(FieldViolation::field)
                    .containsExactly("name"));
    assertThatThrownBy(() -> client.list("", 10, "garbage!"))
        .asInstanceOf(type(InvalidArgumentException.class))
        .satisfies(
            e ->
                assertThat(e.violations())
                    .extracting(FieldViolation::field)
                    .containsExactly("page_token"));
  }

  @Test
  void aSecondJobWithTheSameNameIsAnAlreadyExistsException() {
    client.create(job("twice"));

    assertThatThrownBy(() -> client.create(job("twice")))
        .asInstanceOf(type(AlreadyExistsException.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.ALREADY_EXISTS);
              assertThat(e.getMessage()).contains("twice").contains("already exists");
            });
  }

  @Test
  void getOrDeleteOfAMissingJobIsANotFoundException() {
    assertThatThrownBy(() -> client.get("", "missing"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("missing")
        .satisfies(e -> assertThat(((HoraeException) e).code()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(() -> client.delete("", "missing")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anOverloadedNodeGivesResourceExhaustedWithItsRetryDelayAndReason() {
    AtomicInteger burst = new AtomicInteger();
    ResourceExhaustedException e =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> overloadOnce("burst" + burst.incrementAndGet()), Objects::nonNull);

    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.retryAfter()).contains(Duration.ofMillis(200));
    assertThat(e.reason()).contains("OVERLOADED");
    assertThat(e.getMessage()).contains("queue is full");
  }

  /**
   * Sends 200 creates at once; returns the first overload refusal, or null when there was none. A
   * refused create stored nothing.
   */
  private static ResourceExhaustedException overloadOnce(String prefix) {
    var creates =
        IntStream.range(0, 200).mapToObj(i -> client.createAsync(job(prefix + "-" + i))).toList();
    ResourceExhaustedException first = null;
    for (int i = 0; i < creates.size(); i++) {
      try {
        creates.get(i).join();
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOf(ResourceExhaustedException.class);
        String name = prefix + "-" + i;
        assertThatThrownBy(() -> client.get("", name)).isInstanceOf(NotFoundException.class);
        first = first != null ? first : (ResourceExhaustedException) e.getCause();
      }
    }
    return first;
  }

  @Test
  void otherCodesArePlainHoraeExceptionsWithTheirCode() throws Exception {
    try (Loopback.Silent silent = new Loopback.Silent();
        HoraeClient quick =
            HoraeClient.builder()
                .endpoints(silent.endpoint())
                .deadline(Duration.ofMillis(300))
                .build()) {
      assertThatThrownBy(() -> quick.get("", "a"))
          .isExactlyInstanceOf(HoraeException.class)
          .satisfies(
              e ->
                  assertThat(((HoraeException) e).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }
  }

  @Test
  void asyncCallsFailWithTheTypedException() {
    assertThatThrownBy(() -> client.getAsync("", "nowhere").join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nowhere");
    assertThatThrownBy(() -> client.createAsync(job("has space")).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(InvalidArgumentException.class);
  }
}
