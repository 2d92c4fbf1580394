package io.horae.server.secret;

import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.errors.NoClusterKeyException;
import java.util.Optional;

/**
 * Seals a job's secrets on the node that receives the create, before it is proposed, so the Raft
 * log, snapshots and every replica's RocksDB hold only ciphertext; and opens them on the node that
 * delivers, just before sending.
 */
public final class JobSecrets {
  private final Optional<SecretBox> box;

  /**
   * @param box the cluster key's box, empty when the node has no key file
   */
  public JobSecrets(Optional<SecretBox> box) {
    this.box = box;
  }

  public Optional<SecretBox> box() {
    return box;
  }

  /**
   * Returns the job with every secret header value and the signing secret sealed.
   *
   * @throws NoClusterKeyException if the job carries a secret and there is no cluster key
   */
  public Job seal(Job job) {
    Job.Builder b = job.toBuilder();
    String ns = job.getNamespace();
    String name = job.getName();
    if (!job.getSigningSecret().isEmpty()) {
      b.setSigningSecret(
          need("job.signing_secret")
              .seal(job.getSigningSecret(), SecretHeaders.signingContext(ns, name)));
      b.setHasSigningSecret(true);
    }
    Target.Builder t = b.getTargetBuilder();
    for (int i = 0; i < t.getHeadersCount(); i++) {
      Header h = t.getHeaders(i);
      if (SecretHeaders.isSecret(h)) {
        String value =
            h.getValue().isEmpty()
                ? ""
                : need("header " + h.getName())
                    .seal(h.getValue(), SecretHeaders.context(ns, name, h));
        t.setHeaders(i, h.toBuilder().setValue(value).setSecret(true));
      }
    }
    return b.build();
  }

  /**
   * The target with secret header values opened, for sending.
   *
   * @throws SecretException if a value does not open (no or wrong cluster key)
   */
  public Target openTarget(Job job) {
    Target.Builder t = job.getTarget().toBuilder();
    for (int i = 0; i < t.getHeadersCount(); i++) {
      Header h = t.getHeaders(i);
      if (SecretHeaders.isSecret(h) && SecretBox.isSealed(h.getValue())) {
        String context = SecretHeaders.context(job.getNamespace(), job.getName(), h);
        t.setHeaders(i, h.toBuilder().setValue(openOrThrow(h.getValue(), context)));
      }
    }
    return t.build();
  }

  /** The job's own signing secret ("whsec_..."), opened; empty if it has none. */
  public Optional<String> signingSecret(Job job) {
    if (job.getSigningSecret().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        openOrThrow(
            job.getSigningSecret(),
            SecretHeaders.signingContext(job.getNamespace(), job.getName())));
  }

  /** Opens a value sealed under the context. */
  public String openOrThrow(String sealed, String context) {
    return box.orElseThrow(
            () ->
                new SecretException(
                    "a secret of "
                        + context
                        + " is stored but this node has no cluster key (secrets.keyFile)"))
        .open(sealed, context);
  }

  private SecretBox need(String what) {
    return box.orElseThrow(() -> new NoClusterKeyException(what));
  }
}
