package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Secrets at rest and webhook signing-secret rotation (docs/webhooks.md).
 *
 * @param keyFile the cluster key file (made by {@code horae secrets keygen}), the same file on
 *     every node; empty means no key: the node then refuses jobs that carry secrets and delivers
 *     unsigned
 * @param rotationOverlap how long a rotated-out signing secret keeps signing next to the new one
 *     when the rotation request names no overlap
 */
public record SecretsConfig(String keyFile, Duration rotationOverlap) {
  public static final String KEY_FILE_DEFAULT = "";
  public static final Duration ROTATION_OVERLAP_DEFAULT = Duration.ofHours(24);

  public static final SecretsConfig DEFAULTS =
      new SecretsConfig(KEY_FILE_DEFAULT, ROTATION_OVERLAP_DEFAULT);

  public SecretsConfig {
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(rotationOverlap, "rotationOverlap");
  }
}
