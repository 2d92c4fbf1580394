package io.horae.chaos;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.horae.api.v1.Every;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.chaos.check.Event;
import io.horae.chaos.check.HistoryWriter;
import io.horae.chaos.check.ScheduleSpec;
import io.horae.client.HoraeClient;
import io.horae.client.HoraeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One client of the chaos workload: a loop of operations chosen by a seeded random source, each
 * recorded with its outcome. It creates one-shot jobs due from now to a few seconds ahead and short
 * recurring jobs (every 1-2 s, at most 5 occurrences), cancels pending executions of its own
 * one-shots, deletes, pauses, updates (a new interval) and runs now its own recurring jobs, and
 * creates jobs that run after one of them. Creates carry a client request id. Paced: at most one
 * operation per {@code pauseMs}; bounded by the run's stop latch.
 */
final class ClientWorkload implements Runnable {
  static final int MAX_FIRES = 5;

  /** Codes after which the operation definitely did not happen. */
  private static final Set<Status.Code> DEFINITE =
      Set.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.ALREADY_EXISTS,
          Status.Code.NOT_FOUND,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED);

  private record OneShot(String name, long atMs) {}

  private final String process;
  private final HoraeClient client;
  private final HistoryWriter history;
  private final Random random;
  private final String url;
  private final long pauseMs;
  private final CountDownLatch stop;
  private final List<OneShot> oneShots = new ArrayList<>();
  private final List<String> recurring = new ArrayList<>();
  private int counter;

  ClientWorkload(
      String process,
      HoraeClient client,
      HistoryWriter history,
      long seed,
      String url,
      long pauseMs,
      CountDownLatch stop) {
    this.process = process;
    this.client = client;
    this.history = history;
    this.random = new Random(seed);
    this.url = url;
    this.pauseMs = pauseMs;
    this.stop = stop;
  }

  @Override
  public void run() {
    try {
      while (!stop.await(pauseMs, TimeUnit.MILLISECONDS)) {
        step();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void step() {
    int roll = random.nextInt(100);
    if (roll < 55) {
      createOneShot();
    } else if (roll < 68) {
      createRecurring();
    } else if (roll < 76) {
      cancel();
    } else if (roll < 80) {
      delete();
    } else if (roll < 84) {
      pause();
    } else if (roll < 90) {
      update();
    } else if (roll < 95) {
      trigger();
    } else {
      createAfter();
    }
  }

  private void createOneShot() {
    String name = process + "-o" + counter++;
    long at = System.currentTimeMillis() + 500 + random.nextInt(4_000);
    Job job = job(name, Schedule.newBuilder().setAtMs(at).build());
    if (call(
        Event.create(now(), process, Event.Type.INVOKE, "default/" + name, ScheduleSpec.at(at)),
        () -> client.create(job, name))) {
      oneShots.add(new OneShot(name, at));
    }
  }

  private void createRecurring() {
    String name = process + "-r" + counter++;
    long every = 1_000 + random.nextInt(1_000);
    long anchor = System.currentTimeMillis() + 1_000;
    Job job =
        job(
            name,
            Schedule.newBuilder()
                .setEvery(Every.newBuilder().setIntervalMs(every).setAnchorMs(anchor))
                .setMaxFires(MAX_FIRES)
                .build());
    Event invoke =
        Event.create(
            now(),
            process,
            Event.Type.INVOKE,
            "default/" + name,
            ScheduleSpec.every(every, anchor, MAX_FIRES));
    if (call(invoke, () -> client.create(job, name))) {
      recurring.add(name);
    }
  }

  private void cancel() {
    long soon = System.currentTimeMillis() + 300;
    List<OneShot> pending = oneShots.stream().filter(o -> o.atMs() > soon).toList();
    if (pending.isEmpty()) {
      createOneShot();
      return;
    }
    OneShot o = pending.get(random.nextInt(pending.size()));
    oneShots.remove(o);
    String id = "default/" + o.name() + "@" + o.atMs();
    call(Event.cancel(now(), process, Event.Type.INVOKE, id), () -> client.executions().cancel(id));
  }

  private void delete() {
    if (recurring.isEmpty()) {
      createRecurring();
      return;
    }
    String name = recurring.remove(random.nextInt(recurring.size()));
    call(
        Event.delete(now(), process, Event.Type.INVOKE, "default/" + name),
        () -> client.delete("default", name));
  }

  private void pause() {
    if (recurring.isEmpty()) {
      createRecurring();
      return;
    }
    String name = recurring.remove(random.nextInt(recurring.size()));
    call(
        Event.pauseJob(now(), process, Event.Type.INVOKE, "default/" + name),
        () -> client.pause("default", name));
  }

  /** A new schedule for one of its recurring jobs: another interval on a new anchor. */
  private void update() {
    if (recurring.isEmpty()) {
      createRecurring();
      return;
    }
    String name = recurring.get(random.nextInt(recurring.size()));
    long every = 1_000 + random.nextInt(1_000);
    long anchor = System.currentTimeMillis() + 1_500;
    Schedule schedule =
        Schedule.newBuilder()
            .setEvery(Every.newBuilder().setIntervalMs(every).setAnchorMs(anchor))
            .setMaxFires(MAX_FIRES)
            .build();
    Job change =
        Job.newBuilder().setNamespace("default").setName(name).setSchedule(schedule).build();
    Event invoke =
        Event.update(
            now(),
            process,
            Event.Type.INVOKE,
            "default/" + name,
            ScheduleSpec.every(every, anchor, MAX_FIRES));
    call(invoke, () -> client.update(change, List.of("schedule"), 0));
  }

  /** A manual run of one of its recurring jobs; the completion records the run's id. */
  private void trigger() {
    if (recurring.isEmpty()) {
      createRecurring();
      return;
    }
    String name = recurring.get(random.nextInt(recurring.size()));
    String[] id = new String[1];
    Event invoke = Event.trigger(now(), process, Event.Type.INVOKE, "default/" + name);
    history.append(invoke);
    try {
      id[0] = client.trigger("default", name).getId();
      history.append(invoke.complete(Event.Type.OK, now()).withExecution(id[0]));
    } catch (HoraeException e) {
      Event.Type type = DEFINITE.contains(e.code()) ? Event.Type.FAIL : Event.Type.INFO;
      history.append(invoke.complete(type, now()).withError(e.code() + ": " + e.getMessage()));
    } catch (RuntimeException e) {
      history.append(invoke.complete(Event.Type.INFO, now()).withError(e.toString()));
    }
  }

  /** A job that runs after each success of one of its recurring jobs. */
  private void createAfter() {
    if (recurring.isEmpty()) {
      createRecurring();
      return;
    }
    String after = recurring.get(random.nextInt(recurring.size()));
    String name = process + "-c" + counter++;
    Job job =
        Job.newBuilder()
            .setName(name)
            .setAfter(after)
            .setTarget(Target.newBuilder().setUrl(url).setBody(ByteString.copyFromUtf8("{}")))
            .build();
    call(
        Event.createAfter(now(), process, Event.Type.INVOKE, "default/" + name, "default/" + after),
        () -> client.create(job, name));
  }

  /** Runs one operation and records it; true when it is known to have happened. */
  private boolean call(Event invoke, Runnable op) {
    history.append(invoke);
    try {
      op.run();
      history.append(invoke.complete(Event.Type.OK, now()));
      return true;
    } catch (HoraeException e) {
      Event.Type type = DEFINITE.contains(e.code()) ? Event.Type.FAIL : Event.Type.INFO;
      history.append(invoke.complete(type, now()).withError(e.code() + ": " + e.getMessage()));
      return false;
    } catch (RuntimeException e) {
      history.append(invoke.complete(Event.Type.INFO, now()).withError(e.toString()));
      return false;
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private Job job(String name, Schedule schedule) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(schedule)
        .setTarget(Target.newBuilder().setUrl(url).setBody(ByteString.copyFromUtf8("{}")))
        .build();
  }
}
