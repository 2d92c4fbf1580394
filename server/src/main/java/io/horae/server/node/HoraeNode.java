package io.horae.server.node;

import io.horae.internal.v1.ShardMap;
import io.horae.server.api.ClusterApi;
import io.horae.server.api.NodeApi;
import io.horae.server.config.HoraeConfig;
import io.horae.server.coord.Coordinator;
import io.horae.server.coord.Liveness;
import io.horae.server.egress.TargetGuard;
import io.horae.server.exec.ExecMetrics;
import io.horae.server.exec.Executor;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.RaftWiring;
import io.horae.server.raft.Reader;
import io.horae.server.secret.JobSecrets;
import io.horae.server.secret.NodeSecrets;
import io.horae.server.tls.NodeTls;
import io.horae.server.watch.WatchHub;
import io.horae.statemachine.ratis.HoraeStateMachine;
import io.horae.statemachine.storage.RocksStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Horae node: a Ratis server with the Horae state machine over its own RocksDB, a Raft client
 * for proposing (group commit) and linearizable reads, the public and internal gRPC API, the
 * executor that fires this node's shards, the leader's coordinator, and admin HTTP.
 *
 * <p>This class owns the parts, starts them in order and closes them in order. Beside it: {@link
 * NodeRaft} (the Raft server and client), {@link NodeServers} (the gRPC, console and admin
 * servers), {@link NodeReadiness} (whether the node is ready), {@link NodeReports} (what the node
 * reports of itself) and {@link NodeApplyListener} (what each applied entry sets moving).
 */
