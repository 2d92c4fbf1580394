package io.horae.server.secret;

import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;

/**
 * The one place that strips secrets from a job before it leaves the node (API replies, CLI output,
 * logs): secret header values come back empty with {@code secret=true}, the signing secret empty
 * with {@code has_signing_secret=true}. Stored values are ciphertext already; this also keeps the
 * ciphertext out of replies, so no reader learns even its length.
 */
public final class JobRedaction {
  private JobRedaction() {}

  public static Job redact(Job job) {
    Job.Builder b = job.toBuilder();
    if (!job.getSigningSecret().isEmpty()) {
      b.clearSigningSecret().setHasSigningSecret(true);
    }
    if (job.hasTarget()) {
      Target.Builder t = b.getTargetBuilder();
      for (int i = 0; i < t.getHeadersCount(); i++) {
        Header h = t.getHeaders(i);
        if (SecretHeaders.isSecret(h)) {
          t.setHeaders(i, h.toBuilder().clearValue().setSecret(true));
        }
      }
    }
    return b.build();
  }
}
