package io.horae.client;

import static io.horae.client.Loopback.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.horae.api.v1.CreateJobOutcome;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsResponse;
import io.horae.server.cluster.MiniCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CreateJobs against a real 3-node cluster whose batch limit is 5: all-or-nothing validation, one
 * outcome per item, and request ids that make a repeated batch harmless. Each test uses its own
 * namespace.
 */
class JobBatchClientTest {
  static final int BATCH_MAX = 5;
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static HoraeClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 3, Map.of("api.createBatchMax", String.valueOf(BATCH_MAX)));
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

  private static List<CreateJobRequest> requests(String namespace, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                CreateJobRequest.newBuilder()
                    .setJob(job("j" + i).toBuilder().setNamespace(namespace))
                    .build())
        .toList();
  }

  @Test
  void everyItemOfAValidBatchIsCreatedAndAnsweredInOrder() {
    CreateJobsResponse r = client.batches().create(requests("batch-ok", BATCH_MAX));

    assertThat(r.getResultsList()).extracting(CreateJobOutcome::getCode).containsOnly(0);
    assertThat(r.getResultsList())
        .extracting(o -> o.getJob().getName())
        .containsExactly("j0", "j1", "j2", "j3", "j4");
    assertThat(client.listAll("batch-ok").count()).isEqualTo(BATCH_MAX);
  }

  @Test
  void oneInvalidItemRefusesTheWholeBatchNamingItsIndexAndWritesNothing() {
    List<CreateJobRequest> batch = new ArrayList<>(requests("batch-bad", 3));
    CreateJobRequest bad = batch.get(1);
    batch.set(1, bad.toBuilder().setJob(bad.getJob().toBuilder().clearTarget()).build());

    InvalidArgumentException e =
        catchThrowableOfType(InvalidArgumentException.class, () -> client.batches().create(batch));

    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.violations())
        .extracting(FieldViolation::field)
        .containsExactly("jobs[1].job.target");
    assertThat(client.listAll("batch-bad").count()).isZero();
  }

  @Test
  void aBatchLargerThanTheLimitIsRefused() {
    InvalidArgumentException e =
        catchThrowableOfType(
            InvalidArgumentException.class,
            () -> client.batches().create(requests("batch-big", BATCH_MAX + 1)));

    assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("jobs");
    assertThat(client.listAll("batch-big").count()).isZero();
  }

  @Test
  void anExistingNameFailsOnlyItsOwnItem() {
    client.create(job("j1").toBuilder().setNamespace("batch-dup").build());

    CreateJobsResponse r = client.batches().create(requests("batch-dup", 3));

    assertThat(r.getResultsList())
        .extracting(CreateJobOutcome::getCode)
        .containsExactly(0, Status.Code.ALREADY_EXISTS.value(), 0);
    assertThat(r.getResults(1).getMessage()).contains("j1");
    assertThat(client.listAll("batch-dup").count()).isEqualTo(3);
  }

  @Test
  void repeatingABatchWithItsRequestIdsReturnsTheFirstResultsAndCreatesNothingTwice() {
    List<CreateJobRequest> batch =
        requests("batch-again", 3).stream()
            .map(r -> r.toBuilder().setRequestId("again-" + r.getJob().getName()).build())
            .toList();

    CreateJobsResponse first = client.batches().create(batch);
    CreateJobsResponse second = client.batches().create(batch);

    assertThat(second.getResultsList()).extracting(CreateJobOutcome::getCode).containsOnly(0);
    assertThat(second.getResultsList())
        .extracting(o -> o.getJob().getCreateTimeMs())
        .containsExactlyElementsOf(
            first.getResultsList().stream().map(o -> o.getJob().getCreateTimeMs()).toList());
    assertThat(client.listAll("batch-again").count()).isEqualTo(3);
  }
}
