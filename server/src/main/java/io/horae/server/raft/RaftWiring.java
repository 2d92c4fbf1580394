package io.horae.server.raft;

import io.horae.server.config.HoraeConfig;
import io.horae.server.config.PeerConfig;
import java.io.File;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Translates our config into Ratis' group and properties; the one place that knows Ratis keys. */
public final class RaftWiring {
  /** Ratis' default preallocation; smaller segments preallocate their own size. */
  static final long PREALLOCATED_BYTES_MAX = 4L * 1024 * 1024;

  /** Snapshot chunks sent before waiting for the follower's replies. */
  static final int INSTALL_SNAPSHOT_CHUNKS_IN_FLIGHT = 64;

  /** Attempts of one admin request beyond the first (leader changes, leader not ready). */
  static final int ADMIN_RETRIES_MAX = 10;

  static final long ADMIN_RETRY_SLEEP_MILLIS = 500;

  private RaftWiring() {}

  public static RaftGroup group(HoraeConfig config) {
    List<RaftPeer> peers =
        config.peers().stream().map(p -> peer(p.id(), p.raft().toString())).toList();
    return RaftGroup.valueOf(RaftGroupId.valueOf(UUID.fromString(config.raft().groupId())), peers);
  }

  /**
   * The group this node's Raft server starts with. In join mode it is the group id without peers:
   * the server forms no group of its own and waits for the leader of the existing group to contact
   * it after {@code AddNode} (Ratis then sends it the log or a snapshot, configuration included).
   * Once the server has Raft state, the configuration stored there wins either way.
   */
  public static RaftGroup serverGroup(HoraeConfig config) {
    RaftGroup all = group(config);
    return config.membership().join() ? RaftGroup.valueOf(all.getGroupId()) : all;
  }

  /** A voting peer; Ratis client and admin requests go to its Raft port too. */
  public static RaftPeer peer(String id, String raftAddress) {
    return RaftPeer.newBuilder()
        .setId(id)
        .setAddress(raftAddress)
        .setClientAddress(raftAddress)
        .setAdminAddress(raftAddress)
        .build();
  }

  private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  public static RaftPeerId selfId(HoraeConfig config) {
    return RaftPeerId.valueOf(config.node().id());
  }

