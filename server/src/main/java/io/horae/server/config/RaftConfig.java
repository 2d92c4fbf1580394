package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Raft (Ratis) settings of the one Raft group every node belongs to.
 *
 * @param groupId the Raft group id, a UUID string; every peer of a cluster must use the same one
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param snapshotEveryEntries take a snapshot after this many applied entries, so the log does not
 *     grow forever (Ratis leaves auto-snapshots off); also bounds what a restarted node replays
 *     from its log and RocksDB's WAL (a snapshot is a checkpoint, which flushes the memtables)
 * @param batchOpsMax most operations proposed in one Raft entry
 * @param batchBytesMax most encoded bytes of one Raft entry
 * @param batchesInFlightMax most entries one node has proposed and awaits at once; the ops that
 *     arrive meanwhile wait and go together in the next entry
 * @param clientBatchesInFlightMax of those, most that may be in flight when the next entry would
 *     hold only clients' ops (an entry with the node's own results may take any free slot)
 * @param proposeQueueMax most operations waiting to be batched and proposed, per lane (clients'
 *     ops; the node's own results, shard-map and membership ops); beyond it callers are rejected
 * @param proposeQueueBytesMax most encoded bytes waiting in one lane, the same way
 * @param requestTimeout deadline of one propose or linearizable read
 * @param logSegmentBytesMax size at which a Raft log segment is closed; only closed segments are
 *     purged behind a snapshot, so this bounds the log kept beyond the last snapshot
 * @param appenderRetryWaitMax longest wait of the leader's log appender between attempts on a
 *     follower that keeps failing (down, or refusing appends while it catches up); bounds how long
 *     a restarted follower waits for the leader's next attempt
 * @param proposeQueueWaitMax while the oldest client op in its lane has waited longer than this,
 *     new client ops are refused (RESOURCE_EXHAUSTED, OVERLOADED) instead of queued behind it: a
 *     create past the cluster's capacity is answered at once, not seconds later; 0 turns it off
 * @param logKeepEntries entries the log keeps behind each snapshot: a follower that is at most this
 *     many entries behind is sent them, not the whole store as a snapshot; 0 purges up to the
 *     snapshot
 * @param firstElectionTimeoutMin lower bound of the randomized election timeout of a node that has
 *     not known a leader since it started (a fresh cluster, a whole cluster restarted); after that,
 *     the election timeouts above. Each bound is at most its election timeout's: shorter election
 *     timeouts set alone shorten the first one with them
 * @param firstElectionTimeoutMax upper bound of that first timeout
 */
public record RaftConfig(
    String groupId,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    long snapshotEveryEntries,
    int batchOpsMax,
    long batchBytesMax,
    int batchesInFlightMax,
    int clientBatchesInFlightMax,
    int proposeQueueMax,
    long proposeQueueBytesMax,
    Duration requestTimeout,
    long logSegmentBytesMax,
    Duration appenderRetryWaitMax,
    Duration proposeQueueWaitMax,
    long logKeepEntries,
    Duration firstElectionTimeoutMin,
    Duration firstElectionTimeoutMax) {

  /** A fixed group id, so that nodes started from the sample files agree without coordination. */
  public static final String GROUP_ID_DEFAULT = "1e7a9c3b-0000-4000-8000-686f72616501";

  /**
   * Ratis' 150-300 ms default thrashes leadership on a loaded 2-core box (DESIGN §11); 1-2 s held
   * steady but made leader failover take ~3 s. 750 ms keeps the leader through the GC pauses
   * measured here. The max is 1 s, not 1.5 s: a follower notices a dead leader only at the end of a
   * second randomized sleep (Ratis' FollowerState), so detection takes up to twice the max; 1 s
   * brought the leader-kill gap from 2.4-3.2 s to 2.0-2.3 s (docs/failover.md).
   */
  public static final Duration ELECTION_TIMEOUT_MIN_DEFAULT = Duration.ofMillis(750);

  public static final Duration ELECTION_TIMEOUT_MAX_DEFAULT = Duration.ofMillis(1000);

  /**
   * A node that has not known a leader since it started waits this long before it asks for votes:
   * with the timeouts above, a fresh cluster had no leader for one to two seconds after its nodes
   * were up. Shorter does not weaken the lease argument (docs/failover.md, case 2): a voter still
   * refuses a pre-vote while it has heard from a leader within {@code electionTimeoutMin}, and a
   * node restarting into a running cluster only sends pre-votes that its peers refuse until the
   * leader reaches it.
   */
  public static final Duration FIRST_ELECTION_TIMEOUT_MIN_DEFAULT = Duration.ofMillis(200);

  public static final Duration FIRST_ELECTION_TIMEOUT_MAX_DEFAULT = Duration.ofMillis(400);

  /**
   * 2,500 shortened a restart's replay (10,000 entries took up to 1.5 s) but not the restart, and a
   * burst's deliveries were slower with four times the checkpoints (docs/failover.md, "Snapshots
   * more often").
   */
  public static final long SNAPSHOT_EVERY_ENTRIES_DEFAULT = 10_000;

  /** Purge up to each snapshot: a follower far behind gets the snapshot, which was not slower. */
  public static final long LOG_KEEP_ENTRIES_DEFAULT = 0;

  /** About 100 ops per entry is where throughput stops growing on 2 cores (DESIGN §11). */
  public static final int BATCH_OPS_MAX_DEFAULT = 256;

  public static final long BATCH_BYTES_MAX_DEFAULT = 1024 * 1024;

  /** More adds little on 2 cores and shrinks entries (docs/bench.md). */
  public static final int BATCHES_IN_FLIGHT_MAX_DEFAULT = 4;

  /**
   * Two: single creates at 64 in flight took a third less CPU each than with 4, batched creates
   * kept their rate; one halved single creates' CPU but slowed batched ones (docs/bench.md).
   */
  public static final int CLIENT_BATCHES_IN_FLIGHT_MAX_DEFAULT = 2;

  public static final int PROPOSE_QUEUE_MAX_DEFAULT = 20_000;

  /** 20,000 creates of about 3 KiB; the worst case by count alone (20,000 x 1 MiB) was 20 GiB. */
  public static final long PROPOSE_QUEUE_BYTES_MAX_DEFAULT = 64L * 1024 * 1024;

  public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
  public static final long LOG_SEGMENT_BYTES_MAX_DEFAULT = 8L * 1024 * 1024;

  /**
   * Ratis waits 5 s (randomized to 2.5-7.5 s) per attempt after 30 failures, which a follower down
   * for 10 s has reached; each refused append of its catch-up then cost another such wait, and a
   * restarted node got its first lease 25 s after it started (docs/failover.md, "A restarted
   * follower waited for the leader"). 250 ms is at most four refused connections a second to a dead
   * follower.
   */
  public static final Duration APPENDER_RETRY_WAIT_MAX_DEFAULT = Duration.ofMillis(250);

  /**
   * Several times what the lane's head waits at capacity (a CreateJobs burst of 16 x 500 creates
   * drains in about half a second on the bench machine), well under the request timeout.
   */
  public static final Duration PROPOSE_QUEUE_WAIT_MAX_DEFAULT = Duration.ofSeconds(2);

  public RaftConfig {
    Objects.requireNonNull(proposeQueueWaitMax, "proposeQueueWaitMax");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
    Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
    Objects.requireNonNull(firstElectionTimeoutMin, "firstElectionTimeoutMin");
    Objects.requireNonNull(firstElectionTimeoutMax, "firstElectionTimeoutMax");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(appenderRetryWaitMax, "appenderRetryWaitMax");
  }
}
