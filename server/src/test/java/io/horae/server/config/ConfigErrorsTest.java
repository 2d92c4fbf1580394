package io.horae.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of config error, each checked for the exact line an operator reads: the key, the value
 * and the rule. Each case breaks one thing in an otherwise valid config.
 */
class ConfigErrorsTest {
  private static final String AUTH_ACCESS_FILE_REQUIRED =
      "auth.accessFile: required while auth.enabled=true, the default (horae certs init writes one: <dir>/tokens; auth.enabled=false lets"
          + " anyone who reaches the API port call every RPC)";

  @Test
  void unknownKeyFailsNamingTheKeyAndTheLikelyIntendedOne() {
    assertThat(problems(ConfigFixtures.threeNodesWith("exec.windowMaz", "10")))
        .containsExactly("exec.windowMaz=10: unknown key (did you mean exec.windowMax?)");
  }

  @Test
  void unknownKeyFarFromAnyKnownOneGetsNoSuggestion() {
    assertThat(problems(ConfigFixtures.threeNodesWith("ssl.enabled", "true")))
        .containsExactly("ssl.enabled=true: unknown key");
  }

  @Test
  void outOfRangeValueFailsNamingKeyValueAndRange() {
    assertThat(problems(ConfigFixtures.threeNodesWith("exec.windowMax", "0")))
        .containsExactly("exec.windowMax=0: must be between 1 and 1000000");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          exec.lookahead       | 60           | exec.lookahead=60: must be a duration like 250ms, 5s, 2m, 1h or 1d
          exec.lookahead       | 1.5s         | exec.lookahead=1.5s: must be a duration like 250ms, 5s, 2m, 1h or 1d
          exec.lookahead       | -5s          | exec.lookahead=-5s: must be a duration like 250ms, 5s, 2m, 1h or 1d
          exec.scanInterval    | 1ms          | exec.scanInterval=1ms: must be between 10ms and 1m
          raft.batchBytesMax   | 1MB          | raft.batchBytesMax=1MB: must be a byte size like 65536, 64KiB or 1MiB
          raft.batchBytesMax   | 3MiB         | raft.batchBytesMax=3MiB: must be between 1KiB and 2MiB
          api.bodyBytesMax     | 2GiB         | api.bodyBytesMax=2GiB: must be between 0 and 1MiB
          exec.windowMax       | ten          | exec.windowMax=ten: must be a whole number
          exec.windowMax       | 99999999999  | exec.windowMax=99999999999: must be between 1 and 1000000
          shards.count         | 4097         | shards.count=4097: must be between 1 and 4096
          raft.groupId         | not-a-uuid   | raft.groupId=not-a-uuid: must be a UUID like 1e7a9c3b-0000-4000-8000-686f72616501
          node.id              | Node_1       | node.id=Node_1: must match [a-z0-9-]{1,32}
          hosts.ratePerSecond  | -1           | hosts.ratePerSecond=-1: must be between 0 and 1000000
          hosts.rateBurst      | 0            | hosts.rateBurst=0: must be between 1 and 1000000
          hosts.breakerFailures | 0           | hosts.breakerFailures=0: must be between 1 and 10000
          hosts.breakerOpenMin | 10ms         | hosts.breakerOpenMin=10ms: must be between 100ms and 1h
          hosts.trackedMax     | 0            | hosts.trackedMax=0: must be between 1 and 1000000
          webhook.targetAllow  | 10.0.0.1/8   | webhook.targetAllow=10.0.0.1/8: 10.0.0.1/8 has bits set past its prefix; the network is 10.0.0.0/8
          webhook.targetAllow  | *.hooks.example | webhook.targetAllow=*.hooks.example: *.hooks.example: wildcards are not accepted; name each host, or allow its network as a CIDR
          webhook.targetAllow  | 127.0.0.1,,a.b | webhook.targetAllow=127.0.0.1,,a.b: holds an empty entry; separate entries with single commas
          tracing.otlpEndpoint | 127.0.0.1:4318 | tracing.otlpEndpoint=127.0.0.1:4318: must be empty (tracing off) or an http(s) URL like http://127.0.0.1:4318, without user, query or fragment
          tracing.otlpEndpoint | http://c:4318/?k=v | tracing.otlpEndpoint=http://c:4318/?k=v: must be empty (tracing off) or an http(s) URL like http://127.0.0.1:4318, without user, query or fragment
          tracing.serviceName  | my service   | tracing.serviceName=my service: must be 1 to 64 letters, digits, dots, dashes or underscores
          tracing.sampleRatio  | 1.5          | tracing.sampleRatio=1.5: must be between 0.0 and 1.0
          tracing.queueMax     | 0            | tracing.queueMax=0: must be between 1 and 1000000
          tracing.exportInterval | 10ms       | tracing.exportInterval=10ms: must be between 100ms and 1m
          """)
  void badValueFailsNamingKeyValueAndRule(String key, String value, String expected) {
    assertThat(problems(ConfigFixtures.threeNodesWith(key, value))).containsExactly(expected);
  }

  @Test
  void missingNodeIdFails() {
    Properties p = ConfigFixtures.threeNodes();
    p.remove("node.id");

    assertThat(problems(p)).containsExactly("node.id: required key is missing (it has no default)");
  }

  @Test
  void emptyDataDirFails() {
    assertThat(problems(ConfigFixtures.threeNodesWith("node.dataDir", " ")))
        .containsExactly("node.dataDir=: must not be empty");
  }

  @Test
  void nodeIdNotAmongPeersFails() {
    assertThat(problems(ConfigFixtures.threeNodesWith("node.id", "n4")))
        .containsExactly("node.id=n4: must be one of the peers [n1, n2, n3]");
  }

  @Test
  void noPeersFails() {
    Properties p = new Properties();
    p.setProperty("node.id", "n1");
    p.setProperty("node.dataDir", "data");

    assertThat(problems(p))
        .containsExactly(
            "peers: at least one peer is required, as peers.<id>.raft, peers.<id>.api,"
                + " peers.<id>.admin and peers.<id>.internal",
            "tls.caFile: required while tls.enabled=true (make the files with horae certs init, or set tls.enabled=false for plaintext)",
            "tls.certFile: required while tls.enabled=true (make the files with horae certs init, or set tls.enabled=false for plaintext)",
            "tls.keyFile: required while tls.enabled=true (make the files with horae certs init, or set tls.enabled=false for plaintext)",
            AUTH_ACCESS_FILE_REQUIRED);
  }

  @Test
  void duplicatePeerAddressFailsNamingBothKeys() {
    assertThat(problems(ConfigFixtures.threeNodesWith("peers.n2.api", "127.0.0.1:7070")))
        .containsExactly("peers.n2.api=127.0.0.1:7070: address already used by peers.n1.api");
  }

  @Test
  void oneAddressForTwoRolesOfOnePeerFails() {
    assertThat(problems(ConfigFixtures.threeNodesWith("peers.n3.admin", "127.0.0.1:7172")))
        .containsExactly("peers.n3.admin=127.0.0.1:7172: address already used by peers.n3.raft");
  }

  @Test
  void peerWithoutAllFourAddressesFails() {
    Properties p = ConfigFixtures.threeNodes();
    p.remove("peers.n2.admin");

    assertThat(problems(p))
        .containsExactly(
            "peers.n2.admin: required key is missing (every peer needs raft, api, admin and internal)");
  }

  @Test
  void internalAddressSharedWithAnotherRoleFails() {
    assertThat(problems(ConfigFixtures.threeNodesWith("peers.n1.internal", "127.0.0.1:7070")))
        .containsExactly("peers.n1.internal=127.0.0.1:7070: address already used by peers.n1.api");
  }

  @Test
  void tlsOnWithoutItsFilesFailsNamingEachKey() {
    Properties p = ConfigFixtures.threeNodes();
    p.remove("tls.certFile");
    p.setProperty("tls.keyFile", "");

    assertThat(problems(p))
        .containsExactly(
            "tls.certFile: required while tls.enabled=true (make the files with horae certs init, or set tls.enabled=false for plaintext)",
            "tls.keyFile: required while tls.enabled=true (make the files with horae certs init, or set tls.enabled=false for plaintext)");
  }

  @Test
  void authIsOnByDefaultSoANodeWithoutAnAccessFileFailsNamingTheKeyWithTlsOnOrOff() {
    Properties tls = ConfigFixtures.threeNodes();
    tls.remove("auth.accessFile");
    Properties plaintext = ConfigFixtures.threeNodesWith("tls.enabled", "false");
    plaintext.remove("auth.accessFile");

    assertThat(problems(tls)).containsExactly(AUTH_ACCESS_FILE_REQUIRED);
    assertThat(problems(plaintext)).containsExactly(AUTH_ACCESS_FILE_REQUIRED);
  }

  @Test
  void authOffMustBeAskedForAndNeedsNoAccessFile() throws ConfigException {
    Properties p = ConfigFixtures.threeNodesWith("auth.enabled", "false");
    p.remove("auth.accessFile");

    assertThat(ConfigLoader.fromProperties(p).auth().enabled()).isFalse();
    assertThat(ConfigLoader.fromProperties(ConfigFixtures.threeNodes()).auth().enabled())
        .as("the default")
        .isTrue();
  }

  @Test
  void theAdminPortFollowsTlsUnlessAdminTlsSaysOtherwiseAndHttpsThereNeedsTls()
      throws ConfigException {
    Properties plaintext = ConfigFixtures.threeNodesWith("tls.enabled", "false");

    assertThat(ConfigLoader.fromProperties(ConfigFixtures.threeNodes()).tls().admin()).isTrue();
    assertThat(ConfigLoader.fromProperties(plaintext).tls().admin()).isFalse();
    assertThat(
            ConfigLoader.fromProperties(ConfigFixtures.threeNodesWith("admin.tls", "false"))
                .tls()
                .admin())
        .isFalse();
    plaintext.setProperty("admin.tls", "true");
    assertThat(problems(plaintext))
        .containsExactly(
            "admin.tls=true: needs tls.enabled=true (the admin port serves the node's certificate of tls.certFile)");
  }

  @Test
  void plaintextMustBeAskedForAndNeedsNoFiles() throws ConfigException {
    Properties p = ConfigFixtures.threeNodes();
    p.remove("tls.caFile");
    p.remove("tls.certFile");
    p.remove("tls.keyFile");
    p.setProperty("tls.enabled", "false");

    assertThat(ConfigLoader.fromProperties(p).tls().enabled()).isFalse();
    assertThat(problems(ConfigFixtures.threeNodesWith("tls.enabled", "no")))
        .containsExactly("tls.enabled=no: must be true or false");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          peers.n2.raft  | 127.0.0.1:0      | peers.n2.raft=127.0.0.1:0: port must be between 1 and 65535
          peers.n2.raft  | 127.0.0.1:65536  | peers.n2.raft=127.0.0.1:65536: port must be between 1 and 65535
          peers.n2.raft  | 127.0.0.1        | peers.n2.raft=127.0.0.1: must be host:port (IPv6 as [addr]:port), e.g. 127.0.0.1:7170
          peers.n2.grpc  | 127.0.0.1:9000   | peers.n2.grpc=127.0.0.1:9000: unknown key (a peer is peers.<id>.raft, .api, .admin or .internal)
          peers.N9.raft  | 127.0.0.1:9000   | peers.N9.raft=127.0.0.1:9000: peer id must match [a-z0-9-]{1,32}
          """)
  void badPeerAddressFailsNamingKeyValueAndRule(String key, String value, String expected) {
    assertThat(problems(ConfigFixtures.threeNodesWith(key, value))).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          raft.electionTimeoutMax=750ms      | raft.electionTimeoutMax=750ms: must be greater than raft.electionTimeoutMin=750ms (the timeout is drawn at random between the two)
          raft.requestTimeout=1s             | raft.requestTimeout=1s: must be greater than raft.electionTimeoutMax=1s (a request must be able to outlast one leader election)
          raft.firstElectionTimeoutMax=200ms | raft.firstElectionTimeoutMax=200ms: must be greater than raft.firstElectionTimeoutMin=200ms (the timeout is drawn at random between the two)
          api.pageSizeDefault=1001           | api.pageSizeDefault=1001: must be at most api.pageSizeMax=1000 (the default page must be an allowed page)
          api.bodyBytesMax=1MiB              | api.bodyBytesMax=1MiB: must be less than raft.batchBytesMax=1MiB (a job with the largest body must fit in one Raft entry)
          exec.scanInterval=5s               | exec.scanInterval=5s: must be less than exec.lookahead=5s (each scan must look past the next one, or due work is taken late)
          exec.scanBatchMax=10000            | exec.scanBatchMax=10000: must be at most exec.windowMax=20000 (one scan batch must fit in the window)
          exec.retryInitialBackoff=10m       | exec.retryInitialBackoff=10m: must be at most exec.retryMaxBackoff=5m (the backoff grows from the initial value up to the cap)
          hosts.breakerOpenMin=10m           | hosts.breakerOpenMin=10m: must be at most hosts.breakerOpenMax=5m (the open time grows from the first value up to the cap)
          tracing.batchMax=4096              | tracing.batchMax=4096: must be at most tracing.queueMax=2048 (a batch is taken from the export queue)
          """)
  void crossFieldRuleFailsNamingBothKeysAndValues(String assignment, String expected) {
    String[] kv = assignment.split("=", 2);
    Properties p = ConfigFixtures.threeNodesWith(kv[0], kv[1]);
    if (kv[0].equals("exec.scanBatchMax")) {
      p.setProperty("exec.windowMax", "5000");
      expected = expected.replace("exec.windowMax=20000", "exec.windowMax=5000");
    }

    assertThat(problems(p)).containsExactly(expected);
  }

  @Test
  void anAttemptHistoryThatCouldOutgrowOneClientReplyIsRefusedWithTheLargestThatFits() {
    Properties p = ConfigFixtures.threeNodesWith("exec.attemptHistoryMax", "1000");
    p.setProperty("exec.responseExcerptMax", "64KiB");
    assertThat(problems(p))
        .containsExactly(
            "exec.attemptHistoryMax=1000: with exec.responseExcerptMax=64KiB an execution's attempts may hold 65000 KiB, more than"
                + " 8192 KiB (attempts x (excerpt + 1 KiB) must fit one reply the Java client takes, 16 MiB, with room to spare);"
                + " at this excerpt size at most 126 attempts");
    p.setProperty("exec.attemptHistoryMax", "126");
    assertThatCode(() -> ConfigLoader.fromProperties(p)).doesNotThrowAnyException();
    // The largest history with the default excerpt (1 KiB) is allowed.
    assertThatCode(
            () ->
                ConfigLoader.fromProperties(
                    ConfigFixtures.threeNodesWith("exec.attemptHistoryMax", "1000")))
        .doesNotThrowAnyException();
  }

  @Test
  void crossFieldRuleIsSkippedWhenOneOfItsKeysIsInvalid() {
    // Only the bad value is reported, not a follow-on "max must exceed min" line.
    assertThat(problems(ConfigFixtures.threeNodesWith("raft.electionTimeoutMin", "soon")))
        .containsExactly(
            "raft.electionTimeoutMin=soon: must be a duration like 250ms, 5s, 2m, 1h or 1d");
  }

  @Test
  void multipleErrorsAreAllReportedOnePerLine() {
    Properties p = ConfigFixtures.threeNodes();
    p.remove("node.id");
    p.setProperty("exec.windowMax", "0");
    p.setProperty("exec.lookahead", "forever");
    p.setProperty("bogus.key", "1");
    p.setProperty("peers.n2.api", "127.0.0.1:7070");
    p.setProperty("api.pageSizeDefault", "5000");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.fromProperties(p));

    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "bogus.key=1: unknown key",
            "node.id: required key is missing (it has no default)",
            "exec.windowMax=0: must be between 1 and 1000000",
            "exec.lookahead=forever: must be a duration like 250ms, 5s, 2m, 1h or 1d",
            "peers.n2.api=127.0.0.1:7070: address already used by peers.n1.api",
            "api.pageSizeDefault=5000: must be at most api.pageSizeMax=1000"
                + " (the default page must be an allowed page)");
    assertThat(e.getMessage().lines().toList()).isEqualTo(e.problems());
  }

  private static List<String> problems(Properties p) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.fromProperties(p));
    assertThat(e).as("expected the config to be rejected").isNotNull();
    return e.problems();
  }
}
