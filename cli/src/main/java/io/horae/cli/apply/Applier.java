package io.horae.cli.apply;

import io.grpc.Status;
import io.horae.api.v1.CreateJobOutcome;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Job;
import io.horae.client.FieldViolation;
import io.horae.client.HoraeClient;
import io.horae.client.HoraeException;
import io.horae.client.NotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The I/O of apply: reads the stored jobs of the file's namespaces and carries out a plan with the
 * client. Creates go first, in CreateJobs calls whose validation is all or nothing per call, then
 * updates one by one with the version read as the expected version, then deletes. The first failure
 * stops the run; the error says what was done before it.
 */
final class Applier {
  /**
   * Creates per CreateJobs call: under the server's default api.createBatchMax (1000), so the whole
   * batch is validated before any job of it is written.
   */
  static final int CREATE_BATCH_ITEMS_MAX = 100;

  /** Stored jobs read per namespace; apply holds them all to compare. */
  static final int STORED_JOBS_PER_NAMESPACE_MAX = 100_000;

  /**
   * A violation of a CreateJobs item or an UpdateJob: {@code jobs[i].job.<field>} or {@code
   * job.<field>}.
   */
  private static final Pattern JOB_FIELD = Pattern.compile("^(?:jobs\\[(\\d+)]\\.)?job\\.(.*)$");

  private final HoraeClient client;
  private int created;
  private int updated;
  private int deleted;

  Applier(HoraeClient client) {
    this.client = client;
  }

  /** The stored jobs of each namespace, in the order given. */
  static Map<String, List<Job>> read(HoraeClient client, Collection<String> namespaces) {
    Map<String, List<Job>> stored = new LinkedHashMap<>();
    for (String ns : namespaces) {
      // The full view: bodies are part of what apply compares.
      io.horae.api.v1.ListJobsRequest all =
          io.horae.api.v1.ListJobsRequest.newBuilder()
              .setNamespace(ns)
              .setView(io.horae.api.v1.ListView.LIST_VIEW_FULL)
              .build();
      List<Job> jobs = client.listAll(all).limit(STORED_JOBS_PER_NAMESPACE_MAX + 1L).toList();
      if (jobs.size() > STORED_JOBS_PER_NAMESPACE_MAX) {
        throw new ApplyException(
            "namespace "
                + ns
                + " holds more than "
                + STORED_JOBS_PER_NAMESPACE_MAX
                + " jobs, more than apply reads to compare; nothing was changed");
      }
      stored.put(ns, jobs);
    }
    return stored;
  }

  /**
   * Carries out the plan.
   *
   * @return a summary such as "applied: 1 created, 2 updated, 0 deleted"
   * @throws ApplyException on the first failure, naming the job and what was done before it
   */
  String carryOut(Plan plan) {
    List<Change> creates =
        plan.changes().stream().filter(c -> c.kind() == Change.Kind.CREATE).toList();
    for (int from = 0; from < creates.size(); from += CREATE_BATCH_ITEMS_MAX) {
      createBatch(creates.subList(from, Math.min(creates.size(), from + CREATE_BATCH_ITEMS_MAX)));
    }
    for (Change c : plan.changes()) {
      if (c.kind() == Change.Kind.UPDATE) {
        update(c);
      }
    }
    for (Change c : plan.changes()) {
      if (c.kind() == Change.Kind.DELETE) {
        delete(c);
      }
    }
    return done();
  }

  private void createBatch(List<Change> batch) {
    List<CreateJobRequest> requests =
        batch.stream().map(c -> CreateJobRequest.newBuilder().setJob(c.job()).build()).toList();
    List<CreateJobOutcome> outcomes;
    try {
      outcomes = client.batches().create(requests).getResultsList();
    } catch (HoraeException e) {
      throw failed("create of " + batch.size() + " jobs", describe(e, batch), e);
    }
    for (int i = 0; i < outcomes.size(); i++) {
      CreateJobOutcome o = outcomes.get(i);
      if (o.getCode() != 0) {
        String code =
            Status.fromCodeValue(o.getCode())
                .getCode()
                .name()
                .toLowerCase(Locale.ROOT)
                .replace('_', ' ');
        throw failed("create of " + batch.get(i).where(), code + ": " + o.getMessage(), null);
      }
      created++;
    }
  }

  private void update(Change c) {
    try {
      client.update(c.job(), c.paths(), c.expectedVersion());
      updated++;
    } catch (HoraeException e) {
      String hint =
          e.code() == Status.Code.FAILED_PRECONDITION
              ? " (the job changed after apply read it at version "
                  + c.expectedVersion()
                  + "; run apply again to see the new diff)"
              : "";
      throw failed("update of " + c.where(), describe(e, List.of(c)) + hint, e);
    }
  }

  private void delete(Change c) {
    try {
      client.delete(c.job().getNamespace(), c.job().getName());
    } catch (NotFoundException e) {
      // Gone already: the namespace matches the file either way.
    } catch (HoraeException e) {
      throw failed("delete of " + c.key(), describe(e, List.of(c)), e);
    }
    deleted++;
  }

  private String done() {
    return "applied: " + created + " created, " + updated + " updated, " + deleted + " deleted";
  }

  private ApplyException failed(String what, String why, Throwable cause) {
    return new ApplyException(
        what
            + " failed: "
            + why
            + System.lineSeparator()
            + "done before it: "
            + done().substring("applied: ".length())
            + "; nothing after it was tried",
        cause);
  }

  /**
   * The error as "code: field: description; ...", each job field named after the job's place in the
   * file and as the file spells it (no "jobs[i].job." prefix).
   */
  private static String describe(HoraeException e, List<Change> batch) {
    String code = e.code().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    if (e.violations().isEmpty()) {
      return code + ": " + e.getMessage();
    }
    List<String> parts = new ArrayList<>();
    for (FieldViolation v : e.violations()) {
      Matcher m = JOB_FIELD.matcher(v.field());
      int item = m.matches() && m.group(1) != null ? Integer.parseInt(m.group(1)) : 0;
      if (m.matches() && item < batch.size()) {
        parts.add(batch.get(item).where() + ": " + jsonNames(m.group(2)) + ": " + v.description());
      } else {
        parts.add(v.field() + ": " + v.description());
      }
    }
    return code + ": " + String.join("; ", parts);
  }

  /** {@code target.timeout_ms} as a file spells it: {@code target.timeoutMs}. */
  static String jsonNames(String protoPath) {
    return Pattern.compile("_([a-z0-9])")
        .matcher(protoPath)
        .replaceAll(r -> r.group(1).toUpperCase(Locale.ROOT));
  }
}
