package io.horae.client;

import static io.horae.client.Loopback.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.Cron;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.PreviewedFire;
import io.horae.api.v1.Schedule;
import io.horae.server.cluster.MiniCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's calls against a real 3-node cluster on loopback ports: what each method stores or
 * reads, and how it turns the answer into its result, including the page-following of listAll. The
 * cluster caps pages at 10 jobs so that listings span several pages. Each test uses its own
 * namespace or job names, since the cluster is shared by the class.
 */
class HoraeClientTest {
  static final int PAGE_SIZE_MAX = 10;

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static HoraeClient client;

  @BeforeAll
  static void start() throws Exception {
    String max = String.valueOf(PAGE_SIZE_MAX);
    cluster = MiniCluster.start(tmp, 3, Map.of("api.pageSizeMax", max, "api.pageSizeDefault", max));
    client = AdminClients.of(cluster).build();
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

  private static void createAll(String namespace, String prefix, int count) {
    var futures =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    client.createAsync(
                        job(String.format("%s%02d", prefix, i)).toBuilder()
                            .setNamespace(namespace)
                            .build()))
            .toList();
    futures.forEach(CompletableFuture::join);
  }

  @Test
  void createReturnsTheStoredJobActiveAtVersionOneInTheDefaultNamespace() {
    Job created = client.create(job("created"));

    assertThat(created.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(created.getVersion()).isEqualTo(1);
    assertThat(created.getNamespace()).isEqualTo("default");
    assertThat(created.getName()).isEqualTo("created");
    assertThat(created.getTarget().getUrl()).isEqualTo("http://127.0.0.1:9/hook");
    assertThat(client.get("", "created")).isEqualTo(created);
  }

  @Test
  void eachCreateWithoutRequestIdIsANewRequest() {
    // The cluster answers a known request id with the job of the first create, whatever the name;
    // two distinct jobs therefore show that the client generated two distinct ids.
    Job a = client.create(job("gen-a"));
    Job b = client.create(job("gen-b"));

    assertThat(a.getName()).isEqualTo("gen-a");
    assertThat(b.getName()).isEqualTo("gen-b");
    assertThatThrownBy(() -> client.create(job("gen-a")))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void aCreateRepeatedWithTheSameRequestIdReturnsTheFirstJobInsteadOfAlreadyExists() {
    Job first = client.create(job("req"), "req-42");
    Job again = client.create(job("req"), "req-42");

    assertThat(again).isEqualTo(first);
    assertThat(client.listAll("").filter(j -> j.getName().equals("req"))).hasSize(1);
  }

  @Test
  void getReturnsTheJobOfThatNamespaceAndName() {
    Job created = client.create(job("a").toBuilder().setNamespace("team-get").build());

    Job job = client.get("team-get", "a");

    assertThat(job).isEqualTo(created);
    assertThat(job.getNamespace()).isEqualTo("team-get");
    assertThatThrownBy(() -> client.get("", "a")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void previewListsAJobsNextFiresFromItsLatestOccurrenceWithTheirOffsets() {
    // New Year's Day in winter time (+01:00), 1 July in summer time (+02:00).
    Schedule twiceAYear =
        Schedule.newBuilder()
            .setCron(Cron.newBuilder().setExpression("0 9 1 1,7 *").setTimeZone("Europe/Berlin"))
            .build();
    Job created = client.create(job("previewed").toBuilder().setSchedule(twiceAYear).build());

    PreviewScheduleResponse preview = client.preview("", "previewed", 3);

    assertThat(preview.getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(preview.getFiresList()).hasSize(3);
    assertThat(preview.getFires(0).getFireMs()).isEqualTo(created.getNextFireMs());
    assertThat(preview.getFiresList())
        .extracting(PreviewedFire::getUtcOffsetSeconds)
        .contains(3600, 7200);
    assertThat(preview.getFiresList())
        .allSatisfy(
            f -> {
              OffsetDateTime local =
                  Instant.ofEpochMilli(f.getFireMs())
                      .atOffset(ZoneOffset.ofTotalSeconds(f.getUtcOffsetSeconds()));
              assertThat(local.getHour()).isEqualTo(9);
              assertThat(local.getOffset())
                  .isEqualTo(ZoneId.of("Europe/Berlin").getRules().getOffset(local.toInstant()));
            });
    assertThatThrownBy(() -> client.preview("", "no-such-job", 3))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void previewOfAScheduleShowsWhatDaylightSavingDoesBeforeTheJobExists() {
    Schedule skip =
        Schedule.newBuilder()
            .setCron(
                Cron.newBuilder()
                    .setExpression("30 2 * * *")
                    .setTimeZone("Europe/Berlin")
                    .setDstGap(Cron.DstGap.DST_GAP_SKIP))
            .build();
    long fromMs = OffsetDateTime.parse("2027-03-27T12:00+01:00").toInstant().toEpochMilli();

    PreviewScheduleResponse preview =
        client.preview(
            PreviewScheduleRequest.newBuilder()
                .setSchedule(skip)
                .setFromMs(fromMs)
                .setCount(1)
                .build());

    assertThat(preview.getFiresList())
        .extracting(PreviewedFire::getFireMs)
        .as("2027-03-28 has no 02:30")
        .containsExactly(OffsetDateTime.parse("2027-03-29T02:30+02:00").toInstant().toEpochMilli());
    InvalidArgumentException e =
        catchThrowableOfType(
            InvalidArgumentException.class,
            () ->
                client.preview(
                    PreviewScheduleRequest.newBuilder().setSchedule(skip).setCount(101).build()));
    assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("count");
  }

  @Test
  void listReturnsOnePageOfTheRequestedSizeAndATokenThatContinuesIt() {
    createAll("team-list", "j", 12);

    JobPage first = client.list("team-list", 7, null);
    JobPage second = client.list("team-list", 7, first.nextPageToken());

    assertThat(first.jobs())
        .extracting(Job::getName)
        .containsExactly("j00", "j01", "j02", "j03", "j04", "j05", "j06");
    assertThat(first.hasNextPage()).isTrue();
    assertThat(second.jobs())
        .extracting(Job::getName)
        .containsExactly("j07", "j08", "j09", "j10", "j11");
    assertThat(second.hasNextPage()).isFalse();
    assertThat(second.nextPageToken()).isEmpty();
  }

  @Test
  void aPageSizeAboveTheServersMaximumIsClamped() {
    createAll("team-clamp", "j", PAGE_SIZE_MAX + 3);

    JobPage page = client.list("team-clamp", 1000, "");

    assertThat(page.jobs()).hasSize(PAGE_SIZE_MAX);
    assertThat(page.hasNextPage()).isTrue();
  }

  @Test
  void listAllFollowsPageTokensUntilTheLastPageAndReturnsEveryJobOnceInNameOrder() {
    createAll("team-all", "p", 25); // three pages of at most 10

    List<String> names = client.listAll("team-all").map(Job::getName).toList();

    assertThat(names).hasSize(25).doesNotHaveDuplicates().isSorted();
    assertThat(client.listAll("team-empty")).isEmpty();
  }

  @Test
  void listAllFetchesTheNextPageOnlyWhenItsConsumerReachesIt() {
    createAll("team-lazy", "a", PAGE_SIZE_MAX + 2);
    Iterator<Job> jobs = client.listAll("team-lazy").iterator();
    List<String> names = new ArrayList<>();
    names.add(jobs.next().getName()); // fetches the first page only

    // Created after the first page was fetched: seen only if the second page is fetched later.
    client.create(job("z-late").toBuilder().setNamespace("team-lazy").build());
    jobs.forEachRemaining(j -> names.add(j.getName()));

    assertThat(names).hasSize(PAGE_SIZE_MAX + 3).endsWith("z-late");
  }

  @Test
  void deleteRemovesTheJobAndReturnsTheCancelledPendingExecutions() {
    client.create(job("doomed").toBuilder().setNamespace("team-del").build());

    assertThat(client.delete("team-del", "doomed")).isEqualTo(1);
    assertThatThrownBy(() -> client.get("team-del", "doomed"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.delete("team-del", "doomed"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void clusterStatusShowsEveryNodeAndTheLeader() {
    ClusterStatus status = client.clusterStatus();

    assertThat(status.getLeaderId()).isEqualTo(cluster.leader().id());
    assertThat(status.getNodesList())
        .extracting(n -> n.getId())
        .containsExactlyInAnyOrder("n1", "n2", "n3");
  }

  @Test
  void asyncCallsCompleteWithTheSameResultsAsTheBlockingOnes() {
    Job created = client.createAsync(job("async")).join();

    assertThat(created.getName()).isEqualTo("async");
    assertThat(client.getAsync("", "async").join()).isEqualTo(created);
    assertThat(client.listAsync("async-ns", 0, "").join().jobs()).isEmpty();
    assertThat(client.deleteAsync("", "async").join()).isEqualTo(1);
    assertThat(client.listAll("").map(Job::getName)).doesNotContain("async");
  }

  @Test
  void concurrentCallsOnOneClientAllSucceed() {
    createAll("team-many", "j", 50);

    var gets =
        IntStream.range(0, 50)
            .mapToObj(i -> client.getAsync("team-many", String.format("j%02d", i)))
            .toList();

    assertThat(gets).allSatisfy(f -> assertThat(f.join().getNamespace()).isEqualTo("team-many"));
  }

  @Test
  void callsAfterCloseAreRejected() {
    HoraeClient closed = AdminClients.of(cluster).build();
    closed.close();

    assertThatThrownBy(() -> closed.get("", "a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aClientCertificateOfTheClusterCaIsAcceptedAsIdentity() {
    try (HoraeClient admin =
        HoraeClient.builder()
            .trustCertificates(cluster.caFile())
            .clientCertificate(cluster.certs().cert("admin"), cluster.certs().key("admin"))
            .endpoints(cluster.endpoints())
            .build()) {
      assertThat(admin.clusterStatus().getNodesCount()).isEqualTo(3);
    }
  }

  @Test
  void aClientThatTrustsTheCaButPresentsNoCredentialIsUnauthenticated() {
    try (HoraeClient anonymous =
        HoraeClient.builder()
            .trustCertificates(cluster.caFile())
            .endpoints(cluster.endpoints())
            .build()) {
      assertThatThrownBy(() -> anonymous.get("", "a"))
          .isInstanceOfSatisfying(
              HoraeException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }
  }

  @Test
  void withoutTheClusterCaTheNodesCertificatesAreNotTrusted() {
    try (HoraeClient untrusting =
        HoraeClient.builder()
            .endpoints(cluster.endpoints())
            .deadline(java.time.Duration.ofSeconds(3))
            .build()) {
      assertThatThrownBy(untrusting::clusterStatus).isInstanceOf(UnavailableException.class);
    }
  }

  @Test
  void aPlaintextClientCannotTalkToATlsCluster() {
    try (HoraeClient plain =
        HoraeClient.builder()
            .usePlaintext()
            .endpoints(cluster.endpoints())
            .deadline(java.time.Duration.ofSeconds(3))
            .build()) {
      assertThatThrownBy(plain::clusterStatus).isInstanceOf(UnavailableException.class);
    }
  }

  @Test
  void badTransportSettingsFailAtBuildNamingTheProblem() {
    assertThatThrownBy(
            () -> HoraeClient.builder().usePlaintext().trustCertificates(cluster.caFile()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plaintext");
    assertThatThrownBy(
            () -> HoraeClient.builder().trustCertificates(Path.of("/nonexistent/ca.pem")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nonexistent/ca.pem");
  }

  @Test
  void updateWithTheReadVersionChangesTheMaskedFieldsAndAStaleVersionIsFailedPrecondition() {
    Job created =
        client.create(
            job("upd-1").toBuilder().setNamespace("upd").putLabels("team", "pay").build());

    Job updated =
        client.update(
            created.toBuilder().setPriority(3).putLabels("team", "ops").build(),
            java.util.List.of("priority"),
            created.getVersion());

    assertThat(updated.getVersion()).isEqualTo(2);
    assertThat(updated.getPriority()).isEqualTo(3);
    assertThat(updated.getLabelsMap())
        .as("labels were not in the mask")
        .containsEntry("team", "pay");
    assertThatThrownBy(
            () -> client.update(created, java.util.List.of("priority"), created.getVersion()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void triggerRunsAJobNowUnderAManualIdAndListFiltersByLabels() {
    client.create(job("trig-1").toBuilder().setNamespace("trig").putLabels("team", "pay").build());
    client.create(job("trig-2").toBuilder().setNamespace("trig").putLabels("team", "ops").build());

    io.horae.api.v1.Execution run = client.trigger("trig", "trig-1");

    assertThat(run.getId()).startsWith("trig/trig-1@").endsWith(".m");
    assertThat(
            client
                .listAll(
                    io.horae.api.v1.ListJobsRequest.newBuilder()
                        .setNamespace("trig")
                        .setLabelSelector("team=pay")
                        .build())
                .map(Job::getName))
        .containsExactly("trig-1");
  }
}
