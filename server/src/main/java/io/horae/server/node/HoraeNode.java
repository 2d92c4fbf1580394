package io.horae.server.node;

import io.grpc.Server;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.NodeStatus;
import io.horae.internal.v1.NodeReport;
import io.horae.internal.v1.ShardMap;
import io.horae.server.admin.AdminServer;
import io.horae.server.api.ClusterApi;
import io.horae.server.api.DeadLetterApi;
import io.horae.server.api.ExecutionApi;
import io.horae.server.api.JobApi;
import io.horae.server.api.MalformedRequests;
import io.horae.server.api.NodeApi;
import io.horae.server.api.SecretApi;
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
import io.horae.statemachine.core.Applied;
import io.horae.statemachine.core.ExecutionChange;
import io.horae.statemachine.core.Executions;
import io.horae.statemachine.ratis.ApplyListener;
import io.horae.statemachine.ratis.HoraeStateMachine;
import io.horae.statemachine.storage.RocksStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Horae node: a Ratis server with the Horae state machine over its own RocksDB, a Raft client
 * for proposing (group commit) and linearizable reads, the public and internal gRPC API, the
 * executor that fires this node's shards, the leader's coordinator, and admin HTTP.
 */
public final class HoraeNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HoraeNode.class);
  static final long CLIENT_RETRY_SLEEP_MILLIS = 100;
  static final long API_MESSAGE_BYTES_MAX = 4L * 1024 * 1024;

  private final HoraeConfig config;

  /**
   * A Raft log committed past its own end for this long ends the node (CommitPastLogWatch): 8 x
   * (lease + margin), 10 s by default, far longer than an append takes between the two reads.
   */
  private final CommitPastLogWatch commitPastLog;

  private final RaftGroup group;
  private final RaftPeerId selfId;
  private final PrometheusMeterRegistry registry;
  private final HoraeStateMachine stateMachine;
  private final ShardMapView shardMap;
  private RaftServer raftServer;
  private RaftClient raftClient;
  private Proposer proposer;
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
  private Server grpc;

  /** NodeService only, on peers.<id>.internal (mTLS unless tls.enabled=false). */
  private Server internal;

  private HealthTracker health;
  private AdminServer admin;

  /** The public API in process, for the admin port's console. */
  private io.horae.server.console.ConsoleBackend console;

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
    this.commitPastLog =
        new CommitPastLogWatch(config.lease().silenceBeforeMove().multipliedBy(8).toNanos());
    this.group = RaftWiring.group(config);
    this.selfId = RaftWiring.selfId(config);
    this.registry = ProcessMetrics.registry(config.node().id());
    this.stateMachine =
        new HoraeStateMachine(config.node().dataDir().resolve("db"), new Listener());
    this.shardMap = new ShardMapView(() -> stateMachine.store());
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
            () -> division().getRaftConf(), stateMachine::store, config.peers());
    // Then bad TLS files, also before joining; the member check reads the directory at each
    // handshake.
    NodeTls tls = NodeTls.load(config, members::acceptedPeerIds);
    peers = new io.horae.server.member.PeerChannels(tls::internalChannel);
    raftServer =
        RaftServer.newBuilder()
            .setServerId(selfId)
            .setGroup(RaftWiring.serverGroup(config))
            .setStateMachine(stateMachine)
            .setProperties(RaftWiring.serverProperties(config))
            .setOption(RaftStorage.StartupOption.RECOVER)
            .setParameters(tls.ratisParameters())
            .build();
    raftServer.start();
    long requestMillis = config.raft().requestTimeout().toMillis();
    raftClient =
        RaftClient.newBuilder()
            .setProperties(RaftWiring.clientProperties(config))
            .setRaftGroup(group)
            .setClientId(ClientId.randomId())
            .setParameters(tls.ratisParameters())
            .setLeaderId(null)
            .setRetryPolicy(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                    (int) Math.max(1, requestMillis / CLIENT_RETRY_SLEEP_MILLIS),
                    TimeDuration.valueOf(CLIENT_RETRY_SLEEP_MILLIS, TimeUnit.MILLISECONDS)))
            .build();
    versionGate = new io.horae.server.raft.ApplyVersionGate(members::voters);
    proposer =
        new Proposer(
                raftClient,
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
    Reader reader = new Reader(raftClient, selfId);
    liveness =
        new Liveness(
            members::voters,
            System::nanoTime,
            config.lease().silenceBeforeMove().toNanos(),
            this::raftAnswerAgeMillis);
    RaftLogView raftLog =
        new RaftLogView(this::division, () -> stateMachine.store().appliedIndex());
    lease =
        new LeaseKeeper(
            id(),
            members::internal,
            this::leaderId,
            this::report,
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
                this::term,
                shardMap,
                proposer,
                members::voters,
                members::leaving,
                () -> stateMachine.store().appliedIndex(),
                config.shards().count(),
                liveness,
                config.lease(),
                lease::unansweredNanos,
                candidates -> membership.handOver(candidates),
                registry)
            .start();
    historySweeper =
        new io.horae.server.coord.HistorySweeper(
                this::isLeader, proposer, config.retention(), clock, registry)
            .start();
    membership =
        new io.horae.server.member.MembershipOps(
            id(),
            RaftWiring.adminClient(config, group, tls.ratisParameters()),
            proposer,
            reader,
            members,
            this::leaderId,
            config.membership(),
            config.lease().heartbeatInterval());
    clusterApi =
        new ClusterApi(
            id(),
            config.raft().groupId(),
            members,
            this::localReply,
            shardMap,
            this::leaderId,
            membership,
            config.membership().changeTimeout(),
            peers,
            this::stateDigest);
    health = new HealthTracker(this::readyAfterLogCheck);
    watches =
        new WatchHub(
            id(),
            config.api().watchStreamsMax(),
            config.api().watchStreamsPerClientMax(),
            config.api().watchQueueMax(),
            () -> stateMachine.store().appliedIndex(),
            registry);
    io.horae.server.auth.PublicAuth auth = io.horae.server.auth.PublicAuth.from(config.auth());
    // Tracing's API spans (when on) come first: a call refused by auth or parsing has its span too.
    io.grpc.ServerInterceptor perCall = tracing.around(new io.horae.server.auth.CallerIdentity());
    java.util.List<io.grpc.ServerServiceDefinition> publicServices =
        java.util.List.of(
            publicApi(
                new JobApi(
                    proposer,
                    reader,
                    stateMachine.store(),
                    config.api(),
                    clock,
                    config.raft().requestTimeout(),
                    config.exec().misfireGrace(),
                    secrets,
                    targets,
                    config.quota(),
                    admission,
                    registry),
                auth),
            publicApi(
                new SecretApi(
                    proposer,
                    reader,
                    secrets,
                    config.secrets(),
                    clock,
                    config.raft().requestTimeout()),
                auth),
            publicApi(clusterApi, auth),
            publicApi(
                new ExecutionApi(
                    proposer,
                    reader,
                    config.api(),
                    config.exec().misfireGrace(),
                    shardMap,
                    watches,
                    clock,
                    config.raft().requestTimeout()),
                auth),
            publicApi(
                new DeadLetterApi(
                    proposer, reader, config.api(), clock, config.raft().requestTimeout()),
                auth),
            io.grpc.ServerInterceptors.intercept(health.service(), auth.interceptor()),
            io.grpc.ServerInterceptors.intercept(
                ProtoReflectionServiceV1.newInstance(), auth.interceptor()));
    var publicServer =
        tls.publicServer(config.self().api())
            .maxInboundMessageSize((int) API_MESSAGE_BYTES_MAX)
            // Runs before each service's auth: the caller's address is in the context for
            // per-client limits.
            .intercept(perCall);
    publicServices.forEach(publicServer::addService);
    grpc = publicServer.build().start();
    internal =
        tls.internalServer(config.self().internal())
            .maxInboundMessageSize((int) API_MESSAGE_BYTES_MAX)
            .addService(
                new NodeApi(
                    this::localReply,
                    membership::snapshotHere,
                    this::isLeader,
                    this::term,
                    liveness,
                    reader,
                    () -> stateMachine.store().appliedIndex(),
                    id -> coordinator != null && coordinator.withholdsLease(id),
                    versionGate::known,
                    NodeMetrics.reportAnswers(registry)))
            .build()
            .start();
    lease.start();
    NodeMetrics.bind(registry, this);
    // The console calls the same services, with the same auth, in process (docs/console.md).
    console = io.horae.server.console.ConsoleBackend.start(id(), publicServices, perCall);
    admin =
        new AdminServer(
            config.self().admin(),
            registry,
            this::ready,
            auth.metricsAllowed(),
            tls.adminServer(),
            config.admin(),
            new io.horae.server.console.ConsoleHandler(
                console.channel(), config.admin().requestTimeout()));
    admin.start();
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

  /**
   * A public service as the API port serves it: requests that do not parse are refused with
   * INVALID_ARGUMENT first, then the auth check reads the parsed request (so it sits inside the
   * parsing, not on the server, where it would see raw bytes).
   */
  private static io.grpc.ServerServiceDefinition publicApi(
      io.grpc.BindableService service, io.horae.server.auth.PublicAuth auth) {
    return MalformedRequests.refused(
        io.grpc.ServerInterceptors.intercept(service, auth.interceptor()));
  }

  /** This replica's digest, from one consistent view of its store. */
  io.horae.api.v1.StateDigest stateDigest() {
    RocksStore.Digest d = stateMachine.store().consistentDigest();
    return io.horae.api.v1.StateDigest.newBuilder()
        .setNodeId(id())
        .setAppliedIndex(d.appliedIndex())
        .setSha256(java.util.HexFormat.of().formatHex(d.sha256()))
        .build();
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

  RaftServer.Division division() {
    try {
      return raftServer.getDivision(group.getGroupId());
    } catch (IOException e) {
      throw new IllegalStateException("group " + group.getGroupId() + " is not on this server", e);
    }
  }

  /** The leader as this node's Raft server knows it, if any. */
  Optional<String> leaderId() {
    try {
      return Optional.ofNullable(division().getInfo().getLeaderId()).map(Object::toString);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  long term() {
    return division().getInfo().getCurrentTerm();
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

  private NodeReport report() {
    int owned =
        shardMap
            .get()
            .map(m -> (int) m.getOwnersList().stream().filter(id()::equals).count())
            .orElse(0);
    return NodeReport.newBuilder()
        .setNodeId(id())
        .setAppliedIndex(stateMachine.store().appliedIndex())
        .setHandedIndex(Math.max(0, stateMachine.handedIndex()))
        .setCommitIndex(committedIndex())
        .setShardsOwned(owned)
        .setWindowSize(executor == null ? 0 : executor.windowSize())
        .setInFlight(executor == null ? 0 : executor.inFlight())
        .setBehindMs(executor == null ? 0 : executor.behindMs())
        .putAllHostsBehindMs(executor == null ? java.util.Map.of() : executor.hostsBehind())
        .setCapacity(config.exec().dispatchConcurrency())
        .setMapEpoch(appliedMapEpoch())
        .setApplyVersion(config.node().applyVersion())
        .setDisk(disk.local())
        .addAllHostBreakers(executor == null ? java.util.List.of() : executor.hostBreakers())
        .build();
  }

  /**
   * On the leader: milliseconds since the node last answered its Raft traffic (itself: 0; unknown:
   * MAX_VALUE).
   */
  private long raftAnswerAgeMillis(String nodeId) {
    if (nodeId.equals(id())) {
      return 0;
    }
    try {
      return division().getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
          .filter(f -> f.getId().getId().toStringUtf8().equals(nodeId))
          .mapToLong(f -> f.getLastRpcElapsedTimeMs())
          .min()
          .orElse(Long.MAX_VALUE);
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }

  private long committedIndex() {
    try {
      return division().getRaftLog().getLastCommittedIndex();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  public boolean isLeader() {
    try {
      return raftServer != null && division().getInfo().isLeader();
    } catch (RuntimeException e) {
      return false;
    }
  }

  public long commitIndex() {
    return division().getRaftLog().getLastCommittedIndex();
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

  /** The health tick: {@link #ready()}, after checking that the log holds what it committed. */
  private boolean readyAfterLogCheck() {
    long committed = -1;
    if (!stopping && !raftLost.isDone() && raftServer != null) {
      try {
        org.apache.ratis.server.raftlog.RaftLog log = division().getRaftLog();
        committed = log.getLastCommittedIndex();
        long last = log.getNextIndex() - 1;
        if (commitPastLog.wedged(committed, last, System.nanoTime())) {
          LOG.error(
              "the Raft log of node={} says index {} is committed but ends at {}: it can neither apply nor take appends; stopping so that a restart starts its commit index afresh",
              id(),
              committed,
              last);
          raftLost.complete(null);
        }
      } catch (RuntimeException e) {
        // Not started or already closed: ready() says so.
      }
    }
    boolean ready = ready();
    if (committed >= 0) {
      keepingUp.ticked(committed);
    } else {
      keepingUp.reset();
    }
    if (ready && !everReady) {
      everReady = true;
      LOG.info(
          "node={} ready {} ms after it started (applied {})",
          id(),
          java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createdNanos),
          stateMachine.store().appliedIndex());
    }
    return ready;
  }

  /** When this node object was made, for the log line of its first readiness. */
  private final long createdNanos = System.nanoTime();

  private final KeepingUp keepingUp = new KeepingUp();

  /** Whether the health tick has seen this node ready; only that thread uses it. */
  private boolean everReady;

  /**
   * Joined the group (a leader is known), caught up since it started (applied what the leader had
   * applied when it first answered this node's report, {@link LeaseKeeper#caughtUp}), keeping up
   * ({@link KeepingUp}), not stopping.
   */
  public boolean ready() {
    if (stopping || raftLost.isDone()) {
      return false;
    }
    try {
      RaftServer.Division d = division();
      LeaseKeeper l = lease;
      return d.getInfo().isAlive()
          && d.getInfo().getLeaderId() != null
          && l != null
          && l.caughtUp()
          && keepingUp.test(
              stateMachine.store().appliedIndex(), d.getRaftLog().getLastCommittedIndex());
    } catch (RuntimeException e) {
      return false;
    }
  }

  NodeStatus localStatus() {
    RaftServer.Division d = division();
    int owned =
        shardMap
            .get()
            .map(m -> (int) m.getOwnersList().stream().filter(id()::equals).count())
            .orElse(0);
    return NodeStatus.newBuilder()
        .setId(id())
        .setApiAddress(config.self().api().toString())
        .setRaftAddress(config.self().raft().toString())
        .setRole(d.getInfo().getCurrentRole().name())
        .setTerm(d.getInfo().getCurrentTerm())
        .setCommitIndex(d.getRaftLog().getLastCommittedIndex())
        .setAppliedIndex(stateMachine.store().appliedIndex())
        .setCommitIndex(committedIndex())
        .setShardsOwned(owned)
        .setReachable(true)
        .setLeaseFresh(leaseFresh())
        .setOwnLeaseAgeMs(leaseAgeMillis())
        .setAppliedMapEpoch(appliedMapEpoch())
        .addAllHostBreakers(executor == null ? java.util.List.of() : executor.hostBreakers())
        .build();
  }

  /** This node's status and, on the leader, how long ago it heard each member's report. */
  io.horae.internal.v1.LocalStatusReply localReply() {
    var reply = io.horae.internal.v1.LocalStatusReply.newBuilder().setStatus(localStatus());
    if (isLeader()) {
      reply.putAllReportAgesMs(liveness.agesMillis());
    }
    return reply.build();
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
    closeQuietly(admin);
    closeQuietly(console);
    closeQuietly(health);
    stopServer(grpc);
    stopServer(internal);
    closeQuietly(watches);
    closeQuietly(membership);
    closeQuietly(lease);
    closeQuietly(peers);
    closeQuietly(executor);
    closeQuietly(proposer);
    closeQuietly(raftClient);
    closeQuietly(raftServer);
    closeQuietly(tracing); // Last: the spans of the calls and attempts ended above go out.
    registry.close();
  }

  private static void stopServer(Server server) {
    if (server == null) {
      return;
    }
    server.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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

  /** Signals only: runs on the Ratis applier thread. */
  private final class Listener implements ApplyListener {
    @Override
    public void onApplied(long index, Applied applied) {
      if (applied.shardMapChanged()) {
        shardMap.invalidate();
      }
      if ((applied.dueChanged() || applied.shardMapChanged()) && executor != null) {
        executor.wake();
      }
      if (executor != null) {
        for (ExecutionChange c : applied.executions()) {
          if (c.execution().getStatus() == ExecutionStatus.EXECUTION_STATUS_CANCELLED) {
            executor.cancelled(c.execution().getId());
          } else if (Executions.isLive(c.execution())) {
            executor.due(c.execution());
          }
        }
      }
      if (watches != null) {
        watches.onApplied(index, applied.executions());
      }
    }

    @Override
    public void onClosed() {
      if (!stopping && !raftLost.isDone()) {
        LOG.error(
            "the Raft server of node={} closed while the node runs (the cause is logged above): it can no longer apply or vote",
            id());
        raftLost.complete(null);
      }
    }

    @Override
    public void onLogFailed(Throwable cause) {
      // Ratis' log worker fails every later write after one IOException (a full disk, a bad
      // device) without closing the server: the node would stay a member that can neither append
      // nor vote. Treated as a lost Raft server, so `horae server` exits and its supervisor
      // restarts it; the log up to the last fsynced entry is intact and replays.
      if (!stopping && !raftLost.isDone()) {
        LOG.error(
            "the Raft log of node={} can no longer be written (data dir {}): stopping",
            id(),
            config.node().dataDir(),
            cause);
        raftLost.complete(null);
      }
    }

    @Override
    public void onRestored(long index) {
      shardMap.invalidate();
      if (watches != null) {
        watches.onRestored(index);
      }
      if (executor != null) {
        executor.restored();
      }
    }
  }
}
