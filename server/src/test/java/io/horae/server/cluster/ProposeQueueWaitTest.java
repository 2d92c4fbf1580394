package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 11, item 4): past the cluster's capacity a create is refused at once, not answered
 * seconds later. While the oldest client op in a node's proposal lane has waited longer than
 * raft.proposeQueueWaitMax, new client ops are refused with RESOURCE_EXHAUSTED (reason OVERLOADED)
 * instead of queued behind it.
 *
 * <p>Method: three nodes, one client entry in flight at a time; both followers stop, so nothing
 * commits and the next creates wait in the surviving node's lane. Creates go on through that node
 * until one is refused; it must be refused fast, and name the setting.
 */
class ProposeQueueWaitTest {
  static final Duration WAIT_MAX = Duration.ofMillis(300);

  /** A refused create is answered within this, far below the deadline the waiting ones run into. */
  static final long REFUSED_WITHIN_MS = 1_000;

  @TempDir Path tmp;

  @Test
  void aClientWriteIsRefusedAtOnceWhileTheOldestWaitingOneHasWaitedTooLong() throws Exception {
    try (MiniCluster cluster =
        MiniCluster.start(
            tmp,
            3,
            Map.of(
                "raft.proposeQueueWaitMax",
                WAIT_MAX.toMillis() + "ms",
                "raft.clientBatchesInFlightMax",
                "1"))) {
      cluster.awaitLeases();
      HoraeNode survivor = cluster.leader();
      String via = survivor.id();
      JobServiceGrpc.newBlockingStub(cluster.channel(via))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .createJob(ConcurrentCreatesTest.request("before"));
      for (String id : cluster.ids()) {
        if (!id.equals(via)) {
          cluster.stopNode(id);
        }
      }

      // Neither waits for the other: the first takes the one entry in flight, the second queues.
      var async =
          JobServiceGrpc.newFutureStub(cluster.channel(via))
              .withDeadlineAfter(30, TimeUnit.SECONDS);
      async.createJob(ConcurrentCreatesTest.request("stuck-1"));
      async.createJob(ConcurrentCreatesTest.request("stuck-2"));

      AtomicInteger seq = new AtomicInteger();
      AtomicReference<StatusRuntimeException> refused = new AtomicReference<>();
      AtomicReference<Long> refusedAfterMs = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                long start = System.nanoTime();
                try {
                  JobServiceGrpc.newBlockingStub(cluster.channel(via))
                      .withDeadlineAfter(2, TimeUnit.SECONDS)
                      .createJob(ConcurrentCreatesTest.request("probe-" + seq.getAndIncrement()));
                  return false;
                } catch (StatusRuntimeException e) {
                  if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
                    return false; // waited for the commit that cannot come
                  }
                  refused.set(e);
                  refusedAfterMs.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                  return true;
                }
              });

      StatusRuntimeException e = refused.get();
      assertThat(e.getStatus().getDescription()).contains("raft.proposeQueueWaitMax");
      ErrorInfo info = null;
      for (com.google.protobuf.Any d : StatusProto.fromThrowable(e).getDetailsList()) {
        if (d.is(ErrorInfo.class)) {
          info = d.unpack(ErrorInfo.class);
        }
      }
      assertThat(info).isNotNull();
      assertThat(info.getReason()).isEqualTo("OVERLOADED");
      assertThat(refusedAfterMs.get()).as("ms to the refusal").isLessThan(REFUSED_WITHIN_MS);
    }
  }
}
