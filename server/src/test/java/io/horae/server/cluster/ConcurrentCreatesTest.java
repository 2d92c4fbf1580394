package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.micrometer.core.instrument.DistributionSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proposer's two paths under concurrency: a proposing thread sends its batch itself when a slot
 * is free, and ops that queue behind full slots are sent when a batch completes. The leader puts
 * its entries straight into its own Raft server; a follower sends them to the leader. Many callers
 * on the leader and on a follower at once must each get their job committed (none stranded in the
 * queue, none answered twice), group commit must still pack several ops per entry, and a node
 * restarted afterwards must come back with every job (the Raft log no longer carries commit-index
 * metadata entries; the store keeps its applied index).
 */
class ConcurrentCreatesTest {
  static final int CALLERS = 48;
  static final int CREATES_PER_CALLER = 25;

  @TempDir static Path tmp;
  static MiniCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 3, Map.of());
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster);
  }

  @Test
  void everyConcurrentCreateCommitsInBatchesAndSurvivesARestart() throws Exception {
    String leaderId = cluster.leader().id();
    String followerId = cluster.follower().id();
    double leaderLocal = sent(leaderId, "local");
    double leaderClient = sent(leaderId, "client");
    double followerLocal = sent(followerId, "local");
    double followerClient = sent(followerId, "client");
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> callers = new ArrayList<>();
    for (int c = 0; c < CALLERS; c++) {
      String via = c % 2 == 0 ? leaderId : followerId;
      int caller = c;
      callers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    var stub =
                        JobServiceGrpc.newBlockingStub(cluster.channel(via))
                            .withDeadlineAfter(60, TimeUnit.SECONDS);
                    for (int i = 0; i < CREATES_PER_CALLER; i++) {
                      try {
                        Job job = stub.createJob(request(name(caller, i)));
                        assertThat(job.getName()).isEqualTo(name(caller, i));
                      } catch (Throwable t) {
                        failures.add(t);
                      }
                    }
                  }));
    }
    for (Thread t : callers) {
      t.join(TimeUnit.MINUTES.toMillis(2));
    }
    assertThat(failures).isEmpty();
    assertThat(cluster.leader().id())
        .as("the leader, unchanged through the creates")
        .isEqualTo(leaderId);
    assertThat(sent(leaderId, "local") - leaderLocal)
        .as("entries the leader put into its own Raft server")
        .isPositive();
    assertThat(sent(leaderId, "client") - leaderClient)
        .as("entries the leader sent through the Raft client")
        .isZero();
    assertThat(sent(followerId, "client") - followerClient)
        .as("entries the follower sent to the leader")
        .isPositive();
    assertThat(sent(followerId, "local") - followerLocal)
        .as("entries the follower put into its own Raft server")
        .isZero();

    DistributionSummary batches =
        cluster.node(followerId).registry().find("horae.raft.batch.ops").summary();
    assertThat(batches).isNotNull();
    assertThat(batches.totalAmount() / batches.count())
        .as("ops per entry proposed by the follower")
        .isGreaterThan(1.0);

    cluster.stopNode(followerId);
    cluster.startNode(followerId);
    cluster.awaitReady();
    var restarted =
        JobServiceGrpc.newBlockingStub(cluster.channel(followerId))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
    for (int c = 0; c < CALLERS; c++) {
      assertThat(
              restarted
                  .getJob(
                      GetJobRequest.newBuilder().setName(name(c, CREATES_PER_CALLER - 1)).build())
                  .getName())
          .isEqualTo(name(c, CREATES_PER_CALLER - 1));
    }
  }

  /** Entries the node proposed on {@code path} (local: into its own Raft server; client). */
  static double sent(String node, String path) {
    return cluster
        .node(node)
        .registry()
        .get("horae.raft.entries.sent")
        .tag("path", path)
        .counter()
        .count();
  }

  static String name(int caller, int i) {
    return "c" + caller + "-" + i;
  }

  static CreateJobRequest request(String name) {
    Job job =
        Job.newBuilder()
            .setName(name)
            .setSchedule(Schedule.newBuilder().setAfterMs(TimeUnit.DAYS.toMillis(7)))
            .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook"))
            .build();
    return CreateJobRequest.newBuilder().setJob(job).setRequestId(name).build();
  }
}
