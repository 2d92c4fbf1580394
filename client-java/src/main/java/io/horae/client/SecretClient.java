package io.horae.client;

import io.grpc.Deadline;
import io.horae.api.v1.ListSigningSecretsRequest;
import io.horae.api.v1.RotateSigningSecretRequest;
import io.horae.api.v1.RotateSigningSecretResponse;
import io.horae.api.v1.SecretServiceGrpc;
import io.horae.api.v1.SigningSecretInfo;
import java.util.List;

/**
 * Webhook signing secrets of namespaces and jobs: rotate and list. Obtain it from {@link
 * HoraeClient#secrets()}; it shares that client's endpoints, deadline and error types, and is
 * thread-safe. Secrets are write-only: only a rotation that lets the server generate the secret
 * returns it, once.
 */
public final class SecretClient {
  private final HoraeClient client;

  SecretClient(HoraeClient client) {
    this.client = client;
  }

  /**
   * Makes a new signing secret current; the previous one keeps signing until the overlap ends.
   *
   * @param request namespace (empty: {@code default}), optional job name, the new secret ({@code
   *     whsec_...}; empty lets the server generate one and return it in {@code generated_secret}),
   *     and the overlap in ms (0: the cluster's default)
   * @throws InvalidArgumentException when the secret is malformed (the message does not show it)
   * @throws FailedPreconditionException when the cluster has no key file to encrypt secrets with
   * @throws NotFoundException when the named job does not exist
   */
  public RotateSigningSecretResponse rotate(RotateSigningSecretRequest request) {
    Deadline d = client.newDeadline();
    // A given secret makes a repeat harmless (same fingerprint, same set); a generated one
    // would rotate twice, so it is not retried on another endpoint.
    boolean repeatable = !request.getNewSecret().isEmpty();
    return HoraeClient.await(
        client.call(
            ch -> SecretServiceGrpc.newFutureStub(ch).withDeadline(d).rotateSigningSecret(request),
            repeatable));
  }

  /**
   * Lists the signing secrets of a namespace or job, newest first: fingerprints and times only.
   *
   * @throws NotFoundException when the named job does not exist
   */
  public List<SigningSecretInfo> list(String namespace, String jobName) {
    Deadline d = client.newDeadline();
    ListSigningSecretsRequest request =
        ListSigningSecretsRequest.newBuilder().setNamespace(namespace).setJobName(jobName).build();
    return HoraeClient.await(
            client.call(
                ch ->
                    SecretServiceGrpc.newFutureStub(ch)
                        .withDeadline(d)
                        .listSigningSecrets(request)))
        .getSecretsList();
  }
}
