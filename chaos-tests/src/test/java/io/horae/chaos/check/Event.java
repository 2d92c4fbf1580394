package io.horae.chaos.check;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of the history. Clients and the nemesis log an {@code invoke} before an operation and
 * one completion after it: {@code ok}, {@code fail} (it definitely did not happen) or {@code info}
 * (unknown outcome, e.g. a timeout). The runner logs single {@code info} events ({@code run},
 * {@code heal-all}, {@code end}). Fields that do not apply to an operation are null or empty.
 *
 * @param timeMs wall clock of the test JVM when the event was logged
 * @param process {@code client-N}, {@code nemesis} or {@code runner}
 * @param f the operation: create, create-after, update, trigger, cancel, delete; kill, start,
 *     pause, resume, partition, heal, wipe, leader; run, heal-all, end
 * @param job {@code namespace/name}, for create and delete
 * @param execution execution id {@code namespace/name@scheduledMs}, for cancel
 * @param nodes node ids the nemesis acted on; for run, every node of the cluster
 * @param groups partition groups, for partition
 * @param after for create-after: the job ({@code namespace/name}) after whose successes the new job
 *     runs
 */
public record Event(
    long timeMs,
    String process,
    Type type,
    String f,
    String job,
    ScheduleSpec schedule,
    String execution,
    List<String> nodes,
    List<List<String>> groups,
    String error,
    Long seed,
    String after) {
  /** Whether an operation happened: see the type comment. */
  public enum Type {
    INVOKE,
    OK,
    FAIL,
    INFO;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Type fromJson(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  public static final String NEMESIS = "nemesis";
  public static final String RUNNER = "runner";

  public Event {
    if (process == null || type == null || f == null) {
      throw new IllegalArgumentException("an event needs process, type and f");
    }
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    groups = groups == null ? List.of() : groups.stream().map(List::copyOf).toList();
  }

  /** A create of a one-shot or recurring job by a client. */
  public static Event create(
      long timeMs, String process, Type type, String job, ScheduleSpec schedule) {
    return new Event(
        timeMs, process, type, "create", job, schedule, null, null, null, null, null, null);
  }

  /** A cancel of one execution by a client. */
  public static Event cancel(long timeMs, String process, Type type, String execution) {
    return new Event(
        timeMs, process, type, "cancel", null, null, execution, null, null, null, null, null);
  }

  /** A delete of a job by a client. */
  public static Event delete(long timeMs, String process, Type type, String job) {
    return new Event(
        timeMs, process, type, "delete", job, null, null, null, null, null, null, null);
  }

  /**
   * A pause of a recurring job by a client ({@code pause-job}, apart from the nemesis' process
   * pause): no occurrence after its next one is created.
   */
  public static Event pauseJob(long timeMs, String process, Type type, String job) {
    return new Event(
        timeMs, process, type, "pause-job", job, null, null, null, null, null, null, null);
  }

  /** A nemesis action on some nodes: kill, start, pause, resume, heal, wipe, leader. */
  public static Event nemesis(long timeMs, Type type, String f, List<String> nodes) {
    return new Event(timeMs, NEMESIS, type, f, null, null, null, nodes, null, null, null, null);
  }

  /** A network partition into {@code groups}; {@code nodes} lists every node of every group. */
  public static Event partition(long timeMs, Type type, List<List<String>> groups) {
    List<String> all = groups.stream().flatMap(List::stream).toList();
    return new Event(
        timeMs, NEMESIS, type, "partition", null, null, null, all, groups, null, null, null);
  }

  /** The start of a run: its seed and the cluster's node ids. */
  public static Event run(long timeMs, long seed, List<String> nodes) {
    return new Event(
        timeMs, RUNNER, Type.INFO, "run", null, null, null, nodes, null, null, seed, null);
  }

  /** The runner healed every fault (restarted, resumed, reconnected every node). */
  public static Event healAll(long timeMs) {
    return new Event(
        timeMs, RUNNER, Type.INFO, "heal-all", null, null, null, null, null, null, null, null);
  }

  /** The end of the workload: the reference for "due" (minus the settle margin). */
  public static Event end(long timeMs) {
    return new Event(
        timeMs, RUNNER, Type.INFO, "end", null, null, null, null, null, null, null, null);
  }

  /** The completion of this invoke: same operation and fields, the given type and time. */
  public Event complete(Type type, long timeMs) {
    if (this.type != Type.INVOKE || type == Type.INVOKE) {
      throw new IllegalStateException("only an invoke completes, with ok, fail or info: " + this);
    }
    return new Event(
        timeMs, process, type, f, job, schedule, execution, nodes, groups, null, seed, after);
  }

  public Event withError(String error) {
    return new Event(
        timeMs, process, type, f, job, schedule, execution, nodes, groups, error, seed, after);
  }

  /** The same event with the execution id an operation returned (a trigger's run). */
  public Event withExecution(String execution) {
    return new Event(
        timeMs, process, type, f, job, schedule, execution, nodes, groups, error, seed, after);
  }

  /** A create of a job that runs after each success of {@code after} (no schedule of its own). */
  public static Event createAfter(
      long timeMs, String process, Type type, String job, String after) {
    return new Event(
        timeMs, process, type, "create-after", job, null, null, null, null, null, null, after);
  }

  /** An update of a recurring job's schedule to {@code schedule}. */
  public static Event update(
      long timeMs, String process, Type type, String job, ScheduleSpec schedule) {
    return new Event(
        timeMs, process, type, "update", job, schedule, null, null, null, null, null, null);
  }

  /** A manual run of a job; its completion carries the run's execution id. */
  public static Event trigger(long timeMs, String process, Type type, String job) {
    return new Event(
        timeMs, process, type, "trigger", job, null, null, null, null, null, null, null);
  }

  public boolean isNemesis() {
    return NEMESIS.equals(process);
  }

  public String toJsonLine() {
    JsonObject o = new JsonObject();
    o.addProperty("time_ms", timeMs);
    o.addProperty("process", process);
    o.addProperty("type", type.json());
    o.addProperty("f", f);
    if (job != null) {
      o.addProperty("job", job);
    }
    if (schedule != null) {
      o.add("schedule", schedule.toJson());
    }
    if (execution != null) {
      o.addProperty("execution", execution);
    }
    if (!nodes.isEmpty()) {
      o.add("nodes", Json.array(nodes));
    }
    if (!groups.isEmpty()) {
      JsonArray gs = new JsonArray();
      groups.forEach(g -> gs.add(Json.array(g)));
      o.add("groups", gs);
    }
    if (error != null) {
      o.addProperty("error", error);
    }
    if (seed != null) {
      o.addProperty("seed", seed);
    }
    if (after != null) {
      o.addProperty("after", after);
    }
    return Json.COMPACT.toJson(o);
  }

  public static Event fromJsonLine(String line) {
    JsonObject o = Json.parseObject(line, "history line");
    List<List<String>> groups = new ArrayList<>();
    if (Json.has(o, "groups")) {
      for (JsonElement g : o.getAsJsonArray("groups")) {
        List<String> group = new ArrayList<>();
        g.getAsJsonArray().forEach(n -> group.add(n.getAsString()));
        groups.add(group);
      }
    }
    return new Event(
        Json.requiredLong(o, "time_ms"),
        Json.string(o, "process"),
        Type.fromJson(Json.string(o, "type")),
        Json.string(o, "f"),
        Json.string(o, "job"),
        Json.has(o, "schedule") ? ScheduleSpec.fromJson(o.getAsJsonObject("schedule")) : null,
        Json.string(o, "execution"),
        Json.strings(o, "nodes"),
        groups,
        Json.string(o, "error"),
        Json.longOrNull(o, "seed"),
        Json.string(o, "after"));
  }
}
