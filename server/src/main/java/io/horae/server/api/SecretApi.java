package io.horae.server.api;

import io.grpc.stub.StreamObserver;
import io.horae.api.v1.Job;
import io.horae.api.v1.ListSigningSecretsRequest;
import io.horae.api.v1.ListSigningSecretsResponse;
import io.horae.api.v1.RotateSigningSecretRequest;
import io.horae.api.v1.RotateSigningSecretResponse;
import io.horae.api.v1.SecretServiceGrpc;
import io.horae.api.v1.SigningSecretInfo;
import io.horae.internal.v1.GetSigningSecretsQuery;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.PutSigningSecrets;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.QueryResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.SigningSecret;
import io.horae.server.config.SecretsConfig;
import io.horae.server.errors.NoClusterKeyException;
import io.horae.server.errors.RejectedException;
import io.horae.server.errors.ValidationException;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.Reader;
import io.horae.server.secret.Fingerprints;
import io.horae.server.secret.JobSecrets;
import io.horae.server.secret.SecretBox;
import io.horae.server.secret.SecretHeaders;
import io.horae.server.secret.SecretValidator;
import io.horae.server.secret.SigningKeys;
import io.horae.statemachine.core.schedule.Violation;
import io.horae.webhook.StandardWebhooks;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SecretService: rotates and lists webhook signing secrets of namespaces and jobs. The new secret
 * is sealed here, before it is proposed, and a generated one is returned once and never again.
 * Lists return fingerprints and times only.
 */
public final class SecretApi extends SecretServiceGrpc.SecretServiceImplBase {
  /** Generated secrets: 32 random bytes, the middle of the spec's 24..64. */
  static final int GENERATED_KEY_BYTES = 32;

  private final Proposer proposer;
  private final Reader reader;
  private final JobSecrets secrets;
  private final SecretsConfig config;
  private final Clock clock;
  private final Duration timeout;
  private final SecureRandom random = new SecureRandom();

  public SecretApi(
      Proposer proposer,
      Reader reader,
      JobSecrets secrets,
      SecretsConfig config,
      Clock clock,
      Duration timeout) {
    this.proposer = proposer;
    this.reader = reader;
    this.secrets = secrets;
    this.config = config;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public void rotateSigningSecret(
      RotateSigningSecretRequest request, StreamObserver<RotateSigningSecretResponse> observer) {
    Replies.replyFrom(() -> Replies.bounded(rotate(request), timeout), observer);
  }

  @Override
  public void listSigningSecrets(
      ListSigningSecretsRequest request, StreamObserver<ListSigningSecretsResponse> observer) {
    Replies.replyFrom(
        () ->
            Replies.bounded(
                read(namespace(request.getNamespace()), request.getJobName())
                    .thenApply(
                        r ->
                            ListSigningSecretsResponse.newBuilder()
                                .addAllSecrets(infos(r, request.getJobName()))
                                .build()),
                timeout),
        observer);
  }

  private CompletableFuture<RotateSigningSecretResponse> rotate(
      RotateSigningSecretRequest request) {
    String ns = namespace(request.getNamespace());
    String job = request.getJobName();
    List<Violation> bad = new ArrayList<>(JobValidator.checkKey(ns, job.isEmpty() ? "x" : job));
    if (!request.getNewSecret().isEmpty()) {
      SecretValidator.checkSigningSecret(bad, "new_secret", request.getNewSecret());
    }
    if (!bad.isEmpty()) {
      throw new ValidationException(bad);
    }
    SecretBox box = secrets.box().orElseThrow(() -> new NoClusterKeyException("a signing secret"));
    String secret = request.getNewSecret().isEmpty() ? generate() : request.getNewSecret();
    String id = Fingerprints.of(StandardWebhooks.decodeSecret(secret));
    String context =
        job.isEmpty() ? SigningKeys.namespaceContext(ns) : SecretHeaders.signingContext(ns, job);
    long overlapMs =
        request.getOverlapMs() == 0
            ? config.rotationOverlap().toMillis()
            : Math.max(0, request.getOverlapMs());
    return read(ns, job)
        .thenCompose(
            before -> {
              if (!job.isEmpty() && before.getJobsCount() == 0) {
                throw new RejectedException(
                    RejectCode.REJECT_NOT_FOUND, "job " + ns + "/" + job + " not found");
              }
              PutSigningSecrets.Builder put =
                  PutSigningSecrets.newBuilder()
                      .setNamespace(ns)
                      .setJobName(job)
                      .setSecret(
                          SigningSecret.newBuilder().setId(id).setSealed(box.seal(secret, context)))
                      .setOverlapMs(overlapMs)
                      .setNowMs(clock.millis());
              if (before.getJobsCount() > 0) {
                put.setJobSecretId(jobSecretId(before.getJobs(0)));
              }
              return proposer.propose(Op.newBuilder().setPutSigningSecrets(put).build());
            })
        .thenCompose(
            r -> {
              Replies.ok(r);
              return read(ns, job);
            })
        .thenApply(
            after -> {
              List<SigningSecretInfo> all = infos(after, job);
              RotateSigningSecretResponse.Builder out =
                  RotateSigningSecretResponse.newBuilder().addAllSecrets(all);
              all.stream().filter(i -> i.getId().equals(id)).findFirst().ifPresent(out::setSecret);
              if (request.getNewSecret().isEmpty()) {
                out.setGeneratedSecret(secret);
              }
              return out.build();
            });
  }

  private CompletableFuture<QueryResult> read(String ns, String job) {
    List<Violation> bad = JobValidator.checkKey(ns, job.isEmpty() ? "x" : job);
    if (!bad.isEmpty()) {
      return CompletableFuture.failedFuture(new ValidationException(bad));
    }
    return reader.query(
        Query.newBuilder()
            .setGetSigningSecrets(
                GetSigningSecretsQuery.newBuilder().setNamespace(ns).setJobName(job))
            .build());
  }

  /** Metadata of the set, or of a job's create-time secret when it was never rotated. */
  private List<SigningSecretInfo> infos(QueryResult r, String job) {
    if (!job.isEmpty() && r.getJobsCount() == 0) {
      throw new RejectedException(RejectCode.REJECT_NOT_FOUND, "job " + job + " not found");
    }
    List<SigningSecretInfo> out = new ArrayList<>();
    for (SigningSecret s : r.getSigningSecrets().getSecretsList()) {
      out.add(
          SigningSecretInfo.newBuilder()
              .setId(s.getId())
              .setCreatedMs(s.getCreatedMs())
              .setExpiresMs(s.getExpiresMs())
              .build());
    }
    if (out.isEmpty() && r.getJobsCount() > 0 && !r.getJobs(0).getSigningSecret().isEmpty()) {
      Job j = r.getJobs(0);
      out.add(
          SigningSecretInfo.newBuilder()
              .setId(jobSecretId(j))
              .setCreatedMs(j.getCreateTimeMs())
              .build());
    }
    return out;
  }

  /** The fingerprint of a job's create-time secret, or "" when it has none or cannot be opened. */
  private String jobSecretId(Job job) {
    if (job.getSigningSecret().isEmpty() || secrets.box().isEmpty()) {
      return "";
    }
    return Fingerprints.of(StandardWebhooks.decodeSecret(secrets.signingSecret(job).orElseThrow()));
  }

  private String generate() {
    byte[] key = new byte[GENERATED_KEY_BYTES];
    random.nextBytes(key);
    return StandardWebhooks.encodeSecret(key);
  }

  private static String namespace(String ns) {
    return ns.isEmpty() ? JobValidator.DEFAULT_NAMESPACE : ns;
  }
}
