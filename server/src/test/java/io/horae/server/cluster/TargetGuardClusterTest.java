package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsRequest;
import io.horae.api.v1.DeleteJobRequest;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.egress.TargetGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook target guard end to end on a real node (Ratis, RocksDB, the gRPC API, the executor)
 * with a real receiver on 127.0.0.1. The node allows only the name hooks.test; its resolver maps
 * hooks.test and denied.test to 127.0.0.1 and resolves nothing else, so no packet leaves the
 * machine even if the guard were broken. A denied literal is refused at create, naming the field;
 * were it accepted, the job is due in 2100 and deleted at once. A name resolving to a denied
 * address is refused at connect, goes to the DLQ with its reason after one attempt, and the
 * receiver sees nothing; the allowed name is delivered.
 */
class TargetGuardClusterTest {
  private static final long FAR_MS = 4_102_444_800_000L; // 2100-01-01
  private static final String PLAIN_VALUE = "note-" + "7d1e0c";
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;
  static JobServiceGrpc.JobServiceBlockingStub jobs;
  static ExecutionServiceGrpc.ExecutionServiceBlockingStub executions;

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    LoopbackNames names =
        new LoopbackNames(
            Map.of("hooks.test", List.of("127.0.0.1"), "denied.test", List.of("127.0.0.1")));
    cluster = MiniCluster.start(tmp, 1, Map.of("webhook.targetAllow", "hooks.test"), names);
    jobs = JobServiceGrpc.newBlockingStub(cluster.channel("n1"));
    executions = ExecutionServiceGrpc.newBlockingStub(cluster.channel("n1"));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster, receiver);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "224.0.0.1",
        "198.18.0.1",
        "[::1]",
        "[::]",
        "[fe80::1]",
        "[fc00::1]",
        "[fd00:ec2::254]",
        "[ff02::1]",
        "[::ffff:10.0.0.1]",
        "[::ffff:169.254.169.254]",
        "[64:ff9b::a9fe:a9fe]",
        "[2002:a00:1::1]",
        "[2001:db8::1]",
        "127.1",
        "2130706433"
      })
  void aDeniedLiteralIsRefusedAtCreateNamingTheUrlFieldAndNothingIsStored(String host) {
    String name = "literal-" + Integer.toHexString(host.hashCode());
    Job job = job(name, "http://" + host + ":9/hook", FAR_MS);

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> createOrDelete(job));

    assertThat(e).as("create of %s must be refused", host).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violations(e))
        .extracting(BadRequest.FieldViolation::getField)
        .containsExactly("job.target.url");
    assertThat(violations(e).get(0).getDescription())
        .containsAnyOf("webhook.targetAllow", "no plain one", "must name a host");
    assertThat(code(() -> jobs().getJob(GetJobRequest.newBuilder().setName(name).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aBatchWithOneDeniedLiteralIsRefusedWholeNamingTheItemsField() {
    CreateJobsRequest batch =
        CreateJobsRequest.newBuilder()
            .addJobs(
                CreateJobRequest.newBuilder()
                    .setJob(job("batch-ok", "http://hooks.test:9/ok", FAR_MS)))
            .addJobs(
                CreateJobRequest.newBuilder()
                    .setJob(job("batch-bad", "http://10.0.0.1/bad", FAR_MS)))
            .build();

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> jobs().createJobs(batch));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violations(e))
        .extracting(BadRequest.FieldViolation::getField)
        .containsExactly("jobs[1].job.target.url");
    assertThat(code(() -> jobs().getJob(GetJobRequest.newBuilder().setName("batch-ok").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aNameResolvingToADeniedAddressIsDeadLetteredAfterOneAttemptWithItsReasonAndNoHeaderValue() {
    Job.Builder job =
        job(
            "refused",
            "http://denied.test:" + receiver.port() + "/refused?key=q-" + "4c2a",
            System.currentTimeMillis() + 500)
            .toBuilder();
    job.setRetry(RetryPolicy.newBuilder().setMaxAttempts(5).setInitialBackoffMs(100));
    job.getTargetBuilder().addHeaders(Header.newBuilder().setName("X-Note").setValue(PLAIN_VALUE));
    Job created = jobs().createJob(CreateJobRequest.newBuilder().setJob(job).build());
    String id = "default/refused@" + created.getNextFireMs();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(id).getStatus() == ExecutionStatus.EXECUTION_STATUS_DEAD);

    Execution dead = get(id);
    assertThat(dead.getAttempt()).isEqualTo(1);
    assertThat(dead.getLastError())
        .isEqualTo(
            "target refused: denied.test resolves to a loopback address; not in this node's webhook.targetAllow; not retried");
    assertThat(dead.toString())
        .doesNotContain(PLAIN_VALUE)
        .doesNotContain("q-4c2a")
        .doesNotContain("127.0.0.1");
    assertThat(receiver.arrivals()).noneMatch(d -> d.path().equals("/refused"));
    assertThat(
            cluster
                .node("n1")
                .registry()
                .get(TargetGuard.REFUSED_METRIC)
                .tag("reason", "loopback")
                .tag("stage", "connect")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void anAllowlistedNameIsDelivered() {
    Job created =
        jobs()
            .createJob(
                CreateJobRequest.newBuilder()
                    .setJob(
                        job(
                            "allowed",
                            "http://hooks.test:" + receiver.port() + "/allowed",
                            System.currentTimeMillis() + 500))
                    .build());
    String id = "default/allowed@" + created.getNextFireMs();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(id).getStatus() == ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);

    assertThat(receiver.deliveries())
        .filteredOn(d -> d.path().equals("/allowed"))
        .extracting(Receiver.Delivery::idempotencyKey)
        .containsExactly(id);
  }

  /** Creates the job; if the guard let it through, deletes it at once so that it can never fire. */
  static void createOrDelete(Job job) {
    jobs().createJob(CreateJobRequest.newBuilder().setJob(job).build());
    jobs().deleteJob(DeleteJobRequest.newBuilder().setName(job.getName()).build());
  }

  static Job job(String name, String url, long atMs) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAtMs(atMs))
        .setTarget(Target.newBuilder().setUrl(url))
        .build();
  }

  static JobServiceGrpc.JobServiceBlockingStub jobs() {
    return jobs.withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  static Execution get(String id) {
    return executions
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getExecution(GetExecutionRequest.newBuilder().setId(id).build());
  }

  static List<BadRequest.FieldViolation> violations(StatusRuntimeException e) {
    try {
      return StatusProto.fromThrowable(e)
          .getDetailsList()
          .get(0)
          .unpack(BadRequest.class)
          .getFieldViolationsList();
    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
      throw new AssertionError(x);
    }
  }

  static Status.Code code(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    return e == null ? Status.Code.OK : e.getStatus().getCode();
  }
}
