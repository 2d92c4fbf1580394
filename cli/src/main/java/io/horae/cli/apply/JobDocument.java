package io.horae.cli.apply;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A job as a YAML document of a job file (docs/jobs-as-code.md): the Job message in the proto JSON
 * mapping without its output-only fields. {@code horae job get -o yaml} prints this form and {@code
 * horae apply} reads it, so a printed job applies back unchanged.
 */
public final class JobDocument {
  /** Fields the server sets; ignored when read, never printed. Proto names. */
  static final Set<String> OUTPUT_ONLY =
      Set.of(
          "state",
          "version",
          "create_time_ms",
          "update_time_ms",
          "next_fire_ms",
          "fire_count",
          "has_signing_secret",
          "paused_reason",
          "history_size",
          "schedule_version",
          "rescheduled_next_ms");

  /** Fields that say which job it is; they are not updated. */
  static final Set<String> IDENTITY = Set.of("namespace", "name");

  private JobDocument() {}

  /**
   * The job as one YAML document, secrets redacted: a secret header without its value and no
   * signing secret (a comment says when the job has one). Reads return them redacted already; this
   * holds also for a job that did not come from a read.
   */
  public static String toYaml(Job job) {
    StringBuilder text = new StringBuilder();
    if (job.getHasSigningSecret() || !job.getSigningSecret().isEmpty()) {
      text.append("# signingSecret: set, not shown (apply keeps it while the file gives none)\n");
    }
    return text.append(ProtoYamlWriter.dump(ProtoYamlWriter.tree(withoutOutputOnly(redacted(job)))))
        .toString();
  }

  /**
   * Reads one job from a YAML mapping; output-only fields are dropped.
   *
   * @throws FieldProblem naming the path and line of the first bad key or value
   */
  static Job read(Node node) {
    Job.Builder job = Job.newBuilder();
    ProtoYamlReader.merge(node, job, "");
    return withoutOutputOnly(job.build());
  }

  /** The updatable fields: every field but the identity and the output-only ones. */
  static List<FieldDescriptor> updatableFields() {
    return Job.getDescriptor().getFields().stream()
        .filter(f -> !OUTPUT_ONLY.contains(f.getName()) && !IDENTITY.contains(f.getName()))
        .toList();
  }

  static Job withoutOutputOnly(Job job) {
    Job.Builder b = job.toBuilder();
    for (FieldDescriptor f : Job.getDescriptor().getFields()) {
      if (OUTPUT_ONLY.contains(f.getName())) {
        b.clearField(f);
      }
    }
    return b.build();
  }

  /** The job with secret header values and the signing secret removed. */
  static Job redacted(Job job) {
    Job.Builder b = job.toBuilder().clearSigningSecret();
    if (job.hasTarget()) {
      Target.Builder t = b.getTargetBuilder();
      for (int i = 0; i < t.getHeadersCount(); i++) {
        Header h = t.getHeaders(i);
        if (SecretHeaderNames.isSecret(h)) {
          t.setHeaders(i, h.toBuilder().clearValue().setSecret(true));
        }
      }
    }
    return b.build();
  }
}
