package io.horae.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.chaos.check.Event.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's files read back what was written, and the receiver log reads old and new layouts. */
class FormatsRoundTripTest {
  @TempDir Path dir;

  @Test
  void everyKindOfEventReadsBackEqual() {
    Event create =
        Event.create(1, "client-1", Type.INVOKE, "default/a", ScheduleSpec.every(1_000, 5, 3));
    List<Event> events =
        List.of(
            Event.run(0, -7, List.of("n1", "n2", "n3")),
            create,
            create.complete(Type.FAIL, 2).withError("INVALID_ARGUMENT: \"quoted\", comma"),
            Event.create(3, "client-2", Type.INVOKE, "default/b", ScheduleSpec.at(9))
                .complete(Type.INFO, 4),
            Event.cancel(5, "client-1", Type.OK, "default/a@1005"),
            Event.delete(6, "client-2", Type.OK, "default/b"),
            Event.createAfter(6, "client-3", Type.OK, "default/c", "default/a"),
            Event.update(6, "client-3", Type.OK, "default/a", ScheduleSpec.every(1_500, 7, 5)),
            Event.trigger(6, "client-3", Type.INVOKE, "default/a")
                .complete(Type.OK, 7)
                .withExecution("default/a@7.m"),
            Event.nemesis(7, Type.INVOKE, "kill", List.of("n2")),
            Event.partition(8, Type.OK, List.of(List.of("n1"), List.of("n2", "n3"))),
            Event.healAll(9),
            Event.end(10));
    Path file = dir.resolve(HistoryWriter.FILE);
    try (HistoryWriter w = new HistoryWriter(file)) {
      events.forEach(w::append);
    }
    assertThat(History.read(file).events()).isEqualTo(events);
  }

  @Test
  void concurrentAppendsNeverInterleaveLines() throws InterruptedException {
    Path file = dir.resolve(HistoryWriter.FILE);
    int threads = 8;
    int eventsPerThread = 500;
    try (HistoryWriter w = new HistoryWriter(file)) {
      List<Thread> clients = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String process = "client-" + t;
        clients.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < eventsPerThread; i++) {
                        w.append(Event.delete(i, process, Type.INVOKE, "default/job-" + i));
                      }
                    }));
      }
      for (Thread c : clients) {
        c.join();
      }
    }
    List<Event> read = History.read(file).events();
    assertThat(read).hasSize(threads * eventsPerThread);
    for (int t = 0; t < threads; t++) {
      String process = "client-" + t;
      assertThat(read.stream().filter(e -> e.process().equals(process)).map(Event::timeMs))
          .as("each writer's events in its order")
          .isSorted()
          .hasSize(eventsPerThread);
    }
  }

  @Test
  void aHistoryLineCutShortByACrashIsSkipped() throws IOException {
    Path file = dir.resolve(HistoryWriter.FILE);
    Event end = Event.end(10);
    Files.writeString(file, end.toJsonLine() + "\n{\"time_ms\":11,\"proc", StandardCharsets.UTF_8);
    assertThat(History.read(file).events()).containsExactly(end);
  }

  @Test
  void theFinalStateReadsBackEqual() {
    FinalState state =
        new FinalState(
            Map.of("n1", "abc", "n2", "abc"),
            List.of(new FinalState.Execution("default/a@5", "SUCCEEDED", 2, 5)),
            List.of(
                new FinalState.Job("default/r", "ACTIVE", ScheduleSpec.every(1_000, 0, 0)),
                new FinalState.Job("default/c", "ACTIVE", null)));
    Path file = dir.resolve(FinalState.FILE);
    state.write(file);
    assertThat(FinalState.read(file)).isEqualTo(state);
  }

  @Test
  void theReceiverLogReadsTheOldLayoutAndTheNewOne() {
    List<Delivery> old =
        DeliveryCsv.parse(
            List.of(
                "received_ms,scheduled_ms,late_ms,idempotency_key,attempt,node,attempt_time",
                "1010,1000,10,default/a@1000,1,n1,1970-01-01T00:00:01.002Z",
                "1020,1000,20,default/a@1000,null,n2,null"),
            "old");
    assertThat(old)
        .containsExactly(
            new Delivery(1010, 1000, "default/a@1000", 1, "n1", 1002L, null, null),
            new Delivery(1020, 1000, "default/a@1000", null, "n2", null, null, null));
    List<Delivery> now =
        DeliveryCsv.parse(
            List.of(
                "received_ms,scheduled_ms,late_ms,idempotency_key,attempt,node,attempt_time,scheduled_header,status,extra",
                "1010,1000,10,default/a@1000,1,n1,1970-01-01T00:00:01.002Z,1970-01-01T00:00:01Z,503,x"),
            "new");
    assertThat(now)
        .containsExactly(new Delivery(1010, 1000, "default/a@1000", 1, "n1", 1002L, 1000L, 503));
    assertThat(now.get(0).accepted()).isFalse();
    assertThat(old.get(1).startMs()).isEqualTo(1020);
  }

  @Test
  void theReportIsWrittenAsTextAndJson() throws IOException {
    Run run = Run.clean();
    run.digests.put("n3", "other");
    Report report = run.check();
    report.write(dir);
    assertThat(Files.readString(dir.resolve(Report.TEXT_FILE)))
        .startsWith("INVALID: 1 violation(s)")
        .contains("seed: 42", "DIGEST_MISMATCH cluster");
    assertThat(Files.readString(dir.resolve(Report.JSON_FILE)))
        .contains("\"kind\": \"DIGEST_MISMATCH\"", "\"seed\": 42", "\"create ok\": 2");
  }

  @Test
  void aRunDirectoryIsCheckedFromItsFilesAlone() throws IOException {
    Run run = Run.clean();
    List<Event> events = new java.util.ArrayList<>(run.events);
    events.add(Event.end(Run.END));
    new History(events).write(dir.resolve(HistoryWriter.FILE));
    StringBuilder csv =
        new StringBuilder(
            "received_ms,scheduled_ms,late_ms,idempotency_key,attempt,node,attempt_time\n");
    for (Delivery d : run.deliveries) {
      csv.append(d.receivedMs())
          .append(',')
          .append(d.scheduledMs())
          .append(",3,")
          .append(d.idempotencyKey())
          .append(",1,")
          .append(d.node())
          .append(',')
          .append(java.time.Instant.ofEpochMilli(d.attemptTimeMs()))
          .append('\n');
    }
    Files.writeString(dir.resolve(DeliveryCsv.FILE), csv);
    new FinalState(run.digests, run.executions, run.jobs).write(dir.resolve(FinalState.FILE));
    Report report = Checker.checkDir(dir, CheckOptions.defaults());
    assertThat(report.violations()).isEmpty();
    assertThat(dir.resolve(Report.TEXT_FILE)).exists();
  }
}
