package io.horae.server.exec;

import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.secret.JobSecrets;
import io.horae.server.secret.SigningKey;
import io.horae.server.secret.SigningKeys;
import io.horae.webhook.StandardWebhooks;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Request;

/**
 * Standard Webhooks headers of a delivery: {@code webhook-id} (the execution id), {@code
 * webhook-timestamp} and, when the job or its namespace has signing secrets, {@code
 * webhook-signature} with one {@code v1,} entry per secret in force. Secrets are opened when the
 * request is built; the timestamp is stamped and signed by a network interceptor, once the
 * connection is ready, so the signed time is as close to sending as OkHttp allows, and which
 * rotated-out secrets still sign is decided by this node's clock at that moment.
 */
final class WebhookSigning {
  /** What the interceptor needs, carried as a request tag. Holds key material: never logged. */
  private record Pending(String id, byte[] body, List<SigningKey> keys) {
    @Override
    public String toString() {
      return "Pending[" + id + "]";
    }
  }

  private final JobSecrets secrets;
  private final Optional<SigningKeys> keys;
  private final Clock clock;

  /**
   * @param keys where signing secrets are found; empty signs nothing (ids and timestamps only)
   */
  WebhookSigning(JobSecrets secrets, Optional<SigningKeys> keys, Clock clock) {
    this.secrets = secrets;
    this.keys = keys;
    this.clock = clock;
  }

  /** No cluster key: secret headers cannot be opened, nothing is signed. */
  static WebhookSigning unsigned(Clock clock) {
    return new WebhookSigning(new JobSecrets(Optional.empty()), Optional.empty(), clock);
  }

  /** The job's target with secret header values opened; throws SecretException otherwise. */
  Target openTarget(Job job) {
    return secrets.openTarget(job);
  }

  /** Adds webhook-id and the tag the interceptor signs from. */
  Request prepare(Request request, Job job, Held c) {
    List<SigningKey> found = keys.map(k -> k.forJob(job)).orElse(List.of());
    byte[] body = request.body() == null ? new byte[0] : job.getTarget().getBody().toByteArray();
    return request
        .newBuilder()
        .header("webhook-id", c.executionId())
        .tag(Pending.class, new Pending(c.executionId(), body, found))
        .build();
  }

  /** Stamps webhook-timestamp and webhook-signature right before the request is written. */
  Interceptor interceptor() {
    return chain -> {
      Pending p = chain.request().tag(Pending.class);
      if (p == null) {
        return chain.proceed(chain.request());
      }
      return chain.proceed(sign(chain.request(), p));
    };
  }

  private Request sign(Request request, Pending p) throws IOException {
    long nowMs = clock.millis();
    long seconds = Math.floorDiv(nowMs, 1000);
    List<String> entries = new ArrayList<>(p.keys().size());
    for (SigningKey k : p.keys()) {
      if (k.inForceAt(nowMs)) {
        entries.add(
            StandardWebhooks.VERSION_V1
                + ","
                + StandardWebhooks.base64Signature(k.key(), p.id(), seconds, p.body()));
      }
    }
    Request.Builder b = request.newBuilder().header("webhook-timestamp", Long.toString(seconds));
    if (!entries.isEmpty()) {
      b.header("webhook-signature", String.join(" ", entries));
    }
    return b.build();
  }
}
