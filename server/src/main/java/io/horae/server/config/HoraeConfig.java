package io.horae.server.config;

import java.util.List;
import java.util.Objects;

/**
 * The whole, validated configuration of one node. Build it with {@link ConfigLoader}; the
 * constructor only checks what would make {@link #self()} fail.
 *
 * @param node this node
 * @param peers every member of the Raft group, this node included, sorted by id
 * @param raft Raft settings
 * @param api public API limits
 * @param shards sharding
 * @param lease liveness reports and shard leases
 * @param exec executor limits
 * @param membership membership changes and cluster operations
 * @param hosts per-target-host rate limit and circuit breaker
 * @param secrets the cluster key for secrets at rest and signing-secret rotation
 * @param webhook where webhooks may go (the target guard's allowlist)
 * @param tls certificates of the node's gRPC ports and Raft traffic
 * @param auth tokens, client certificates and roles on the public API
 * @param retention how long finished executions are kept
 * @param admin limits of the admin HTTP port
 * @param quota limits per namespace
 * @param storage the data dir's free-space guard
 * @param tracing traces of attempts and API calls (off by default)
 */
public record HoraeConfig(
    NodeConfig node,
    List<PeerConfig> peers,
    RaftConfig raft,
    ApiConfig api,
    ShardConfig shards,
    LeaseConfig lease,
    ExecConfig exec,
    MembershipConfig membership,
    HostConfig hosts,
    SecretsConfig secrets,
    WebhookConfig webhook,
    TlsConfig tls,
    AuthConfig auth,
    RetentionConfig retention,
    AdminConfig admin,
    QuotaConfig quota,
    StorageConfig storage,
    TracingConfig tracing) {

  public HoraeConfig {
    Objects.requireNonNull(quota, "quota");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(shards, "shards");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(exec, "exec");
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(hosts, "hosts");
    peers = List.copyOf(peers);
    if (peers.stream().noneMatch(p -> p.id().equals(node.id()))) {
      throw new IllegalArgumentException("node id " + node.id() + " is not among the peers");
    }
  }

  /**
   * A config with default host protection, no cluster key, webhooks to public addresses only,
   * plaintext, no auth and no tracing.
   */
  public HoraeConfig(
      NodeConfig node,
      List<PeerConfig> peers,
      RaftConfig raft,
      ApiConfig api,
      ShardConfig shards,
      LeaseConfig lease,
      ExecConfig exec,
      MembershipConfig membership) {
    this(
        node,
        peers,
        raft,
        api,
        shards,
        lease,
        exec,
        membership,
        HostConfig.DEFAULTS,
        SecretsConfig.DEFAULTS,
        WebhookConfig.DEFAULTS,
        TlsConfig.PLAINTEXT,
        AuthConfig.OFF,
        RetentionConfig.defaults(),
        AdminConfig.DEFAULTS,
        QuotaConfig.DEFAULTS,
        StorageConfig.DEFAULTS,
        TracingConfig.OFF);
  }

  /** A config with default membership and host protection settings and no cluster key. */
  public HoraeConfig(
      NodeConfig node,
      List<PeerConfig> peers,
      RaftConfig raft,
      ApiConfig api,
      ShardConfig shards,
      LeaseConfig lease,
      ExecConfig exec) {
    this(node, peers, raft, api, shards, lease, exec, MembershipConfig.DEFAULTS);
  }

  /** The peer entry of this node, whose id is {@code node().id()}. */
  public PeerConfig self() {
    return peers.stream()
        .filter(p -> p.id().equals(node.id()))
        .findFirst()
        .orElseThrow(); // The constructor guarantees it exists.
  }

  /**
   * The effective configuration, one {@code key=value} per line, sorted by key, in the syntax of
   * the config file, with secret values masked. Meant to be logged once at start-up.
   */
  public String describe() {
    return ConfigDescription.render(this);
  }
}
