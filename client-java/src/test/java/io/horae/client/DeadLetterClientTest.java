package io.horae.client;

import static io.horae.client.Loopback.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.PurgeDeadLettersRequest;
import io.horae.api.v1.PurgeDeadLettersResponse;
import io.horae.api.v1.ReplayDeadLettersRequest;
import io.horae.api.v1.ReplayDeadLettersResponse;
import io.horae.api.v1.Schedule;
import io.horae.server.cluster.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter calls and pause/resume of the client against a real one-node cluster whose pages
 * examine at most two stored entries (so listAll must follow short pages) and whose executions get
 * one attempt. Targets are a closed loopback port: due executions die at once.
 */
class DeadLetterClientTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static HoraeClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        MiniCluster.start(
            tmp,
            1,
            Map.of(
                "api.pageSizeMax",
                "2",
                "api.pageSizeDefault",
                "2",
                "api.executionScanMax",
                "2",
                "exec.retryMaxAttempts",
                "1"));
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

  @Test
  void deadLettersAreListedGotReplayedAndPurgedThroughTheClient() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Job dies =
          client.create(
              job("d" + i).toBuilder()
                  .setNamespace("dlq-client")
                  .setSchedule(Schedule.newBuilder().setAfterMs(200))
                  .build());
      ids.add(dies.getNamespace() + "/" + dies.getName() + "@" + dies.getNextFireMs());
    }
    for (String id : ids) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.executions().get(id).getStatus() == ExecutionStatus.EXECUTION_STATUS_DEAD);
    }
    DeadLetterFilter all = DeadLetterFilter.newBuilder().setNamespace("dlq-client").build();

    List<String> listed =
        client
            .deadLetters()
            .listAll(ListDeadLettersRequest.newBuilder().setFilter(all).build())
            .map(Execution::getId)
            .toList();
    Execution one = client.deadLetters().get(ids.get(0));
    ReplayDeadLettersResponse replayed =
        client
            .deadLetters()
            .replayAsync(
                ReplayDeadLettersRequest.newBuilder()
                    .addIds(ids.get(0))
                    .setDueMs(4_102_444_800_000L)
                    .build())
            .join();
    PurgeDeadLettersResponse purged =
        client.deadLetters().purge(PurgeDeadLettersRequest.newBuilder().setFilter(all).build());

    assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(one.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(replayed.getReplayed()).isEqualTo(1);
    assertThat(client.executions().get(ids.get(0)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(purged.getPurged()).as("the replayed one is no longer dead").isEqualTo(2);
    assertThatThrownBy(() -> client.deadLetters().get(ids.get(1)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () -> client.deadLetters().replay(ReplayDeadLettersRequest.getDefaultInstance()))
        .isInstanceOf(InvalidArgumentException.class)
        .satisfies(
            e ->
                assertThat(((HoraeException) e).violations())
                    .extracting(FieldViolation::field)
                    .contains("ids"));
  }

  @Test
  void pauseAndResumeReturnTheJobAndMayBeRepeated() {
    Job created = client.create(job("pausable").toBuilder().setNamespace("pausing").build());

    Job paused = client.pause("pausing", created.getName());

    assertThat(paused.getState()).isEqualTo(JobState.JOB_STATE_PAUSED);
    assertThat(client.pause("pausing", created.getName())).isEqualTo(paused);
    Job resumed = client.resume("pausing", created.getName());
    assertThat(resumed.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(client.resume("pausing", created.getName())).isEqualTo(resumed);
    assertThatThrownBy(() -> client.resume("pausing", "missing"))
        .isInstanceOf(NotFoundException.class);
  }
}