public final class HoraeNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HoraeNode.class);

  private final HoraeConfig config;
  private final NodeRaft raft;
  private final NodeReadiness readiness;
  private final NodeReports reports = new NodeReports(this);
  private final PrometheusMeterRegistry registry;
  private final NodeServers servers;
  private final HoraeStateMachine stateMachine;
  private final ShardMapView shardMap;
  private Proposer proposer;
  private Reader reader;
  private io.horae.server.raft.ApplyVersionGate versionGate;
  private io.horae.server.disk.DiskGuard disk;

  /** Sheds creates while a shard owner is behind (docs/delivery.md, "Admission"). */
  private io.horae.server.api.CreateAdmission admission;

  private Executor executor;
  private Coordinator coordinator;
  private io.horae.server.coord.HistorySweeper historySweeper;
  private LeaseKeeper lease;
  private ClusterApi clusterApi;

  /**
   * Channels to the other members' internal ports, shared by the lease keeper and the status
   * fan-out.
   */
  private io.horae.server.member.PeerChannels peers;

  private Liveness liveness;
  private io.horae.server.member.MembershipOps membership;

  /** Set when an orderly stop begins: the node is no longer ready. */
  private volatile boolean stopping;

  /** Completed when this node's Raft server closed while the node runs (see {@link #raftLost}). */
  private final java.util.concurrent.CompletableFuture<Void> raftLost =
      new java.util.concurrent.CompletableFuture<>();

  private WatchHub watches;

  /** Spans of attempts and API calls; holds nothing when tracing is off (docs/tracing.md). */
  private io.horae.server.trace.Tracing tracing;

  private HoraeNode(HoraeConfig config) {
    this.config = config;
    this.raft = new NodeRaft(config);
    this.readiness =
        new NodeReadiness(
            config, raft, () -> stopping, raftLost, () -> lease, () -> store().appliedIndex());
    this.registry = ProcessMetrics.registry(config.node().id());
    this.servers = new NodeServers(config, registry);
    this.shardMap = new ShardMapView(this::store);
    this.stateMachine =
        new HoraeStateMachine(
            config.node().dataDir().resolve("db"),
            config.storage().blockCacheBytes(),
            new NodeApplyListener(
                config, shardMap, () -> executor, () -> watches, () -> stopping, raftLost));
  }

  /** Starts every part; on failure closes what started and rethrows. */
  public static HoraeNode start(HoraeConfig config, Clock clock) throws IOException {
    return start(config, clock, okhttp3.Dns.SYSTEM);
  }

  /**
   * Starts a node that resolves webhook target names with {@code resolver}: tests map their names
   * to loopback addresses with it, so that no test sends a packet off the machine.
   */
  public static HoraeNode start(HoraeConfig config, Clock clock, okhttp3.Dns resolver)
      throws IOException {
    JulBridge.install();
    HoraeNode node = new HoraeNode(config);
    try {
      node.startParts(
          clock, new TargetGuard(config.webhook().targetAllow(), resolver, node.registry));
      return node;
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startParts(Clock clock, TargetGuard targets) throws IOException {
    // First: a bad key file stops the node before it joins the group.
    JobSecrets secrets = NodeSecrets.load(config.secrets());
    disk =
        io.horae.server.disk.DiskGuard.forNode(
            id(), config.node().dataDir(), config.storage(), registry);
    admission =
        io.horae.server.api.CreateAdmission.of(
            config.api().admissionLateness(),
            config.lease().duration().plus(config.lease().margin()),
            registry);
    if (config.storage().faultHooks()) {
      stateMachine.slowApply(new io.horae.server.disk.SlowDiskHook(config.node().dataDir()));
    }
    var members =
        new io.horae.server.member.MemberDirectory(
            () -> raft.division().getRaftConf(), stateMachine::store, config.peers());
    // Then bad TLS files, also before joining; the member check reads the directory at each
    // handshake.
    NodeTls tls = NodeTls.load(config, members::acceptedPeerIds);
    peers = new io.horae.server.member.PeerChannels(tls::internalChannel);
    raft.start(stateMachine, tls);
    versionGate = new io.horae.server.raft.ApplyVersionGate(members::voters);
    proposer =
        new Proposer(
                new io.horae.server.raft.EntrySender(
                    raft.client(),
                    raft::server,
                    raft.selfId(),
                    raft.group().getGroupId(),
                    config.raft().requestTimeout().toMillis(),
                    registry),
                config.raft().proposeQueueMax(),
                config.raft().proposeQueueBytesMax(),
                config.raft().batchOpsMax(),
                config.raft().batchBytesMax(),
                config.raft().batchesInFlightMax(),
                config.raft().clientBatchesInFlightMax(),
                registry)
            .gate(versionGate)
            .disk(disk)
            .queueWaitMax(config.raft().proposeQueueWaitMax())
            .start();
    reader =
        new Reader(
            raft.client(),
            raft.selfId(),
            raft::server,
            raft.group().getGroupId(),
            config.raft().requestTimeout().toMillis(),
            registry);
    liveness =
        new Liveness(
            members::voters,
            System::nanoTime,
            config.lease().silenceBeforeMove().toNanos(),
            raft::raftAnswerAgeMillis);
    RaftLogView raftLog =
        new RaftLogView(raft::division, () -> stateMachine.store().appliedIndex());
    lease =
        new LeaseKeeper(
            id(),
            members::internal,
            raft::leaderId,
            reports::report,
            this::appliedMapEpoch,
            () -> stateMachine.store().appliedIndex(),
            raftLog::progress,
            raftLog,
            config.lease(),
            System::nanoTime,
            peers,
            NodeMetrics.reportRoundTrips(registry),
            ack -> {
              versionGate.learned(ack.getMemberApplyVersionsMap());
              disk.learned(ack.getDisksLowList());
              admission.learned(ack.getBehindNode(), ack.getBehindMs(), ack.getHostsBehindMsMap());
            });
    tracing = io.horae.server.trace.Tracing.from(config.tracing(), id(), registry);
    executor =
        new Executor(
                config.node().id(),
                stateMachine.store(),
                shardMap,
                () -> stateMachine.store().appliedIndex(),
                proposer,
                config.exec(),
                config.hosts(),
                clock,
                new ExecMetrics(registry),
                lease,
                secrets,
                targets,
                tracing.attempts())
            .start();
    coordinator =
        new Coordinator(
                this::isLeader,
                raft::term,
                shardMap,
                proposer,
                members::voters,
                members::leaving,
                () -> stateMachine.store().appliedIndex(),
                config.shards().count(),
                liveness,
                config.lease(),
                lease::unansweredNanos,
                new CoordinatorRepairs(() -> membership, raft),
                registry)
            .start();
    historySweeper =
        new io.horae.server.coord.HistorySweeper(
                this::isLeader, proposer, config.retention(), clock, registry)
            .start();
    membership =
        new io.horae.server.member.MembershipOps(
            id(),
            RaftWiring.adminClient(config, raft.group(), tls.ratisParameters()),
            proposer,
            reader,
            members,
            raft::leaderId,
            config.membership(),
            config.lease().heartbeatInterval());
    clusterApi =
        new ClusterApi(
            id(),
            config.raft().groupId(),
            members,
            reports::localReply,
            shardMap,
            raft::leaderId,
            membership,
            config.membership().changeTimeout(),
            peers,
            reports::stateDigest);
    watches =
        new WatchHub(
            id(),
            config.api().watchStreamsMax(),
            config.api().watchStreamsPerClientMax(),
            config.api().watchQueueMax(),
            () -> stateMachine.store().appliedIndex(),
            registry);
    NodeApi nodeApi =
        new NodeApi(
            reports::localReply,
            membership::snapshotHere,
            this::isLeader,
            raft::term,
            liveness,
            reader,
            () -> stateMachine.store().appliedIndex(),
            id -> coordinator != null && coordinator.withholdsLease(id),
            versionGate::known,
            NodeMetrics.reportAnswers(registry));
    servers.startApis(
        tls,
        tracing,
        readiness::readyAfterLogCheck,
        clock,
        secrets,
        targets,
        proposer,
        reader,
        stateMachine.store(),
        admission,
        clusterApi,
        shardMap,
        watches,
        nodeApi);
    lease.start();
    NodeMetrics.bind(registry, this);
    servers.startAdmin(tls, this::notReadyBecause);
    LOG.info(
        "node started node={} api={} raft={} internal={} admin={} data={} tls={}",
        config.node().id(),
        config.self().api(),
        config.self().raft(),
        config.self().internal(),
        config.self().admin(),
        config.node().dataDir(),
        tls.enabled());
  }

  public String id() {
    return config.node().id();
  }

  public HoraeConfig config() {
    return config;
  }

  /** This node's tracing (off unless tracing.otlpEndpoint is set). */
  public io.horae.server.trace.Tracing tracing() {
    return tracing;
  }

  public RocksStore store() {
    return stateMachine.store();
  }

  /** Times this node replaced its state from a snapshot (installed from the leader or local). */
  public long snapshotRestores() {
    return stateMachine.restores();
  }

  /** Log entries Ratis handed this node since it started that its store already held. */
  public long replayedEntries() {
    return stateMachine.replayedEntries();
  }

  /** Memtable flushes this node ran ahead of automatic snapshots, off its apply thread. */
  public long snapshotPreFlushes() {
    return stateMachine.preFlushes();
  }

  public Executor executor() {
    return executor;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  NodeRaft raft() {
    return raft;
  }

  HoraeStateMachine stateMachine() {
    return stateMachine;
  }

  /** Null until the node's start built it. */
  io.horae.server.disk.DiskGuard disk() {
    return disk;
  }

  /** Null until the node's start built it. */
  Liveness liveness() {
    return liveness;
  }

  RaftServer.Division division() {
    return raft.division();
  }

  /** The shard map this node has applied, if any. */
  public Optional<ShardMap> shardMap() {
    return shardMap.get();
  }

  long appliedMapEpoch() {
    return shardMap.get().map(ShardMap::getEpoch).orElse(0L);
  }

  /** Milliseconds since the leader last acknowledged this node's report; -1 before the first. */
  public long leaseAgeMillis() {
    return lease == null ? -1 : lease.leaseAgeMillis();
  }

  public boolean leaseFresh() {
    return lease != null && lease.leaseFresh();
  }

  /** Seconds the fence was closed for {@code reason} since the node started. */
  double fenceClosedSeconds(FenceWatch.Reason reason) {
    return lease == null ? 0 : lease.fenceClosedSeconds(reason);
  }

  public boolean isLeader() {
    return raft.isLeader();
  }

  /** This node knows that every voting member applies {@code version} (ApplyVersionGate). */
  public boolean knowsAllApply(int version) {
    return versionGate != null && versionGate.allows(version);
  }

  public long commitIndex() {
    return raft.commitIndex();
  }

  /**
   * Completes when this node's Raft server closed while the node was not stopping: Ratis closes it
   * when apply or a snapshot throws, or its log cannot be written. Such a node can neither apply
   * nor vote, yet its APIs would go on answering from a frozen replica; {@code horae server} exits
   * instead (HoraeServer), so that its supervisor restarts it.
   */
  public java.util.concurrent.CompletableFuture<Void> raftLost() {
    return raftLost;
  }

  /**
   * Joined the group, caught up since it started, keeping up, not stopping: the readiness of GET
   * /health/ready ({@link NodeReadiness#ready()} tells the details).
   */
  public boolean ready() {
    return readiness.ready();
  }

  /** Empty while {@link #ready}; otherwise why not (the body of a 503 on /health/ready). */
  public java.util.Optional<String> notReadyBecause() {
    return readiness.notReadyBecause();
  }

  @Override
  public void close() {
    LOG.info("node stopping node={}", id());
    stopping = true;
    closeQuietly(coordinator);
    closeQuietly(historySweeper);
    if (executor != null) {
      // First, while the APIs, the lease and the Raft client still work: no new deliveries,
      // finish the running ones and record their results. Readiness is already false.
      executor.drain();
    }
    servers.stop(this::closeQuietly); // admin, console, health, then the gRPC servers
    closeQuietly(watches);
    closeQuietly(membership);
    closeQuietly(lease);
    closeQuietly(peers);
    closeQuietly(executor);
    closeQuietly(proposer);
    closeQuietly(reader);
    closeQuietly(raft.client());
    closeQuietly(raft.server());
    closeQuietly(tracing); // Last: the spans of the calls and attempts ended above go out.
    registry.close();
  }

  private void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("close failed node={} part={}", id(), c.getClass().getSimpleName(), e);
    }
  }
}