  public static RaftProperties serverProperties(HoraeConfig config) {
    RaftProperties p = new RaftProperties();
    PeerConfig self = config.self();
    File raftDir = config.node().dataDir().resolve("raft").toFile();
    RaftServerConfigKeys.setStorageDir(p, List.of(raftDir));
    GrpcConfigKeys.Server.setHost(p, self.raft().host());
    GrpcConfigKeys.Server.setPort(p, self.raft().port());
    // Long election timeouts: 150-300 ms thrashes leadership on a loaded 2-core box (DESIGN §11).
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, duration(config.raft().electionTimeoutMin()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, duration(config.raft().electionTimeoutMax()));
    // Until it first knows a leader, a node campaigns sooner: a fresh cluster elects its first
    // leader in a fraction of a second instead of one to two (RaftConfig). Never later than the
    // election timeouts, so that shorter ones set alone do not meet a longer first wait.
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(
        p,
        duration(min(config.raft().firstElectionTimeoutMin(), config.raft().electionTimeoutMin())));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(
        p,
        duration(min(config.raft().firstElectionTimeoutMax(), config.raft().electionTimeoutMax())));
    // Failover relies on pre-vote (docs/failover.md, case 2): a node grants a pre-vote only when it
    // has not heard from its leader for the minimum election timeout. It is Ratis' default; say so.
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    // Without automatic snapshots the log grows forever.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.raft().snapshotEveryEntries());
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // Every snapshot purges the closed segments it covers, however few entries they hold: a
    // leader resyncs a member stuck at the log's first entry by a snapshot that must drop it
    // (CoordinatorCore#RESYNC_GAP_FACTOR). Automatic snapshots are snapshotEveryEntries apart, so
    // this adds no purges to them.
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    // Entries kept behind each snapshot (0 by default): a follower that far behind is sent entries
    // instead of the whole store.
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, config.raft().logKeepEntries());
    long segment = config.raft().logSegmentBytesMax();
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(segment));
    RaftServerConfigKeys.Log.setPreallocatedSize(
        p, SizeInBytes.valueOf(Math.min(segment, PREALLOCATED_BYTES_MAX)));
    // Ratis appends a metadata entry (the commit index) to the log after each commit: one more
    // write, fsync and append round per commit on every node, that is twice the log work of a lone
    // create. It only lets a restarted node re-apply committed entries before it hears from a
    // leader; our store keeps its own applied index, and an acknowledged entry is still fsynced on
    // a majority before it commits (docs/bench.md, "Where a create spends its time").
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(
        p, appenderRetryPolicy(config.raft().appenderRetryWaitMax()));
    // Ratis 3.3's composed follower appends answer a request whose first index is already being
    // appended with that earlier append's future, so the request's own entries may never be
    // written while its commit index is applied, capped only by a flush index that truncation does
    // not lower: a former leader with stale entries then commits past its log end and refuses every
    // append for good (docs/failover.md, "A former leader that commits past its log"). Direct
    // appends write each request's own entries before its commit index counts.
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    // A checkpoint is many files, one or more chunks each. With Ratis' default of 8 chunks in
    // flight, a stream that broke while the follower restarted blocked the leader's appender for
    // ~25 s before it retried; a wider window lets the broken stream fail at once.
    GrpcConfigKeys.Server.setInstallSnapshotRequestElementLimit(
        p, INSTALL_SNAPSHOT_CHUNKS_IN_FLIGHT);
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // A node being added must make progress catching up within this, or the change fails and
    // the next one may start (docs/failover.md, "Membership").
    RaftServerConfigKeys.setStagingTimeout(p, duration(config.membership().changeTimeout()));
    // Every linearizable read confirms leadership with a heartbeat round; lease acks depend on it.
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, false);
    // The read index is the leader's applied index, not its commit index: a write is answered
    // only after the leader applied it, so every write acknowledged before a read started is at or
    // below it, and the read waits for no apply on the leader. The heartbeat round is unchanged.
    // The leader answered lease reports in about half the time at 1,667/s (docs/failover.md, "Lease
    // answers").
    RaftServerConfigKeys.Read.ReadIndex.setType(
        p, RaftServerConfigKeys.Read.ReadIndex.Type.APPLIED_INDEX);
    return p;
  }

  /**
   * The leader's waits between attempts on a failing follower: Ratis' first ten at 1 ms, then
   * twenty at a tenth of the longest, then the longest, each randomized to half to one and a half
   * times (Ratis' MultipleLinearRandomRetry). A million of the longest before the attempts go
   * without a wait, as Ratis' own 1,000 x 5 s do after about 40 minutes.
   */
  static String appenderRetryPolicy(java.time.Duration longest) {
    long ms = Math.max(1, longest.toMillis());
    return "1ms,10, " + Math.max(1, ms / 10) + "ms,20, " + ms + "ms,1000000";
  }

  public static RaftProperties clientProperties(HoraeConfig config) {
    RaftProperties p = new RaftProperties();
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(
        p, duration(config.raft().requestTimeout()));
    return p;
  }

  /**
   * The client for membership changes, leadership transfers and snapshots. Its requests may last a
   * whole catch-up: they time out after membership.changeTimeout plus one election, so the leader's
   * own staging timeout (the same changeTimeout) answers first. Retries only find the leader: a
   * few, spaced, because a retried reconfiguration is refused at once while the first is still
   * staging, and Ratis' default policy then retries in a tight loop.
   */
  public static org.apache.ratis.client.RaftClient adminClient(
      HoraeConfig config, RaftGroup group, org.apache.ratis.conf.Parameters parameters) {
    RaftProperties p = new RaftProperties();
    java.time.Duration timeout =
        config.membership().changeTimeout().plus(config.raft().electionTimeoutMax());
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p, duration(timeout));
    return org.apache.ratis.client.RaftClient.newBuilder()
        .setProperties(p)
        .setRaftGroup(group)
        .setClientId(org.apache.ratis.protocol.ClientId.randomId())
        .setParameters(parameters)
        .setRetryPolicy(adminRetryPolicy())
        .build();
  }

  /** Retries leader changes; a reconfiguration that failed or is refused fails the call at once. */
  private static org.apache.ratis.retry.RetryPolicy adminRetryPolicy() {
    org.apache.ratis.retry.RetryPolicy never = org.apache.ratis.retry.RetryPolicies.noRetry();
    return org.apache.ratis.retry.ExceptionDependentRetry.newBuilder()
        .setDefaultPolicy(
            org.apache.ratis.retry.RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                ADMIN_RETRIES_MAX,
                TimeDuration.valueOf(
                    ADMIN_RETRY_SLEEP_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)))
        .setExceptionToPolicy(
            org.apache.ratis.protocol.exceptions.ReconfigurationTimeoutException.class, never)
        .setExceptionToPolicy(
            org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException.class, never)
        .setExceptionToPolicy(
            org.apache.ratis.protocol.exceptions.SetConfigurationException.class, never)
        .setExceptionToPolicy(
            org.apache.ratis.protocol.exceptions.TransferLeadershipException.class, never)
        .setExceptionToPolicy(org.apache.ratis.protocol.exceptions.TimeoutIOException.class, never)
        .setMaxAttempts(ADMIN_RETRIES_MAX + 1)
        .build();
  }

  static TimeDuration duration(java.time.Duration d) {
    return TimeDuration.valueOf(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
