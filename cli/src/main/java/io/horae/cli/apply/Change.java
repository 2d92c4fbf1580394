package io.horae.cli.apply;

import io.horae.api.v1.Job;
import java.util.List;

/**
 * One step of a plan.
 *
 * @param job for a create or update the job of the file; for a delete the stored job
 * @param expectedVersion for an update, the version read (the update applies only to it); else 0
 * @param paths for an update, the field mask: proto names of the top-level fields that change
 * @param diff for an update, the changed values as {@code - path: old} and {@code + path: new}
 *     lines, secrets never shown
 * @param where the job's place in the file, for messages; empty for a delete
 */
record Change(
    Kind kind, Job job, long expectedVersion, List<String> paths, List<String> diff, String where) {
  enum Kind {
    CREATE,
    UPDATE,
    DELETE
  }

  Change {
    paths = List.copyOf(paths);
    diff = List.copyOf(diff);
  }

  static Change create(Job job, String where) {
    return new Change(Kind.CREATE, job, 0, List.of(), List.of(), where);
  }

  static Change delete(Job stored) {
    return new Change(Kind.DELETE, stored, 0, List.of(), List.of(), "");
  }

  String key() {
    return job.getNamespace() + "/" + job.getName();
  }
}
