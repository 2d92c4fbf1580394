package io.horae.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.DeleteJobResponse;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.NodeStatus;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's calls against a fake node on a loopback port: what each method sends and how it
 * turns the answer into its result, including the page-following of listAll.
 */
class HoraeClientTest {
  private final FakeHoraeServer server = FakeHoraeServer.start();
  private final HoraeClient client = HoraeClient.builder().endpoints(server.endpoint()).build();

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  static Job job(String name) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAfterMs(90_000))
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook"))
        .build();
  }

  @Test
  void createWithoutRequestIdSendsAGeneratedOneAndReturnsTheStoredJob() {
    Job created = client.create(job("a"));

    assertThat(created.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(server.creates).hasSize(1);
    assertThat(server.creates.get(0).getRequestId()).isNotBlank();
    assertThat(server.creates.get(0).getJob()).isEqualTo(job("a"));
  }

  @Test
  void eachCreateWithoutRequestIdGetsADifferentOne() {
    client.create(job("a"));
    client.create(job("b"));

    assertThat(server.creates.get(0).getRequestId())
        .isNotEqualTo(server.creates.get(1).getRequestId());
  }

  @Test
  void createWithRequestIdSendsThatId() {
    client.create(job("a"), "req-42");

    assertThat(server.creates.get(0).getRequestId()).isEqualTo("req-42");
  }

  @Test
  void getSendsNamespaceAndName() {
    Job job = client.get("team", "a");

    assertThat(job.getNamespace()).isEqualTo("team");
    assertThat(server.gets.get(0).getName()).isEqualTo("a");
  }

  @Test
  void listSendsPageSizeAndTokenAndReturnsThePage() {
    server.onList =
        r -> ListJobsResponse.newBuilder().addJobs(job("a")).setNextPageToken("t2").build();

    JobPage page = client.list("team", 7, "t1");

    assertThat(page.jobs()).containsExactly(job("a"));
    assertThat(page.nextPageToken()).isEqualTo("t2");
    assertThat(page.hasNextPage()).isTrue();
    assertThat(server.lists.get(0).getPageSize()).isEqualTo(7);
    assertThat(server.lists.get(0).getPageToken()).isEqualTo("t1");
  }

  @Test
  void listAllFollowsPageTokensAcrossEmptyPagesUntilTheLastPage() {
    Map<String, ListJobsResponse> pages =
        Map.of(
            "",
                ListJobsResponse.newBuilder()
                    .addJobs(job("a"))
                    .addJobs(job("b"))
                    .setNextPageToken("p2")
                    .build(),
            "p2", ListJobsResponse.newBuilder().setNextPageToken("p3").build(),
            "p3", ListJobsResponse.newBuilder().addJobs(job("c")).build());
    server.onList = r -> pages.get(r.getPageToken());

    assertThat(client.listAll("team").map(Job::getName)).containsExactly("a", "b", "c");
    assertThat(server.lists).extracting(r -> r.getPageToken()).containsExactly("", "p2", "p3");
    assertThat(server.lists).allSatisfy(r -> assertThat(r.getNamespace()).isEqualTo("team"));
  }

  @Test
  void listAllFetchesOnlyThePagesItsConsumerReads() {
    server.onList =
        r ->
            ListJobsResponse.newBuilder()
                .addJobs(job("j" + r.getPageToken()))
                .setNextPageToken(r.getPageToken() + "x")
                .build();

    assertThat(client.listAll("").limit(3)).hasSize(3);
    assertThat(server.lists).hasSize(3);
  }

  @Test
  void listAllStopsWhenTheServerRepeatsAPageToken() {
    server.onList = r -> ListJobsResponse.newBuilder().setNextPageToken("same").build();

    assertThatThrownBy(() -> client.listAll("").toList())
        .isInstanceOf(HoraeException.class)
        .hasMessageContaining("page token 'same'");
  }

  @Test
  void deleteReturnsTheCancelledExecutions() {
    server.onDelete = r -> DeleteJobResponse.newBuilder().setCancelledExecutions(3).build();

    assertThat(client.delete("team", "a")).isEqualTo(3);
    assertThat(server.deletes.get(0).getNamespace()).isEqualTo("team");
  }

  @Test
  void clusterStatusReturnsWhatTheNodeAnswered() {
    server.clusterStatus =
        ClusterStatus.newBuilder()
            .setLeaderId("n1")
            .addNodes(NodeStatus.newBuilder().setId("n1").setRole("LEADER"))
            .build();

    assertThat(client.clusterStatus().getLeaderId()).isEqualTo("n1");
  }

  @Test
  void asyncCallsCompleteWithTheResult() {
    CompletableFuture<Job> created = client.createAsync(job("a"));
    CompletableFuture<Integer> deleted = client.deleteAsync("", "a");

    assertThat(created.join().getName()).isEqualTo("a");
    assertThat(deleted.join()).isZero();
  }

  @Test
  void concurrentCallsOnOneClientAllSucceed() {
    var futures = IntStream.range(0, 50).mapToObj(i -> client.getAsync("", "j" + i)).toList();

    assertThat(futures).allSatisfy(f -> assertThat(f.join().getName()).startsWith("j"));
  }

  @Test
  void callsAfterCloseAreRejected() {
    client.close();

    assertThatThrownBy(() -> client.get("", "a")).isInstanceOf(IllegalStateException.class);
  }
}
