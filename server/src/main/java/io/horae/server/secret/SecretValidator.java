package io.horae.server.secret;

import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.statemachine.core.schedule.Violation;
import io.horae.webhook.StandardWebhooks;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Edge checks of secrets in a create request. Violations name the field and the accepted form and
 * never repeat the value.
 */
public final class SecretValidator {
  /** The Standard Webhooks spec recommends keys of 24 to 64 bytes. */
  public static final int KEY_BYTES_MIN = 24;

  public static final int KEY_BYTES_MAX = 64;

  /** Headers Horae signs with; a job may not set them. */
  static final Set<String> SIGNATURE_HEADERS =
      Set.of("webhook-id", "webhook-timestamp", "webhook-signature");

  private SecretValidator() {}

  /** Adds a violation per bad secret field of the job. */
  public static void check(List<Violation> v, Job job) {
    if (!job.getSigningSecret().isEmpty()) {
      checkSigningSecret(v, "job.signing_secret", job.getSigningSecret());
    }
    for (int i = 0; i < job.getTarget().getHeadersCount(); i++) {
      Header h = job.getTarget().getHeaders(i);
      if (SIGNATURE_HEADERS.contains(h.getName().toLowerCase(Locale.ROOT))) {
        v.add(
            new Violation(
                "job.target.headers[" + i + "].name",
                io.horae.server.errors.Echo.value(h.getName())
                    + " is set by Horae and cannot be given"));
      }
    }
  }

  /** Checks {@code whsec_} + base64 of {@link #KEY_BYTES_MIN}..{@link #KEY_BYTES_MAX} bytes. */
  public static void checkSigningSecret(List<Violation> v, String field, String secret) {
    String rule =
        "must be \""
            + StandardWebhooks.SECRET_PREFIX
            + "\" followed by the base64 of "
            + KEY_BYTES_MIN
            + " to "
            + KEY_BYTES_MAX
            + " random bytes (value not shown)";
    if (!secret.startsWith(StandardWebhooks.SECRET_PREFIX)) {
      v.add(new Violation(field, rule));
      return;
    }
    try {
      int n = StandardWebhooks.decodeSecret(secret).length;
      if (n < KEY_BYTES_MIN || n > KEY_BYTES_MAX) {
        v.add(new Violation(field, rule));
      }
    } catch (IllegalArgumentException e) {
      v.add(new Violation(field, rule));
    }
  }
}
