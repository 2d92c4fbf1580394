package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.CreateJobOutcome;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsResponse;
import io.horae.api.v1.GetStateDigestRequest;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.StateDigest;
import io.horae.server.fuzz.CaseGenerator;
import io.horae.server.fuzz.Catalog;
import io.horae.server.fuzz.FuzzRun;
import io.horae.server.fuzz.RawCaller;
import io.horae.server.fuzz.Verdicts;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: no request, however malformed, makes the public API fail, hang, crash a node or change the
 * replicated state; valid requests among malformed ones still work, and the replicas agree.
 *
 * <p>Method: one seeded run against a real three-node cluster. {@code fuzz.cases} (10,000 by
 * default) requests over every public method, made by {@link CaseGenerator} from the protobuf
 * descriptors: extreme and huge field values, unknown enum numbers, long repeated fields, invalid
 * UTF-8, random and corrupted bytes. Every write among them carries a poison ({@link Catalog}), so
 * the cluster's state digest must not move at all. A second, smaller run mixes valid creates and
 * unpoisoned mutated writes into the garbage: every valid create must succeed, the jobs stored must
 * be exactly those acknowledged, and all replicas must hold the same state.
 *
 * <p>The seed is printed ({@code ApiFuzzTest seed=...}) and is part of every failure message;
 * {@code -Dfuzz.seed=N} replays a run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiFuzzTest {
  static final long SEED = seed();
  static final int CASES = Integer.getInteger("fuzz.cases", 10_000);

  /**
   * All huge strings and bytes of the run together: a dozen or so requests near the 4 MiB limit.
   */
  static final long HUGE_CHARS_BUDGET = 48L * 1024 * 1024;

  /** Failures shown in an assertion message; the rest are counted. */
  static final int FAILURES_SHOWN = 8;

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static List<ManagedChannel> channels;

  private static long seed() {
    String s = System.getProperty("fuzz.seed", "");
    return s.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(s.trim());
  }

  @BeforeAll
  static void start() throws Exception {
    System.out.println("ApiFuzzTest seed=" + SEED + " cases=" + CASES);
    cluster = MiniCluster.start(tmp, 3, Map.of());
    // Replies' trailers are judged by Verdicts against a default client's limit; this client
    // takes larger ones, so that one oversized reply is reported as such and does not fail the
    // whole connection (and every call on it) with a header-size error.
    channels =
        cluster.ids().stream()
            .map(
                id ->
                    cluster.channel(
                        id, b -> b.maxInboundMetadataSize(Verdicts.TRAILER_BYTES_SEEN_MAX)))
            .toList();
    JobServiceGrpc.JobServiceBlockingStub jobs =
        JobServiceGrpc.newBlockingStub(channels.get(0)).withDeadlineAfter(30, TimeUnit.SECONDS);
    for (String name : Catalog.SEED_JOBS) {
      jobs.createJob(CreateJobRequest.newBuilder().setJob(Catalog.validJob(name)).build());
    }
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster);
  }

  @Test
  @Order(1)
  void malformedRequestsToEveryMethodGetCleanRepliesAndChangeNothing() throws Exception {
    String before = agreedDigest();
    CaseGenerator generator = new CaseGenerator(SEED, HUGE_CHARS_BUDGET);
    List<MethodDescriptor<?, ?>> methods = Catalog.methods();
    FuzzRun run = new FuzzRun(channels);
    long started = System.nanoTime();
    // The first pass gives every method a case, so that none is left out by chance.
    int[] sent = {0};
    run.send(
        CASES,
        () ->
            sent[0] < methods.size()
                ? generator.poisoned(methods.get(sent[0]++))
                : generator.next(),
        Verdicts::problem);
    System.out.printf(
        "ApiFuzzTest seed=%d: %d malformed requests in %d ms, replies %s%n",
        SEED, CASES, (System.nanoTime() - started) / 1_000_000, run.codes());

    assertNoFailures(run);
    assertEveryNodeRunsAndAnswers();
    assertThat(agreedDigest())
        .as("the state digest after %d refused requests (seed %d)", CASES, SEED)
        .isEqualTo(before);
  }

  @Test
  @Order(2)
  void validRequestsAmongMalformedOnesTakeEffectAndTheReplicasAgree() throws Exception {
    CaseGenerator generator = new CaseGenerator(SEED + 1, HUGE_CHARS_BUDGET / 8);
    Map<String, MethodDescriptor<?, ?>> byName = new TreeMap<>();
    Catalog.methods().forEach(m -> byName.put(m.getBareMethodName(), m));
    List<String> existingJobWrites =
        List.of("UpdateJob", "PauseJob", "ResumeJob", "TriggerJob", "RotateSigningSecret");
    int count = Math.max(200, CASES / 20);
    Set<String> validNames = new TreeSet<>();
    /** namespace/name of every job a create was acknowledged for; guarded by itself. */
    Set<String> acknowledged = new TreeSet<>();
    Catalog.SEED_JOBS.forEach(j -> acknowledged.add(Catalog.NAMESPACE + "/" + j));
    int[] next = {0};
    FuzzRun run = new FuzzRun(channels);
    run.send(
        count,
        () -> {
          int i = next[0]++;
          int pick = generator.random().nextInt(100);
          if (pick < 30) {
            String name = "ok-" + i;
            validNames.add(name);
            byte[] create =
                CreateJobRequest.newBuilder()
                    .setJob(Catalog.validJob(name))
                    .setRequestId("ok-" + i)
                    .build()
                    .toByteArray();
            return new CaseGenerator.Case(
                i, byName.get("CreateJob"), "valid create", create, false);
          }
          if (pick < 55) {
            MethodDescriptor<?, ?> m =
                byName.get(generator.random().nextBoolean() ? "CreateJob" : "CreateJobs");
            byte[] b =
                generator
                    .fuzzer()
                    .mutate(
                        Catalog.template(m, "mut-" + i, generator.random()),
                        1 + generator.random().nextInt(3))
                    .toByteArray();
            return new CaseGenerator.Case(i, m, "mutated create", b, false);
          }
          if (pick < 80) {
            MethodDescriptor<?, ?> m =
                byName.get(
                    existingJobWrites.get(generator.random().nextInt(existingJobWrites.size())));
            String job =
                validNames.isEmpty()
                    ? Catalog.SEED_JOBS.get(0)
                    : List.copyOf(validNames).get(generator.random().nextInt(validNames.size()));
            byte[] b =
                generator
                    .fuzzer()
                    .mutate(
                        Catalog.template(m, job, generator.random()), generator.random().nextInt(3))
                    .toByteArray();
            return new CaseGenerator.Case(i, m, "mutated write to an existing job", b, false);
          }
          return generator.next();
        },
        (c, o) -> {
          String problem = Verdicts.problem(c, o);
          if (problem == null && c.kind().equals("valid create") && !o.answered()) {
            problem = "a valid create was refused: " + o.status();
          }
          if (problem == null && o.answered()) {
            synchronized (acknowledged) {
              acknowledged.addAll(createdJobs(c, o));
            }
          }
          return problem;
        });
    System.out.printf(
        "ApiFuzzTest seed=%d: %d mixed requests, replies %s, jobs acknowledged %d%n",
        SEED, count, run.codes(), acknowledged.size());

    assertNoFailures(run);
    assertEveryNodeRunsAndAnswers();
    assertThat(storedJobs(acknowledged))
        .as("jobs stored vs jobs whose create was acknowledged (seed %d)", SEED)
        .isEqualTo(acknowledged);
    agreedDigest();
  }

  @Test
  @Order(3)
  void bytesThatAreNotARequestAreInvalidArgumentNamingTheMethod() throws Exception {
    MethodDescriptor<byte[], byte[]> create = RawCaller.raw(JobServiceGrpc.getCreateJobMethod());
    // Field 2 (request_id) holding a lone continuation byte: not UTF-8.
    byte[] notUtf8 = {0x12, 0x01, (byte) 0x80};

    RawCaller.Outcome o =
        RawCaller.call(
                cluster.channel(cluster.ids().get(0)), create, notUtf8, Duration.ofSeconds(20))
            .get(30, TimeUnit.SECONDS);

    assertThat(o.status().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(o.status().getDescription())
        .contains("horae.v1.JobService/CreateJob")
        .contains("UTF-8");
  }

  @Test
  @Order(4)
  void thousandsOfBadIdsGetAnInvalidArgumentThatADefaultClientAccepts() {
    io.horae.api.v1.PurgeDeadLettersRequest.Builder purge =
        io.horae.api.v1.PurgeDeadLettersRequest.newBuilder();
    for (int i = 0; i < 600; i++) {
      purge.addIds("\u6f22".repeat(200) + i);
    }
    // A client with gRPC's default limits: a reply that echoed every id failed its connection.
    io.horae.api.v1.DeadLetterServiceGrpc.DeadLetterServiceBlockingStub stub =
        io.horae.api.v1.DeadLetterServiceGrpc.newBlockingStub(cluster.channel(cluster.ids().get(1)))
            .withDeadlineAfter(30, TimeUnit.SECONDS);

    io.grpc.StatusRuntimeException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.grpc.StatusRuntimeException.class, () -> stub.purgeDeadLetters(purge.build()));

    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .startsWith("invalid request: ids: at most")
        .contains("more");
  }

  /** namespace/name of the jobs an acknowledged CreateJob or CreateJobs reply reports. */
  private static List<String> createdJobs(CaseGenerator.Case c, RawCaller.Outcome o) {
    try {
      return switch (c.method().getBareMethodName()) {
        case "CreateJob" -> List.of(key(Job.parseFrom(o.response())));
        case "CreateJobs" ->
            CreateJobsResponse.parseFrom(o.response()).getResultsList().stream()
                .filter(r -> r.getCode() == 0)
                .map(CreateJobOutcome::getJob)
                .map(ApiFuzzTest::key)
                .toList();
        default -> List.of();
      };
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("Verdicts parsed this reply already", e);
    }
  }

  private static String key(Job j) {
    return j.getNamespace() + "/" + j.getName();
  }

  /** Every job of the namespaces that {@code acknowledged} names, as namespace/name. */
  private static Set<String> storedJobs(Set<String> acknowledged) {
    JobServiceGrpc.JobServiceBlockingStub jobs = JobServiceGrpc.newBlockingStub(channels.get(1));
    Set<String> namespaces = new TreeSet<>();
    acknowledged.forEach(k -> namespaces.add(k.substring(0, k.indexOf('/'))));
    Set<String> stored = new TreeSet<>();
    for (String ns : namespaces) {
      String token = "";
      do {
        ListJobsResponse page =
            jobs.withDeadlineAfter(30, TimeUnit.SECONDS)
                .listJobs(
                    ListJobsRequest.newBuilder()
                        .setNamespace(ns)
                        .setPageSize(1000)
                        .setPageToken(token)
                        .build());
        page.getJobsList().forEach(j -> stored.add(key(j)));
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    }
    return stored;
  }

  private static void assertNoFailures(FuzzRun run) {
    List<FuzzRun.Failure> failures = run.failures();
    failures.forEach(f -> System.out.println("ApiFuzzTest seed=" + SEED + " unclean: " + f));
    List<String> shown = new ArrayList<>();
    failures.stream()
        .sorted((a, b) -> Integer.compare(a.c().number(), b.c().number()))
        .limit(FAILURES_SHOWN)
        .forEach(f -> shown.add(f.toString()));
    assertThat(shown)
        .as(
            "%d unclean replies with seed %d (rerun with -Dfuzz.seed=%d); the first ones",
            failures.size(), SEED, SEED)
        .isEmpty();
  }

  /** No node stopped: each is still a live Raft member, and each answers a status call. */
  private static void assertEveryNodeRunsAndAnswers() {
    assertThat(cluster.nodes()).hasSize(3);
    for (HoraeNode n : cluster.nodes()) {
      assertThat(n.raftLost()).as("node %s's Raft server (seed %d)", n.id(), SEED).isNotDone();
    }
    for (ManagedChannel ch : channels) {
      ClusterServiceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .getStatus(GetStatusRequest.getDefaultInstance());
    }
  }

  /**
   * The state digest once every node has applied the same index, after checking that they all have
   * the same one there (replicas that disagree diverged).
   */
  private static String agreedDigest() {
    AtomicReference<List<StateDigest>> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              List<StateDigest> ds =
                  channels.stream()
                      .map(
                          ch ->
                              ClusterServiceGrpc.newBlockingStub(ch)
                                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                                  .getStateDigest(GetStateDigestRequest.getDefaultInstance()))
                      .toList();
              last.set(ds);
              return ds.stream().map(StateDigest::getAppliedIndex).distinct().count() == 1;
            });
    List<StateDigest> ds = last.get();
    assertThat(ds.stream().map(StateDigest::getSha256).distinct())
        .as("replicas' digests at index %d (seed %d): %s", ds.get(0).getAppliedIndex(), SEED, ds)
        .hasSize(1);
    return ds.get(0).getSha256();
  }
}
