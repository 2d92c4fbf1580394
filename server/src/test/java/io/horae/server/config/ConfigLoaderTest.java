package io.horae.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid configs: defaults, overrides, units and reading from a file. */
class ConfigLoaderTest {

  @Test
  void byDefaultWebhooksGoToPublicAddressesOnlyAndTheAllowlistOpensWhatItNames()
      throws ConfigException {
    assertThat(ConfigLoader.fromProperties(ConfigFixtures.threeNodes()).webhook())
        .isEqualTo(WebhookConfig.DEFAULTS);
    assertThat(WebhookConfig.DEFAULTS.targetAllow().networks()).isEmpty();
    assertThat(WebhookConfig.DEFAULTS.targetAllow().hosts()).isEmpty();

    HoraeConfig c =
        ConfigLoader.fromProperties(
            ConfigFixtures.threeNodesWith(
                "webhook.targetAllow", "127.0.0.1/32, hooks.internal.example"));

    assertThat(c.webhook().targetAllow().format()).isEqualTo("127.0.0.1/32,hooks.internal.example");
  }

  @Test
  void defaultsApplyToEveryKeyNotGiven() throws ConfigException {
    HoraeConfig c = ConfigLoader.fromProperties(ConfigFixtures.threeNodes());

    assertThat(c.node()).isEqualTo(new NodeConfig("n1", Path.of("/var/lib/horae/n1")));
    assertThat(c.raft())
        .isEqualTo(
            new RaftConfig(
                RaftConfig.GROUP_ID_DEFAULT,
                RaftConfig.ELECTION_TIMEOUT_MIN_DEFAULT,
                RaftConfig.ELECTION_TIMEOUT_MAX_DEFAULT,
                RaftConfig.SNAPSHOT_EVERY_ENTRIES_DEFAULT,
                RaftConfig.BATCH_OPS_MAX_DEFAULT,
                RaftConfig.BATCH_BYTES_MAX_DEFAULT,
                RaftConfig.BATCHES_IN_FLIGHT_MAX_DEFAULT,
                RaftConfig.CLIENT_BATCHES_IN_FLIGHT_MAX_DEFAULT,
                RaftConfig.PROPOSE_QUEUE_MAX_DEFAULT,
                RaftConfig.PROPOSE_QUEUE_BYTES_MAX_DEFAULT,
                RaftConfig.REQUEST_TIMEOUT_DEFAULT,
                RaftConfig.LOG_SEGMENT_BYTES_MAX_DEFAULT,
                RaftConfig.APPENDER_RETRY_WAIT_MAX_DEFAULT,
                RaftConfig.PROPOSE_QUEUE_WAIT_MAX_DEFAULT,
                RaftConfig.LOG_KEEP_ENTRIES_DEFAULT,
                RaftConfig.FIRST_ELECTION_TIMEOUT_MIN_DEFAULT,
                RaftConfig.FIRST_ELECTION_TIMEOUT_MAX_DEFAULT));
    assertThat(c.api())
        .isEqualTo(
            new ApiConfig(
                ApiConfig.PAGE_SIZE_DEFAULT_DEFAULT,
                ApiConfig.PAGE_SIZE_MAX_DEFAULT,
                ApiConfig.BODY_BYTES_MAX_DEFAULT,
                ApiConfig.HEADERS_MAX_DEFAULT,
                ApiConfig.HEADER_BYTES_MAX_DEFAULT,
                ApiConfig.PAST_TOLERANCE_DEFAULT,
                ApiConfig.INTERVAL_MIN_DEFAULT,
                ApiConfig.REQUEST_ID_TTL_DEFAULT,
                ApiConfig.EXECUTION_SCAN_MAX_DEFAULT,
                ApiConfig.WATCH_STREAMS_MAX_DEFAULT,
                ApiConfig.WATCH_QUEUE_MAX_DEFAULT,
                ApiConfig.DEAD_LETTER_BATCH_MAX_DEFAULT,
                ApiConfig.CREATE_BATCH_MAX_DEFAULT,
                ApiConfig.WATCH_STREAMS_PER_CLIENT_MAX_DEFAULT,
                ApiConfig.ADMISSION_LATENESS_DEFAULT,
                ApiConfig.EXECUTOR_THREADS_DEFAULT));
    assertThat(c.shards()).isEqualTo(new ShardConfig(ShardConfig.COUNT_DEFAULT));
    assertThat(c.lease())
        .isEqualTo(
            new LeaseConfig(
                LeaseConfig.HEARTBEAT_INTERVAL_DEFAULT,
                LeaseConfig.DURATION_DEFAULT,
                LeaseConfig.MARGIN_DEFAULT,
                LeaseConfig.UNAPPLIED_PEEK_MAX_DEFAULT));
    assertThat(c.exec())
        .isEqualTo(
            new ExecConfig(
                ExecConfig.LOOKAHEAD_DEFAULT,
                ExecConfig.SCAN_INTERVAL_DEFAULT,
                ExecConfig.SCAN_BATCH_MAX_DEFAULT,
                ExecConfig.WINDOW_MAX_DEFAULT,
                ExecConfig.DISPATCH_CONCURRENCY_DEFAULT,
                ExecConfig.DISPATCH_QUEUE_MAX_DEFAULT,
                ExecConfig.COMPLETE_BATCH_MAX_DEFAULT,
                ExecConfig.RESULT_LINGER_DEFAULT,
                ExecConfig.DELIVERY_TIMEOUT_DEFAULT,
                ExecConfig.MAX_REQUESTS_PER_HOST_DEFAULT,
                ExecConfig.RETRY_MAX_ATTEMPTS_DEFAULT,
                ExecConfig.RETRY_INITIAL_BACKOFF_DEFAULT,
                ExecConfig.RETRY_MAX_BACKOFF_DEFAULT,
                ExecConfig.MISFIRE_GRACE_DEFAULT,
                ExecConfig.CONNECT_TIMEOUT_DEFAULT,
                ExecConfig.RETRY_MULTIPLIER_DEFAULT,
                ExecConfig.RETRY_DEADLINE_DEFAULT,
                ExecConfig.RETRY_STATUSES_DEFAULT,
                ExecConfig.RESPONSE_EXCERPT_MAX_DEFAULT,
                ExecConfig.ATTEMPT_HISTORY_MAX_DEFAULT,
                ExecConfig.VIRTUAL_HTTP_THREADS_DEFAULT,
                ExecConfig.IDLE_CONNECTION_TIMEOUT_DEFAULT));
    assertThat(c.hosts()).isEqualTo(HostConfig.DEFAULTS);
  }

