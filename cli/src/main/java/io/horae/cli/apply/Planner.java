package io.horae.cli.apply;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what apply does, from the file's jobs and the stored jobs of their namespaces; no I/O. A
 * stored job that the file names is updated when a field differs (JobComparison), with a mask of
 * those fields and the version read; with --prune a stored job of a namespace the file names that
 * the file does not name is deleted.
 */
final class Planner {
  private Planner() {}

  /**
   * @param stored the jobs of every namespace the file's jobs are in, as read
   * @param sendSecrets also update jobs whose file gives secret values, which cannot be compared
   */
  static Plan plan(
      List<JobFile.Entry> entries,
      Map<String, List<Job>> stored,
      boolean prune,
      boolean sendSecrets) {
    Map<String, Job> byKey = new HashMap<>();
    stored
        .values()
        .forEach(jobs -> jobs.forEach(j -> byKey.put(j.getNamespace() + "/" + j.getName(), j)));
    List<Change> creates = new ArrayList<>();
    List<Change> updates = new ArrayList<>();
    int unchanged = 0;
    Set<String> named = new HashSet<>();
    for (JobFile.Entry e : entries) {
      named.add(e.key());
      Job current = byKey.get(e.key());
      if (current == null) {
        creates.add(Change.create(e.job(), e.where()));
        continue;
      }
      Change update = update(e, current, sendSecrets);
      if (update == null) {
        unchanged++;
      } else {
        updates.add(update);
      }
    }
    List<Change> changes = new ArrayList<>(creates);
    changes.addAll(updates);
    if (prune) {
      byKey.values().stream()
          .filter(j -> !named.contains(j.getNamespace() + "/" + j.getName()))
          .sorted(Comparator.comparing(Job::getNamespace).thenComparing(Job::getName))
          .forEach(j -> changes.add(Change.delete(j)));
    }
    return new Plan(changes, unchanged);
  }

  /** The update that makes {@code current} match {@code file}, or null when they match. */
  static Change update(JobFile.Entry entry, Job current, boolean sendSecrets) {
    Job file = entry.job();
    List<FieldDescriptor> fields = JobComparison.changedFields(file, current);
    List<String> diff =
        new ArrayList<>(
            JobDiff.lines(
                JobComparison.comparable(file, current),
                JobComparison.comparable(current, current),
                fields));
    List<String> paths = new ArrayList<>(fields.stream().map(FieldDescriptor::getName).toList());
    if (!file.getSigningSecret().isEmpty() && !current.getHasSigningSecret()) {
      // The one secret change a read shows: the job has no signing secret yet.
      addPath(paths, "signing_secret");
      diff.add("+ signingSecret: (secret, set)");
    } else if (sendSecrets && !file.getSigningSecret().isEmpty()) {
      addPath(paths, "signing_secret");
      diff.add("+ signingSecret: (secret, sent, not compared)");
    }
    List<Header> headers = file.getTarget().getHeadersList();
    for (int i = 0; i < headers.size(); i++) {
      if (SecretHeaderNames.isSecret(headers.get(i)) && !headers.get(i).getValue().isEmpty()) {
        if (sendSecrets) {
          addPath(paths, "target");
        }
        // A target sent for another change carries the file's secret values too: say so.
        if (paths.contains("target")) {
          diff.add("+ target.headers[" + i + "].value: (secret, sent, not compared)");
        }
      }
    }
    if (paths.isEmpty()) {
      return null;
    }
    // Mask paths in the order of the Job's fields, so the same change always reads the same.
    List<String> order =
        JobDocument.updatableFields().stream().map(FieldDescriptor::getName).toList();
    paths.sort(Comparator.comparingInt(order::indexOf));
    return new Change(Change.Kind.UPDATE, file, current.getVersion(), paths, diff, entry.where());
  }

  private static void addPath(List<String> paths, String path) {
    if (!paths.contains(path)) {
      paths.add(path);
    }
  }
}
