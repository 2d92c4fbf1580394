package io.horae.chaos.check;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster as the runner saw it after healing every fault and letting it settle, written as one
 * JSON object ({@value #FILE}): each node's state digest, and the executions and jobs the cluster
 * reports.
 */
public record FinalState(Map<String, String> digests, List<Execution> executions, List<Job> jobs) {
  public static final String FILE = "final-state.json";

  /** An execution as the cluster reports it; status is the API's enum name, e.g. SUCCEEDED. */
  public record Execution(String id, String status, int attempt, long scheduledMs) {
    public String job() {
      return ExecutionKey.jobOf(id);
    }
  }

  /** A job as the cluster reports it; schedule is null for kinds the workload does not use. */
  public record Job(String job, String state, ScheduleSpec schedule) {}

  public FinalState {
    digests = new TreeMap<>(digests);
    executions = List.copyOf(executions);
    jobs = List.copyOf(jobs);
  }

  public void write(Path file) {
    try {
      Files.writeString(file, Json.PRETTY.toJson(toJson()) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write final state " + file, e);
    }
  }

  public static FinalState read(Path file) {
    try {
      return fromJson(
          Json.parseObject(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read final state " + file, e);
    }
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    JsonObject d = new JsonObject();
    digests.forEach(d::addProperty);
    o.add("digests", d);
    JsonArray es = new JsonArray();
    for (Execution e : executions) {
      JsonObject x = new JsonObject();
      x.addProperty("id", e.id());
      x.addProperty("status", e.status());
      x.addProperty("attempt", e.attempt());
      x.addProperty("scheduled_ms", e.scheduledMs());
      es.add(x);
    }
    o.add("executions", es);
    JsonArray js = new JsonArray();
    for (Job j : jobs) {
      JsonObject x = new JsonObject();
      x.addProperty("job", j.job());
      x.addProperty("state", j.state());
      if (j.schedule() != null) {
        x.add("schedule", j.schedule().toJson());
      }
      js.add(x);
    }
    o.add("jobs", js);
    return o;
  }

  static FinalState fromJson(JsonObject o) {
    Map<String, String> digests = new TreeMap<>();
    if (Json.has(o, "digests")) {
      o.getAsJsonObject("digests")
          .entrySet()
          .forEach(e -> digests.put(e.getKey(), e.getValue().getAsString()));
    }
    List<Execution> executions = new ArrayList<>();
    for (JsonElement e : arrayOrEmpty(o, "executions")) {
      JsonObject x = e.getAsJsonObject();
      Long attempt = Json.longOrNull(x, "attempt");
      executions.add(
          new Execution(
              Json.string(x, "id"),
              Json.string(x, "status"),
              attempt == null ? 0 : attempt.intValue(),
              Json.requiredLong(x, "scheduled_ms")));
    }
    List<Job> jobs = new ArrayList<>();
    for (JsonElement e : arrayOrEmpty(o, "jobs")) {
      JsonObject x = e.getAsJsonObject();
      jobs.add(
          new Job(
              Json.string(x, "job"),
              Json.string(x, "state"),
              Json.has(x, "schedule")
                  ? ScheduleSpec.fromJson(x.getAsJsonObject("schedule"))
                  : null));
    }
    return new FinalState(digests, executions, jobs);
  }

  private static JsonArray arrayOrEmpty(JsonObject o, String field) {
    return Json.has(o, field) ? o.getAsJsonArray(field) : new JsonArray();
  }
}
