package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.GetSigningSecretsQuery;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.PutSigningSecrets;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.SigningSecret;
import io.horae.internal.v1.SigningSecretSet;
import io.horae.statemachine.core.SecretOps;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation of signing secrets as applied, against a real RocksDB: the new secret is current, the
 * previous one expires at the command's now plus overlap, expired ones are dropped, the set is
 * bounded, and a job's create-time secret seeds the job's set.
 */
class SigningSecretsApplyTest {
  private static final long T0 = 1_800_000_000_000L;

  @TempDir Path tmp;
  private TempStore db;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Op rotate(String job, String id, long nowMs, long overlapMs) {
    return Op.newBuilder()
        .setPutSigningSecrets(
            PutSigningSecrets.newBuilder()
                .setNamespace(NS)
                .setJobName(job)
                .setSecret(SigningSecret.newBuilder().setId(id).setSealed("enc:v1:k:" + id))
                .setNowMs(nowMs)
                .setOverlapMs(overlapMs)
                .setJobSecretId("sk_job"))
        .build();
  }

  SigningSecretSet set(String job) {
    return SecretOps.get(
            db.store, GetSigningSecretsQuery.newBuilder().setNamespace(NS).setJobName(job).build())
        .getSigningSecrets();
  }

  @Test
  void theNewSecretIsCurrentAndThePreviousSignsUntilNowPlusOverlap() {
    db.apply(of(rotate("", "sk_a", T0, 1_000)));
    db.apply(of(rotate("", "sk_b", T0 + 10, 5_000)));
    assertThat(set("").getSecretsList())
        .extracting(SigningSecret::getId, SigningSecret::getCreatedMs, SigningSecret::getExpiresMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sk_b", T0 + 10, 0L),
            org.assertj.core.groups.Tuple.tuple("sk_a", T0, T0 + 5_010));
  }

  @Test
  void secretsExpiredAtTheCommandsNowAreDroppedAndTheSetStaysBounded() {
    db.apply(of(rotate("", "sk_a", T0, 1_000)));
    db.apply(of(rotate("", "sk_b", T0 + 10, 1_000)));
    db.apply(of(rotate("", "sk_c", T0 + 5_000, 1_000)));
    assertThat(set("").getSecretsList())
        .extracting(SigningSecret::getId)
        .containsExactly("sk_c", "sk_b");
    for (int i = 0; i < 20; i++) {
      db.apply(of(rotate("", "sk_" + i, T0 + 6_000 + i, 3_600_000)));
    }
    assertThat(set("").getSecretsCount()).isEqualTo(SecretOps.SECRETS_MAX);
    assertThat(set("").getSecrets(0).getId()).isEqualTo("sk_19");
  }

  @Test
  void aJobsCreateTimeSecretSeedsItsSetAndAMissingJobIsRejected() {
    var created = createAt("j", T0 + 60_000, T0);
    created =
        created.toBuilder()
            .setCreateJob(
                created.getCreateJob().toBuilder()
                    .setJob(
                        created.getCreateJob().getJob().toBuilder()
                            .setSigningSecret("enc:v1:k:job")))
            .build();
    db.apply(of(shardMap(0, 1, owners(4, "n1"))));
    assertThat(db.apply(of(created)).getResults(0).hasRejection()).isFalse();
    db.apply(of(rotate("j", "sk_new", T0 + 100, 2_000)));
    assertThat(set("j").getSecretsList())
        .extracting(SigningSecret::getId, SigningSecret::getSealed, SigningSecret::getExpiresMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sk_new", "enc:v1:k:sk_new", 0L),
            org.assertj.core.groups.Tuple.tuple("sk_job", "enc:v1:k:job", T0 + 2_100));
    assertThat(
            db.apply(of(rotate("missing", "sk_x", T0, 0))).getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_NOT_FOUND);
  }

  @Test
  void anUnsealedValueIsRejected() {
    Op op = rotate("", "sk_a", T0, 0);
    op =
        op.toBuilder()
            .setPutSigningSecrets(
                op.getPutSigningSecrets().toBuilder()
                    .setSecret(SigningSecret.newBuilder().setId("x").setSealed("whsec_plain")))
            .build();
    assertThat(db.apply(of(op)).getResults(0).getRejection().getCode())
        .isEqualTo(RejectCode.REJECT_INVALID);
    assertThat(set("").getSecretsCount()).isZero();
  }
}
