package io.horae.server.secret;

import io.horae.api.v1.Job;
import io.horae.internal.v1.SigningSecret;
import io.horae.internal.v1.SigningSecretSet;
import io.horae.statemachine.core.SecretOps;
import io.horae.statemachine.core.StoreReader;
import io.horae.webhook.StandardWebhooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the keys that sign a job's delivery, read from this node's replica. Precedence: the job's
 * rotated set, else its create-time secret, else its namespace's set, else none (unsigned). Expired
 * entries are kept here; the caller filters by its clock just before sending.
 */
public final class SigningKeys {
  private final JobSecrets secrets;
  private final StoreReader store;

  public SigningKeys(JobSecrets secrets, StoreReader store) {
    this.secrets = secrets;
    this.store = store;
  }

  /**
   * @throws SecretException if a stored secret does not open
   */
  public List<SigningKey> forJob(Job job) {
    String ns = job.getNamespace();
    Optional<SigningSecretSet> own =
        SecretOps.read(store, SecretOps.key(ns, job.getName()))
            .filter(s -> s.getJobCreatedMs() == job.getCreateTimeMs());
    if (own.isPresent()) {
      return open(own.get(), SecretHeaders.signingContext(ns, job.getName()));
    }
    Optional<String> created = secrets.signingSecret(job);
    if (created.isPresent()) {
      return List.of(new SigningKey(StandardWebhooks.decodeSecret(created.get()), 0));
    }
    return SecretOps.read(store, SecretOps.key(ns, ""))
        .map(s -> open(s, namespaceContext(ns)))
        .orElse(List.of());
  }

  /** The associated data of a namespace's signing secrets. */
  public static String namespaceContext(String namespace) {
    return namespace + "#signing_secret";
  }

  private List<SigningKey> open(SigningSecretSet set, String context) {
    List<SigningKey> keys = new ArrayList<>(set.getSecretsCount());
    for (SigningSecret s : set.getSecretsList()) {
      keys.add(
          new SigningKey(
              StandardWebhooks.decodeSecret(secrets.openOrThrow(s.getSealed(), context)),
              s.getExpiresMs()));
    }
    return keys;
  }
}
