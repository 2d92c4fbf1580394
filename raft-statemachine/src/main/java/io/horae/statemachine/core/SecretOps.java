package io.horae.statemachine.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.api.v1.Job;
import io.horae.internal.v1.GetSigningSecretsQuery;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.PutSigningSecrets;
import io.horae.internal.v1.QueryResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.SigningSecret;
import io.horae.internal.v1.SigningSecretSet;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Webhook signing-secret sets of namespaces and jobs, in the meta family under {@code
 * secrets/<namespace>} and {@code secrets/<namespace>/<job>}. Values arrive sealed; apply only
 * orders and expires them, by the command's now.
 */
public final class SecretOps {
  /** The most secrets in one set: one current, the rest in their overlap. */
  public static final int SECRETS_MAX = 8;

  private SecretOps() {}

  public static byte[] key(String namespace, String jobName) {
    String k = "secrets/" + namespace + (jobName.isEmpty() ? "" : "/" + jobName);
    return k.getBytes(StandardCharsets.UTF_8);
  }

  /** Rotation: the new secret first and current, the previous current until now + overlap. */
  static OpResult put(State state, PutSigningSecrets op) {
    if (op.getNamespace().isEmpty() || !op.getSecret().getSealed().startsWith("enc:")) {
      return Results.reject(
          RejectCode.REJECT_INVALID, "a signing secret needs a namespace and a sealed value");
    }
    SigningSecretSet.Builder next = SigningSecretSet.newBuilder();
    SigningSecretSet old;
    if (op.getJobName().isEmpty()) {
      old =
          read(state.tx(), key(op.getNamespace(), ""))
              .orElse(SigningSecretSet.getDefaultInstance());
    } else {
      Optional<Job> job = state.job(op.getNamespace(), op.getJobName());
      if (job.isEmpty()) {
        return Results.reject(
            RejectCode.REJECT_NOT_FOUND,
            "job " + op.getNamespace() + "/" + op.getJobName() + " not found");
      }
      next.setJobCreatedMs(job.get().getCreateTimeMs());
      old = currentOfJob(state.tx(), job.get(), op.getJobSecretId());
    }
    next.addSecrets(op.getSecret().toBuilder().setCreatedMs(op.getNowMs()).setExpiresMs(0));
    for (SigningSecret s : old.getSecretsList()) {
      long expires =
          s.getExpiresMs() == 0 ? op.getNowMs() + Math.max(0, op.getOverlapMs()) : s.getExpiresMs();
      if (expires > op.getNowMs()
          && next.getSecretsCount() < SECRETS_MAX
          && !s.getId().equals(op.getSecret().getId())) {
        next.addSecrets(s.toBuilder().setExpiresMs(expires));
      }
    }
    state
        .tx()
        .put(Family.META, key(op.getNamespace(), op.getJobName()), next.build().toByteArray());
    return OpResult.getDefaultInstance();
  }

  /** A job's set, or its create-time secret as a one-entry set, or an empty set. */
  private static SigningSecretSet currentOfJob(StoreReader reader, Job job, String jobSecretId) {
    Optional<SigningSecretSet> set = read(reader, key(job.getNamespace(), job.getName()));
    if (set.isPresent() && set.get().getJobCreatedMs() == job.getCreateTimeMs()) {
      return set.get();
    }
    SigningSecretSet.Builder b = SigningSecretSet.newBuilder();
    if (!job.getSigningSecret().isEmpty()) {
      b.addSecrets(
          SigningSecret.newBuilder()
              .setId(jobSecretId)
              .setSealed(job.getSigningSecret())
              .setCreatedMs(job.getCreateTimeMs()));
    }
    return b.build();
  }

  /** The stored set of a namespace or job (sealed values), and the job when one is named. */
  public static QueryResult get(StoreReader reader, GetSigningSecretsQuery q) {
    QueryResult.Builder out = QueryResult.newBuilder();
    if (!q.getJobName().isEmpty()) {
      Optional<Job> job =
          Queries.getJob(reader, q.getNamespace(), q.getJobName()).getJobsList().stream()
              .findFirst();
      if (job.isEmpty()) {
        return out.build();
      }
      out.addJobs(job.get());
      Optional<SigningSecretSet> set = read(reader, key(q.getNamespace(), q.getJobName()));
      set.filter(s -> s.getJobCreatedMs() == job.get().getCreateTimeMs())
          .ifPresent(out::setSigningSecrets);
      return out.build();
    }
    read(reader, key(q.getNamespace(), "")).ifPresent(out::setSigningSecrets);
    return out.build();
  }

  public static Optional<SigningSecretSet> read(StoreReader reader, byte[] key) {
    byte[] bytes = reader.get(Family.META, key);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SigningSecretSet.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptStateException("signing secret set does not parse", e);
    }
  }
}
