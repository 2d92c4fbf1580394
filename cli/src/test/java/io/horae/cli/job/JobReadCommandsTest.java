package io.horae.cli.job;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.horae.api.v1.DeleteJobResponse;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.cli.Cli.Result;
import io.horae.cli.FakeNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code job get}, {@code job ls} and {@code job rm} against a fake node, and how their errors are
 * reported: one line on stderr, exit 1, no stack trace unless --verbose.
 */
class JobReadCommandsTest {
  private final FakeNode node = new FakeNode();

  @AfterEach
  void tearDown() {
    node.close();
  }

  private static Job job(String name) {
    return Job.newBuilder()
        .setNamespace("default")
        .setName(name)
        .setSchedule(
            Schedule.newBuilder().setAtMs(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli()))
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/" + name))
        .setState(JobState.JOB_STATE_ACTIVE)
        .setNextFireMs(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli())
        .build();
  }

  @Test
  void getPrintsTheJobAsATableRow() {
    node.onGet = r -> job(r.getName());

    Result result = horae("job", "get", "a", "--endpoints", node.endpoint());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines())
        .containsExactly(
            "NAME  SCHEDULE                 STATE   NEXT FIRE             FIRES  URL",
            "a     at 2026-11-25T10:00:00Z  ACTIVE  2026-11-25T10:00:00Z  0     "
                + " http://127.0.0.1:9/a");
  }

  @Test
  void theNamespaceMayBeGivenBeforeOrAfterTheSubcommand() {
    horae("-n", "one", "job", "get", "a", "--endpoints", node.endpoint());
    horae("job", "get", "a", "--namespace", "two", "--endpoints", node.endpoint());

    assertThat(node.gets).extracting(r -> r.getNamespace()).containsExactly("one", "two");
  }

  @Test
  void getOfAMissingJobPrintsOneLineAndExits1() {
    node.onGet =
        r -> {
          throw Status.NOT_FOUND.withDescription("no job default/a").asRuntimeException();
        };

    Result result = horae("job", "get", "a", "--endpoints", node.endpoint());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("horae: not found: no job default/a" + System.lineSeparator());
  }

  @Test
  void lsPrintsTheFirstPageAndHintsAtTheNextPageToken() {
    node.onList =
        r ->
            ListJobsResponse.newBuilder()
                .addJobs(job("a"))
                .addJobs(job("b"))
                .setNextPageToken("tok2")
                .build();

    Result result = horae("job", "ls", "--page-size", "2", "--endpoints", node.endpoint());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(3);
    assertThat(result.err()).contains("--page-token tok2");
    assertThat(node.lists.get(0).getPageSize()).isEqualTo(2);
  }

  @Test
  void lsAllFollowsThePageTokens() {
    Map<String, ListJobsResponse> pages =
        Map.of(
            "", ListJobsResponse.newBuilder().addJobs(job("a")).setNextPageToken("p2").build(),
            "p2", ListJobsResponse.newBuilder().addJobs(job("b")).build());
    node.onList = r -> pages.get(r.getPageToken());

    Result result = horae("job", "ls", "--all", "--endpoints", node.endpoint());

    assertThat(result.out().lines().skip(1).map(l -> l.split(" ")[0])).containsExactly("a", "b");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void lsJsonIsValidProtoJsonWithoutQueryStrings() throws Exception {
    Job withSecret =
        job("a").toBuilder()
            .setTarget(Target.newBuilder().setUrl("https://h/p?sig=s3cret"))
            .build();
    node.onList = r -> ListJobsResponse.newBuilder().addJobs(withSecret).build();

    Result result = horae("job", "ls", "-o", "json", "--endpoints", node.endpoint());

    ListJobsResponse.Builder parsed = ListJobsResponse.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.getJobs(0).getTarget().getUrl()).isEqualTo("https://h/p");
    assertThat(result.out()).doesNotContain("s3cret");
  }

  @Test
  void rmPrintsHowManyExecutionsWereCancelled() {
    node.onDelete = r -> DeleteJobResponse.newBuilder().setCancelledExecutions(2).build();

    Result result = horae("job", "rm", "a", "--endpoints", node.endpoint());

    assertThat(result.out())
        .isEqualTo(
            "deleted job default/a (2 pending executions cancelled)" + System.lineSeparator());
  }

  @Test
  void resourceExhaustedSaysWhenToRetry() {
    node.onDelete =
        r -> {
          throw io.grpc.protobuf.StatusProto.toStatusRuntimeException(
              com.google.rpc.Status.newBuilder()
                  .setCode(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE)
                  .setMessage("create rate over quota")
                  .addDetails(
                      com.google.protobuf.Any.pack(
                          com.google.rpc.RetryInfo.newBuilder()
                              .setRetryDelay(
                                  com.google.protobuf.Duration.newBuilder().setSeconds(3))
                              .build()))
                  .build());
        };

    Result result = horae("job", "rm", "a", "--endpoints", node.endpoint());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip())
        .isEqualTo("horae: resource exhausted: create rate over quota (retry after 3s)");
  }

  @Test
  void anUnreachableEndpointPrintsOneLineNamingItAndExits1() throws IOException {
    String closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = "127.0.0.1:" + socket.getLocalPort();
    }

    Result result = horae("job", "get", "a", "--endpoints", closed);
    Result verbose = horae("job", "get", "a", "--endpoints", closed, "--verbose");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines())
        .singleElement()
        .asString()
        .startsWith("horae: cannot reach any endpoint (" + closed + "): ");
    assertThat(verbose.err()).contains("at io.horae.");
  }
}
