package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.RotateSigningSecretRequest;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.SecretServiceGrpc;
import io.horae.api.v1.Target;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster without a key file refuses every request that carries a secret with FAILED_PRECONDITION
 * (reason NO_CLUSTER_KEY), writes nothing, and never echoes the secret.
 */
class NoClusterKeyTest {
  static final String SECRET = "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static JobServiceGrpc.JobServiceBlockingStub jobs;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 1, Map.of());
    cluster.awaitReady();
    jobs = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.ids().get(0)));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster);
  }

  static Job.Builder job(String name) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAfterMs(3_600_000))
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook"));
  }

  @Test
  void aSigningSecretOrSecretHeaderWithoutAClusterKeyIsFailedPreconditionAndTheJobDoesNotExist() {
    assertRefused("with-signing-secret", j -> j.setSigningSecret(SECRET));
    assertRefused(
        "with-auth",
        j ->
            j.setTarget(
                j.getTarget().toBuilder()
                    .addHeaders(
                        Header.newBuilder()
                            .setName("Authorization")
                            .setValue("Bearer hidden-token"))));
    assertRefused(
        "with-marked",
        j ->
            j.setTarget(
                j.getTarget().toBuilder()
                    .addHeaders(
                        Header.newBuilder()
                            .setName("X-T")
                            .setValue("hidden-token")
                            .setSecret(true))));
  }

  @Test
  void aJobWithoutSecretsIsStillAccepted() {
    assertThat(
            jobs.createJob(CreateJobRequest.newBuilder().setJob(job("no-secrets")).build())
                .getName())
        .isEqualTo("no-secrets");
  }

  @Test
  void aRotationWithoutAClusterKeyIsFailedPrecondition() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                SecretServiceGrpc.newBlockingStub(cluster.channel(cluster.ids().get(0)))
                    .rotateSigningSecret(
                        RotateSigningSecretRequest.newBuilder()
                            .setNamespace("ns")
                            .setNewSecret(SECRET)
                            .build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.toString()).doesNotContain(SECRET.substring(6));
  }

  private void assertRefused(String name, UnaryOperator<Job.Builder> change) {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                jobs.createJob(
                    CreateJobRequest.newBuilder().setJob(change.apply(job(name))).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription())
        .contains("secrets.keyFile")
        .doesNotContain("hidden-token")
        .doesNotContain(SECRET.substring(6));
    assertThat(StatusProto.fromThrowable(e).getDetailsList())
        .anySatisfy(
            d -> assertThat(d.unpack(ErrorInfo.class).getReason()).isEqualTo("NO_CLUSTER_KEY"));
    StatusRuntimeException missing =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> jobs.getJob(GetJobRequest.newBuilder().setName(name).build()));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }
}
