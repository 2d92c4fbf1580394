package io.horae.client;

import static io.horae.client.Loopback.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionEventKind;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.Schedule;
import io.horae.server.cluster.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The execution calls of the client against a real one-node cluster whose pages examine at most two
 * stored executions, so listings with filters come back in short pages that listAll must follow.
 * Jobs call a closed loopback port; only one is due soon, and it dies on its first try.
 */
class ExecutionClientTest {
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
  void listAllFollowsShortPagesToEveryMatch() {
    for (int i = 0; i < 6; i++) {
      client.create(job("l" + i).toBuilder().setNamespace("listall").build());
    }
    client.executions().cancel(idOf(client.get("listall", "l1")));
    client.executions().cancel(idOf(client.get("listall", "l4")));
    ListExecutionsRequest cancelled =
        ListExecutionsRequest.newBuilder()
            .setNamespace("listall")
            .addStatuses(ExecutionStatus.EXECUTION_STATUS_CANCELLED)
            .build();

    ExecutionPage first = client.executions().list(cancelled);
    List<String> all = client.executions().listAll(cancelled).map(Execution::getJobName).toList();

    assertThat(first.executions()).hasSizeLessThanOrEqualTo(1);
    assertThat(first.hasNextPage()).isTrue();
    assertThat(all).containsExactly("l1", "l4");
  }

  @Test
  void cancelReturnsTheCancelledExecutionAndIsSafeToRepeat() {
    Job created = client.create(job("cancel-me"));
    String id = idOf(created);

    Execution once = client.executions().cancel(id);
    Execution twice = client.executions().cancelAsync(id).join();

    assertThat(once.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    assertThat(twice).isEqualTo(once);
    assertThat(client.executions().get(id)).isEqualTo(once);
  }

  @Test
  void errorsArriveAsTypedExceptions() {
    assertThatThrownBy(() -> client.executions().get("default/missing@1"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.executions().cancelAsync("default/missing@1").join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.executions().cancel("not an id"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e ->
                assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("id"));
    assertThatThrownBy(
            () ->
                client
                    .executions()
                    .list(ListExecutionsRequest.newBuilder().setScheduledToMs(-1).build()))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e ->
                assertThat(e.violations())
                    .extracting(FieldViolation::field)
                    .containsExactly("scheduled_to_ms"));
  }

  @Test
  void cancellingAnExecutionThatAlreadyFinishedFailsWithFailedPrecondition() {
    Job dies =
        client.create(
            job("dies").toBuilder().setSchedule(Schedule.newBuilder().setAfterMs(200)).build());
    String id = idOf(dies);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.executions().get(id).getStatus() == ExecutionStatus.EXECUTION_STATUS_DEAD);

    assertThatThrownBy(() -> client.executions().cancel(id))
        .isInstanceOfSatisfying(
            FailedPreconditionException.class,
            e -> assertThat(e.reason()).contains("REJECT_FINISHED"))
        .hasMessageContaining("DEAD");
  }

  @Test
  void aWatchDeliversWatchingThenTheJobsChangesAndEndsQuietlyWhenClosed() {
    ConcurrentLinkedQueue<ExecutionEvent> events = new ConcurrentLinkedQueue<>();
    AtomicReference<Object> end = new AtomicReference<>();
    ExecutionWatch watch =
        client
            .executions()
            .watch(
                "",
                "watched",
                new ExecutionWatcher() {
                  @Override
                  public void onEvent(ExecutionEvent event) {
                    events.add(event);
                  }

                  @Override
                  public void onEnd(HoraeException error) {
                    end.set(error == null ? "closed" : error);
                  }
                });
    await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());

    String id = idOf(client.create(job("watched")));
    client.executions().cancel(id);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 3);
    watch.close();

    assertThat(events)
        .extracting(ExecutionEvent::getKind)
        .containsExactly(
            ExecutionEventKind.EXECUTION_EVENT_KIND_WATCHING,
            ExecutionEventKind.EXECUTION_EVENT_KIND_CREATED,
            ExecutionEventKind.EXECUTION_EVENT_KIND_UPDATED);
    assertThat(List.copyOf(events).get(2).getExecution().getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    await().atMost(Duration.ofSeconds(10)).until(() -> "closed".equals(end.get()));
  }

  @Test
  void aWatchStartsOnTheNextEndpointWhenTheFirstIsDown() {
    ConcurrentLinkedQueue<ExecutionEvent> events = new ConcurrentLinkedQueue<>();
    try (HoraeClient twoEndpoints =
            AdminClients.of(cluster)
                .endpoints(Loopback.deadEndpoint() + "," + cluster.endpoints())
                .build();
        ExecutionWatch watch =
            twoEndpoints
                .executions()
                .watch(
                    "",
                    "",
                    new ExecutionWatcher() {
                      @Override
                      public void onEvent(ExecutionEvent event) {
                        events.add(event);
                      }

                      @Override
                      public void onEnd(HoraeException error) {}
                    })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
      assertThat(events.peek().getKind())
          .isEqualTo(ExecutionEventKind.EXECUTION_EVENT_KIND_WATCHING);
      assertThat(watch).isNotNull();
    }
  }

  private static String idOf(Job job) {
    return job.getNamespace() + "/" + job.getName() + "@" + job.getNextFireMs();
  }
}
