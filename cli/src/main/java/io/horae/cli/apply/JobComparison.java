package io.horae.cli.apply;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares a job of a file with the stored job on the updatable fields, after filling in what the
 * server fills in when it stores a job (JobValidator.normalize, ScheduleMath.normalize), so that a
 * job printed by {@code get -o yaml} compares equal to the stored one. Secret values are never
 * compared: reads return them empty.
 */
final class JobComparison {
  static final String DEFAULT_NAMESPACE = "default";
  static final String DEFAULT_METHOD = "POST";
  static final String DEFAULT_CRON_ZONE = "UTC";

  private JobComparison() {}

  /** The updatable fields (proto field descriptors) whose values differ, in field order. */
  static List<FieldDescriptor> changedFields(Job file, Job stored) {
    Job a = comparable(file, stored);
    Job b = comparable(stored, stored);
    List<FieldDescriptor> changed = new ArrayList<>();
    for (FieldDescriptor f : JobDocument.updatableFields()) {
      if (!only(a, f).equals(only(b, f))) {
        changed.add(f);
      }
    }
    return changed;
  }

  /**
   * The job as it compares: output-only fields and secret values removed, server defaults filled
   * in. {@code every.anchorMs} 0 takes the stored job's anchor: 0 asks the server for "one interval
   * after now" at create, which a later apply cannot know.
   */
  static Job comparable(Job job, Job stored) {
    Job.Builder b = JobDocument.redacted(JobDocument.withoutOutputOnly(job)).toBuilder();
    for (FieldDescriptor f : Job.getDescriptor().getFields()) {
      // "retry: {}" in a file is no retry policy, as the server stores it.
      if (!f.isRepeated()
          && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && b.hasField(f)
          && ((Message) b.getField(f))
              .equals(((Message) b.getField(f)).getDefaultInstanceForType())) {
        b.clearField(f);
      }
    }
    if (b.getNamespace().isEmpty()) {
      b.setNamespace(DEFAULT_NAMESPACE);
    }
    if (b.hasTarget()) {
      Target.Builder t = b.getTargetBuilder();
      t.setMethod(
          t.getMethod().isEmpty() ? DEFAULT_METHOD : t.getMethod().toUpperCase(Locale.ROOT));
    }
    if (b.hasSchedule()) {
      Schedule.Builder s = b.getScheduleBuilder();
      if (s.hasCron() && s.getCron().getTimeZone().isEmpty()) {
        s.getCronBuilder().setTimeZone(DEFAULT_CRON_ZONE);
      }
      if (s.hasEvery() && s.getEvery().getAnchorMs() == 0 && stored.getSchedule().hasEvery()) {
        s.getEveryBuilder().setAnchorMs(stored.getSchedule().getEvery().getAnchorMs());
      }
    }
    return b.build();
  }

  /** A job holding only field {@code f} of {@code job}, so one field compares with equals. */
  static Job only(Job job, FieldDescriptor f) {
    Job.Builder b = Job.newBuilder();
    if (f.isRepeated() ? job.getRepeatedFieldCount(f) > 0 : job.hasField(f)) {
      b.setField(f, job.getField(f));
    }
    return b.build();
  }
}