  @Test
  void tracingIsOffByDefaultAndItsKeysFillTheTracingSection() throws ConfigException {
    assertThat(ConfigLoader.fromProperties(ConfigFixtures.threeNodes()).tracing())
        .isEqualTo(TracingConfig.OFF);
    assertThat(TracingConfig.OFF.enabled()).isFalse();

    Properties p = ConfigFixtures.threeNodes();
    p.setProperty("tracing.otlpEndpoint", "https://otel-collector.example:4318/otlp");
    p.setProperty("tracing.serviceName", "horae-eu");
    p.setProperty("tracing.sampleRatio", "0.25");
    p.setProperty("tracing.queueMax", "100");
    p.setProperty("tracing.batchMax", "100");
    p.setProperty("tracing.exportInterval", "1s");

    assertThat(ConfigLoader.fromProperties(p).tracing())
        .isEqualTo(
            new TracingConfig(
                "https://otel-collector.example:4318/otlp",
                "horae-eu",
                0.25,
                100,
                100,
                Duration.ofSeconds(1)));
  }

  @Test
  void hostProtectionDefaultsLeaveTheRateUnlimitedAndOpenABreakerAfterFiveFailures() {
    assertThat(HostConfig.DEFAULTS.ratePerSecond()).isZero();
    assertThat(HostConfig.DEFAULTS.breakerFailures()).isEqualTo(5);
    assertThat(HostConfig.DEFAULTS.breakerOpenMin()).isEqualTo(Duration.ofSeconds(5));
    assertThat(HostConfig.DEFAULTS.breakerOpenMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(HostConfig.DEFAULTS.breakerProbesMax()).isEqualTo(1);
    assertThat(HostConfig.DEFAULTS.trackedMax()).isEqualTo(10_000);
  }

  @Test
  void hostProtectionKeysOverrideTheirDefaults() throws ConfigException {
    Properties p = ConfigFixtures.threeNodes();
    p.setProperty("hosts.ratePerSecond", "50");
    p.setProperty("hosts.rateBurst", "5");
    p.setProperty("hosts.breakerFailures", "3");
    p.setProperty("hosts.breakerOpenMin", "1s");
    p.setProperty("hosts.breakerOpenMax", "2s");
    p.setProperty("hosts.breakerProbesMax", "2");
    p.setProperty("hosts.deferJitter", "0ms");
    p.setProperty("hosts.trackedMax", "100");
    p.setProperty("hosts.idleEvictAfter", "1m");
    p.setProperty("hosts.metricsHostsMax", "0");
    p.setProperty("hosts.statusHostsMax", "5");

    HostConfig h = ConfigLoader.fromProperties(p).hosts();

    assertThat(h)
        .isEqualTo(
            new HostConfig(
                50,
                5,
                3,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                2,
                Duration.ZERO,
                100,
                Duration.ofMinutes(1),
                0,
                5));
  }

  @Test
  void defaultsAreTheDocumentedValues() {
    assertThat(RaftConfig.ELECTION_TIMEOUT_MIN_DEFAULT).isEqualTo(Duration.ofMillis(750));
    assertThat(LeaseConfig.DURATION_DEFAULT).isEqualTo(Duration.ofMillis(750));
    assertThat(RaftConfig.BATCH_BYTES_MAX_DEFAULT).isEqualTo(1L << 20);
    assertThat(ApiConfig.BODY_BYTES_MAX_DEFAULT).isEqualTo(65_536);
    assertThat(ApiConfig.REQUEST_ID_TTL_DEFAULT).isEqualTo(Duration.ofHours(24));
    assertThat(ExecConfig.SCAN_INTERVAL_DEFAULT).isEqualTo(Duration.ofMillis(250));
    assertThat(ExecConfig.RETRY_MAX_BACKOFF_DEFAULT).isEqualTo(Duration.ofMinutes(5));
    assertThat(ExecConfig.RETRY_STATUSES_DEFAULT.format()).isEqualTo("408,425,429,500-599");
    assertThat(ExecConfig.RESPONSE_EXCERPT_MAX_DEFAULT).isEqualTo(1024);
  }

  @Test
  void peersAreSortedByIdAndSelfIsTheNodesOwnEntry() throws ConfigException {
    Properties p = ConfigFixtures.threeNodesWith("node.id", "n2");

    HoraeConfig c = ConfigLoader.fromProperties(p);

    assertThat(c.peers()).extracting(PeerConfig::id).containsExactly("n1", "n2", "n3");
    assertThat(c.self())
        .isEqualTo(
            new PeerConfig(
                "n2",
                new HostPort("127.0.0.1", 7171),
                new HostPort("127.0.0.1", 7071),
                new HostPort("127.0.0.1", 7271),
                new HostPort("127.0.0.1", 7371)));
  }

  @Test
  void aSinglePeerIsAValidCluster() throws ConfigException {
    Properties p = new Properties();
    p.setProperty("node.id", "solo");
    p.setProperty("node.dataDir", "data");
    p.setProperty("peers.solo.raft", "localhost:1");
    p.setProperty("peers.solo.api", "localhost:2");
    p.setProperty("peers.solo.admin", "localhost:3");
    p.setProperty("peers.solo.internal", "localhost:4");
    p.setProperty("tls.enabled", "false");
    p.setProperty("auth.accessFile", "tokens");

    assertThat(ConfigLoader.fromProperties(p).self().id()).isEqualTo("solo");
  }

  @Test
  void overridesAcceptEveryDurationAndByteUnit() throws ConfigException {
    Properties p = ConfigFixtures.threeNodes();
    p.setProperty("exec.scanInterval", "100ms");
    p.setProperty("exec.lookahead", "2m");
    p.setProperty("api.requestIdTtl", "3d");
    p.setProperty("raft.requestTimeout", "30s");
    p.setProperty("raft.batchBytesMax", "2MiB");
    p.setProperty("api.bodyBytesMax", "512KiB");
    p.setProperty("api.headerBytesMax", "4096");
    p.setProperty("storage.blockCacheBytes", "64MiB");

    HoraeConfig c = ConfigLoader.fromProperties(p);

    assertThat(c.exec().scanInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.exec().lookahead()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.api().requestIdTtl()).isEqualTo(Duration.ofDays(3));
    assertThat(c.raft().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.raft().batchBytesMax()).isEqualTo(2L << 20);
    assertThat(c.api().bodyBytesMax()).isEqualTo(512 * 1024);
    assertThat(c.api().headerBytesMax()).isEqualTo(4096);
    assertThat(c.storage().blockCacheBytes()).isEqualTo(64L << 20);
  }

  @Test
  void valuesAreTrimmedAndHostNamesLowerCased() throws ConfigException {
    Properties p = ConfigFixtures.threeNodes();
    p.setProperty("exec.windowMax", "  1000  ");
    p.setProperty("peers.n3.admin", "Node3.Example:7272");
    p.setProperty("raft.groupId", "1E7A9C3B-0000-4000-8000-686F72616501");

    HoraeConfig c = ConfigLoader.fromProperties(p);

    assertThat(c.exec().windowMax()).isEqualTo(1000);
    assertThat(c.peers().get(2).admin()).isEqualTo(new HostPort("node3.example", 7272));
    assertThat(c.raft().groupId()).isEqualTo(RaftConfig.GROUP_ID_DEFAULT);
  }

  @Test
  void loadReadsAPropertiesFileWithComments(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.properties");
    StringBuilder text = new StringBuilder("# a comment\n");
    ConfigFixtures.threeNodes()
        .forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    text.append("exec.windowMax=1234\n");
    Files.writeString(file, text, StandardCharsets.UTF_8);

    HoraeConfig c = ConfigLoader.load(file);

    assertThat(c.exec().windowMax()).isEqualTo(1234);
    assertThat(c.peers()).hasSize(3);
  }

  @Test
  void loadFailsNamingAMissingFile(@TempDir Path dir) {
    Path file = dir.resolve("absent.properties");

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config file not found")
        .hasMessageContaining("absent.properties");
  }

  @Test
  void loadFailsWhenAFileSetsAKeyTwice(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.properties");
    StringBuilder text = new StringBuilder();
    ConfigFixtures.threeNodes()
        .forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append("exec.windowMax=1000\nexec.windowMax=2000\n");
    Files.writeString(file, text, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage("exec.windowMax: set more than once (1000, then 2000)");
  }
}
