package io.horae.server.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.horae.api.v1.AddNodeRequest;
import io.horae.api.v1.CancelExecutionRequest;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsRequest;
import io.horae.api.v1.Cron;
import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.DeleteJobRequest;
import io.horae.api.v1.Every;
import io.horae.api.v1.GetDeadLetterRequest;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListSigningSecretsRequest;
import io.horae.api.v1.PauseJobRequest;
import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.PurgeDeadLettersRequest;
import io.horae.api.v1.RemoveNodeRequest;
import io.horae.api.v1.ReplayDeadLettersRequest;
import io.horae.api.v1.ResumeJobRequest;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.RotateSigningSecretRequest;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.SnapshotRequest;
import io.horae.api.v1.Target;
import io.horae.api.v1.TransferLeaderRequest;
import io.horae.api.v1.TriggerJobRequest;
import io.horae.api.v1.UpdateJobRequest;
import io.horae.api.v1.WatchExecutionsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What the fuzzer knows about the public API beyond its descriptors: every public method, a valid
 * request per method to mutate from, which methods write, and for each writing method a "poison": a
 * few fields that make any request refused without a write, appended to the request's bytes (a
 * parser keeps the last value of a field and merges messages, so the poison wins whatever came
 * before). A poisoned write that is answered OK is a bug.
 *
 * <p>Requests name jobs of namespace {@link #NAMESPACE}; {@link #SEED_JOBS} exist before the fuzz
 * starts, so that reads and poisoned writes also reach jobs that exist.
 */
public final class Catalog {
  public static final String NAMESPACE = "fuzz";
  public static final List<String> SEED_JOBS = List.of("seed-0", "seed-1", "seed-2");

  /** The only address the test cluster delivers to: port 9 (discard), where nothing answers. */
  static final String TARGET_URL = "http://127.0.0.1:9/hook";

  private static final List<ServiceDescriptor> SERVICES =
      io.horae.server.auth.Access.PUBLIC_SERVICES;

  /**
   * Writes whose OK is allowed under fuzz because, with no dead letter in the cluster, they change
   * nothing: the test checks their counts are 0 and the digest did not move.
   */
  public static final Set<String> NO_OP_WRITES =
      Set.of(
          "horae.v1.DeadLetterService/ReplayDeadLetters",
          "horae.v1.DeadLetterService/PurgeDeadLetters");

  private Catalog() {}

  /** Every method of every public service, in a fixed order. */
  public static List<MethodDescriptor<?, ?>> methods() {
    List<MethodDescriptor<?, ?>> out = new ArrayList<>();
    for (ServiceDescriptor s : SERVICES) {
      out.addAll(s.getMethods());
    }
    return out;
  }

  /** The request type's empty instance, from the method's protobuf marshaller. */
  public static Message prototype(MethodDescriptor<?, ?> method) {
    return (Message)
        ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller())
            .getMessagePrototype();
  }

  public static boolean writes(MethodDescriptor<?, ?> method) {
    String name = method.getBareMethodName();
    return !(name.startsWith("Get")
        || name.startsWith("List")
        || name.startsWith("Watch")
        || name.startsWith("Preview"));
  }

  /** A valid job of {@link #NAMESPACE} that fires in an hour and delivers nowhere. */
  public static Job.Builder validJob(String name) {
    return Job.newBuilder()
        .setNamespace(NAMESPACE)
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAfterMs(3_600_000))
        .setTarget(
            Target.newBuilder()
                .setUrl(TARGET_URL)
                .setMethod("PUT")
                .addHeaders(Header.newBuilder().setName("X-Fuzz").setValue("1"))
                .setBody(ByteString.copyFromUtf8("{}")))
        .setRetry(
            RetryPolicy.newBuilder().setMaxAttempts(3).setInitialBackoffMs(1000).setMultiplier(2))
        .setPriority(1)
        .putLabels("team", "fuzz");
  }

  /**
   * A valid request for {@code method} that names {@code job}; the default instance where nothing
   * more is needed.
   */
  public static Message template(MethodDescriptor<?, ?> method, String job, Random random) {
    String ns = NAMESPACE;
    String execution = ns + "/" + job + "@1700000000000";
    DeadLetterFilter filter =
        DeadLetterFilter.newBuilder().setNamespace(ns).setJobName(job).build();
    return switch (method.getBareMethodName()) {
      case "CreateJob" ->
          CreateJobRequest.newBuilder()
              .setJob(scheduled(validJob(job), random))
              .setRequestId("r-" + job)
              .build();
      case "CreateJobs" ->
          CreateJobsRequest.newBuilder()
              .addJobs(CreateJobRequest.newBuilder().setJob(validJob(job)))
              .addJobs(
                  CreateJobRequest.newBuilder().setJob(scheduled(validJob(job + "-b"), random)))
              .build();
      case "GetJob" -> GetJobRequest.newBuilder().setNamespace(ns).setName(job).build();
      case "ListJobs" ->
          ListJobsRequest.newBuilder()
              .setNamespace(ns)
              .setPageSize(5)
              .setLabelSelector("team=fuzz")
              .setNamePrefix("seed")
              .build();
      case "DeleteJob" -> DeleteJobRequest.newBuilder().setNamespace(ns).setName(job).build();
      case "PauseJob" -> PauseJobRequest.newBuilder().setNamespace(ns).setName(job).build();
      case "ResumeJob" -> ResumeJobRequest.newBuilder().setNamespace(ns).setName(job).build();
      case "UpdateJob" ->
          UpdateJobRequest.newBuilder()
              .setJob(scheduled(validJob(job), random).setPriority(2).setKeepLast(5))
              .setUpdateMask(
                  FieldMask.newBuilder()
                      .addPaths("schedule")
                      .addPaths("priority")
                      .addPaths("keep_last")
                      .addPaths("labels"))
              .build();
      case "TriggerJob" -> TriggerJobRequest.newBuilder().setNamespace(ns).setName(job).build();
      case "PreviewSchedule" ->
          PreviewScheduleRequest.newBuilder()
              .setNamespace(ns)
              .setSchedule(scheduled(validJob(job), random).getSchedule())
              .setCount(5)
              .build();
      case "ListExecutions" ->
          ListExecutionsRequest.newBuilder()
              .setNamespace(ns)
              .setJobName(job)
              .setPageSize(10)
              .build();
      case "GetExecution" -> GetExecutionRequest.newBuilder().setId(execution).build();
      case "CancelExecution" -> CancelExecutionRequest.newBuilder().setId(execution).build();
      case "WatchExecutions" ->
          WatchExecutionsRequest.newBuilder().setNamespace(ns).setJobName(job).build();
      case "ListDeadLetters" ->
          ListDeadLettersRequest.newBuilder().setFilter(filter).setPageSize(10).build();
      case "GetDeadLetter" -> GetDeadLetterRequest.newBuilder().setId(execution).build();
      case "ReplayDeadLetters" -> ReplayDeadLettersRequest.newBuilder().addIds(execution).build();
      case "PurgeDeadLetters" ->
          PurgeDeadLettersRequest.newBuilder().setFilter(filter).setLimit(10).build();
      case "RotateSigningSecret" ->
          RotateSigningSecretRequest.newBuilder()
              .setNamespace(ns)
              .setJobName(job)
              .setNewSecret("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY")
              .build();
      case "ListSigningSecrets" ->
          ListSigningSecretsRequest.newBuilder().setNamespace(ns).setJobName(job).build();
      case "AddNode" ->
          AddNodeRequest.newBuilder()
              .setId("n9")
              .setRaftAddress("127.0.0.1:1")
              .setApiAddress("127.0.0.1:1")
              .setInternalAddress("127.0.0.1:1")
              .build();
      case "RemoveNode" -> RemoveNodeRequest.newBuilder().setId("n9").build();
      case "TransferLeader" -> TransferLeaderRequest.newBuilder().setTargetId("n9").build();
      case "Snapshot" -> SnapshotRequest.newBuilder().setNodeId("n9").build();
      default -> prototype(method);
    };
  }

  /** {@code job} with one of the schedule kinds, so that mutations start from each of them. */
  private static Job.Builder scheduled(Job.Builder job, Random random) {
    Schedule s =
        switch (random.nextInt(4)) {
          case 0 -> Schedule.newBuilder().setAfterMs(3_600_000).build();
          case 1 ->
              Schedule.newBuilder()
                  .setEvery(Every.newBuilder().setIntervalMs(3_600_000))
                  .setMaxFires(3)
                  .build();
          case 2 ->
              Schedule.newBuilder()
                  .setCron(
                      Cron.newBuilder()
                          .setExpression("30 2 * * *")
                          .setTimeZone("Europe/Berlin")
                          .setDstOverlapValue(3))
                  .build();
          default -> Schedule.newBuilder().setAtMs(4_102_444_800_000L).build();
        };
    return job.setSchedule(s);
  }

  private static final Map<String, List<Message>> POISONS =
      Map.ofEntries(
          Map.entry(
              "CreateJob",
              List.of(
                  CreateJobRequest.newBuilder()
                      .setJob(Job.newBuilder().setName("bad name!"))
                      .build(),
                  CreateJobRequest.newBuilder()
                      .setJob(Job.newBuilder().setNamespace("bad ns!"))
                      .build(),
                  CreateJobRequest.newBuilder().setRequestId("r".repeat(129)).build(),
                  CreateJobRequest.newBuilder()
                      .setJob(
                          Job.newBuilder()
                              .setTarget(Target.newBuilder().setUrl("ftp://127.0.0.1/x")))
                      .build())),
          Map.entry(
              "CreateJobs",
              List.of(
                  CreateJobsRequest.newBuilder()
                      .addJobs(
                          CreateJobRequest.newBuilder()
                              .setJob(Job.newBuilder().setName("bad name!")))
                      .build())),
          Map.entry(
              "UpdateJob",
              List.of(
                  UpdateJobRequest.newBuilder().setExpectedVersion(Long.MAX_VALUE).build(),
                  UpdateJobRequest.newBuilder()
                      .setJob(Job.newBuilder().setName("no-such-job"))
                      .build(),
                  UpdateJobRequest.newBuilder()
                      .setJob(Job.newBuilder().setName("bad name!"))
                      .build(),
                  UpdateJobRequest.newBuilder().setRequestId("r".repeat(129)).build())),
          Map.entry(
              "DeleteJob",
              List.of(
                  DeleteJobRequest.newBuilder().setName("no-such-job").build(),
                  DeleteJobRequest.newBuilder().setName("bad name!").build(),
                  DeleteJobRequest.newBuilder().setRequestId("r".repeat(129)).build())),
          Map.entry(
              "PauseJob",
              List.of(
                  PauseJobRequest.newBuilder().setName("no-such-job").build(),
                  PauseJobRequest.newBuilder().setNamespace("bad ns!").build())),
          Map.entry(
              "ResumeJob",
              List.of(
                  ResumeJobRequest.newBuilder().setName("no-such-job").build(),
                  ResumeJobRequest.newBuilder().setName("bad name!").build())),
          Map.entry(
              "TriggerJob",
              List.of(
                  TriggerJobRequest.newBuilder().setName("no-such-job").build(),
                  TriggerJobRequest.newBuilder().setNamespace("bad ns!").build(),
                  TriggerJobRequest.newBuilder().setRequestId("r".repeat(129)).build())),
          Map.entry(
              "CancelExecution",
              List.of(
                  CancelExecutionRequest.newBuilder().setId(NAMESPACE + "/no-such-job@1").build(),
                  CancelExecutionRequest.newBuilder().setId("bad").build())),
          Map.entry(
              "RotateSigningSecret",
              List.of(
                  RotateSigningSecretRequest.newBuilder().setJobName("no-such-job").build(),
                  RotateSigningSecretRequest.newBuilder().setNewSecret("whsec_!!!!").build(),
                  RotateSigningSecretRequest.newBuilder().setNamespace("bad ns!").build())),
          Map.entry("AddNode", List.of(AddNodeRequest.newBuilder().setId("BAD ID").build())),
          Map.entry(
              "RemoveNode",
              List.of(
                  RemoveNodeRequest.newBuilder().setId("no-such-node").build(),
                  RemoveNodeRequest.newBuilder().setId("BAD ID").build())),
          Map.entry(
              "TransferLeader",
              List.of(
                  TransferLeaderRequest.newBuilder().setTargetId("no-such-node").build(),
                  TransferLeaderRequest.newBuilder().setTargetId("BAD ID").build())),
          Map.entry(
              "Snapshot",
              List.of(
                  SnapshotRequest.newBuilder().setNodeId("no-such-node").build(),
                  SnapshotRequest.newBuilder().setNodeId("BAD ID").build())));

  /**
   * Bytes that, appended to any request of {@code method}, make a write refused without effect;
   * empty for reads and {@link #NO_OP_WRITES}.
   */
  public static byte[] poison(MethodDescriptor<?, ?> method, Random random) {
    List<Message> options = POISONS.get(method.getBareMethodName());
    if (options == null) {
      if (writes(method) && !NO_OP_WRITES.contains(method.getFullMethodName())) {
        throw new IllegalStateException(
            method.getFullMethodName() + " writes but has no poison: add one");
      }
      return new byte[0];
    }
    return options.get(random.nextInt(options.size())).toByteArray();
  }
}
