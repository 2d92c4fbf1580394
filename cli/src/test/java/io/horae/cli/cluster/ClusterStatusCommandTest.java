package io.horae.cli.cluster;

import static io.horae.cli.Cli.horaeAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.HostBreaker;
import io.horae.api.v1.NodeStatus;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import io.horae.server.cluster.MiniCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code horae cluster status} against a real three-node cluster: the header line, one row per node
 * as the answering node sees them (with lease age and freshness), the shard map grouped by owner
 * and epoch, an unreachable node with its error, and the JSON form.
 */
class ClusterStatusCommandTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(3, Map.of());

  /** The status as node {@code id} answers it through the real API. */
  private static ClusterStatus statusFrom(String id) {
    return ClusterServiceGrpc.newBlockingStub(CLUSTER.cluster().channel(id))
        .getStatus(GetStatusRequest.getDefaultInstance());
  }

  /** The status without the indexes and lease ages, which move on while a test runs. */
  private static ClusterStatus withoutIndexes(ClusterStatus status) {
    ClusterStatus.Builder b = status.toBuilder();
    b.getNodesBuilderList()
        .forEach(
            n -> n.clearCommitIndex().clearAppliedIndex().clearLeaseAgeMs().clearOwnLeaseAgeMs());
    return b.build();
  }

  @Test
  void statusPrintsTheLeaderAndOneRowPerNodeAsTheAnsweringNodeSeesThem() {
    MiniCluster cluster = CLUSTER.cluster();
    cluster.awaitLeases();
    String leader = cluster.leader().id();
    String follower = cluster.follower().id();
    ClusterStatus expected = statusFrom(follower);

    Result result = horaeAt(cluster, cluster.endpoint(follower), "cluster", "status");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(1 + 1 + cluster.ids().size() + 1 + 1 + cluster.ids().size());
    assertThat(lines.get(0))
        .isEqualTo(
            "leader: %s  term: %d  shard epoch: %d  shards: %d  answered by: %s",
            leader,
            expected.getTerm(),
            expected.getShardEpoch(),
            expected.getShardCount(),
            follower);
    assertThat(expected.getShardCount()).isPositive();
    assertThat(lines.get(1))
        .isEqualTo(
            "ID  ROLE      TERM  COMMIT  APPLIED  SHARDS  LEASE AGE  FRESH  MAP EPOCH  API ADDRESS");
    for (int i = 0; i < expected.getNodesCount(); i++) {
      NodeStatus node = expected.getNodes(i);
      assertThat(node.getId()).isEqualTo(cluster.ids().get(i));
      String role = node.getId().equals(leader) ? "LEADER" : "FOLLOWER";
      assertThat(lines.get(2 + i))
          .matches(
              Pattern.quote(node.getId())
                  + " {2}"
                  + role
                  + " +"
                  + expected.getTerm()
                  + " +\\d+ +\\d+ +"
                  + node.getShardsOwned()
                  + " +\\d+ms +yes +"
                  + expected.getShardEpoch()
                  + " +"
                  + Pattern.quote(cluster.endpoint(node.getId())));
    }
    int shardHeader = 1 + 1 + cluster.ids().size() + 1;
    assertThat(lines.get(shardHeader - 1)).isEmpty();
    assertThat(lines.get(shardHeader)).matches("OWNER +EPOCH +HANDOFF +COUNT +SHARDS");
    // The shard rows partition all shards, and agree with the node rows of the same answer.
    java.util.Set<Integer> seen = new java.util.TreeSet<>();
    java.util.Map<String, Integer> perOwner = new java.util.TreeMap<>();
    Pattern row = Pattern.compile("(\\S+) +(\\d+) +(yes|no) +(\\d+) +([0-9,-]+)");
    for (String line : lines.subList(shardHeader + 1, lines.size())) {
      java.util.regex.Matcher m = row.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      assertThat(Long.parseLong(m.group(2))).as(line).isBetween(1L, expected.getShardEpoch());
      List<Integer> listed = expand(m.group(5));
      assertThat(listed).as(line).hasSize(Integer.parseInt(m.group(4)));
      listed.forEach(
          shard -> assertThat(seen.add(shard)).as("shard %d listed once", shard).isTrue());
      perOwner.merge(m.group(1), listed.size(), Integer::sum);
    }
    assertThat(seen).hasSize(expected.getShardCount());
    for (int i = 0; i < cluster.ids().size(); i++) {
      String[] cells = lines.get(2 + i).split(" +");
      assertThat(perOwner.getOrDefault(cells[0], 0))
          .as("shards of %s", cells[0])
          .isEqualTo(Integer.parseInt(cells[5]));
    }
  }

  /** "0-2,5" as [0, 1, 2, 5]. */
  private static List<Integer> expand(String ranges) {
    List<Integer> out = new java.util.ArrayList<>();
    for (String part : ranges.split(",")) {
      String[] ends = part.split("-");
      int from = Integer.parseInt(ends[0]);
      int to = Integer.parseInt(ends[ends.length - 1]);
      for (int i = from; i <= to; i++) {
        out.add(i);
      }
    }
    return out;
  }

  @Test
  void hostsWithABreakerNotClosedAreListedPerNodeWithStateFailuresAndOpenUntil() {
    ClusterStatus status =
        ClusterStatus.newBuilder()
            .addNodes(NodeStatus.newBuilder().setId("n1"))
            .addNodes(
                NodeStatus.newBuilder()
                    .setId("n2")
                    .addHostBreakers(
                        HostBreaker.newBuilder()
                            .setHost("https://hooks.example:443")
                            .setState("OPEN")
                            .setConsecutiveFailures(7)
                            .setOpenUntilMs(1_767_225_600_000L))
                    .addHostBreakers(
                        HostBreaker.newBuilder()
                            .setHost("http://127.0.0.9:8080")
                            .setState("HALF_OPEN")
                            .setConsecutiveFailures(5)))
            .build();
    java.io.StringWriter text = new java.io.StringWriter();

    ClusterStatusCommand.printBreakers(status, new java.io.PrintWriter(text, true));

    assertThat(text.toString().lines().toList())
        .containsExactly(
            "NODE  HOST                       BREAKER    FAILURES  OPEN UNTIL",
            "n2    https://hooks.example:443  OPEN       7         2026-01-01T00:00:00Z",
            "n2    http://127.0.0.9:8080      HALF_OPEN  5         -");
  }

  @Test
  void shardRangesCollapseConsecutiveShards() {
    assertThat(ClusterStatusCommand.ranges(List.of(0, 1, 2, 3, 7, 9, 10))).isEqualTo("0-3,7,9-10");
    assertThat(ClusterStatusCommand.ranges(List.of(5))).isEqualTo("5");
  }

  @Test
  void anUnreachableNodeIsListedWithItsError() throws Exception {
    MiniCluster cluster = CLUSTER.cluster();
    String leader = cluster.leader().id();
    String stopped = cluster.follower().id();
    cluster.stopNode(stopped);
    try {
      Result result = horaeAt(cluster, cluster.endpoint(leader), "cluster", "status");

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out().lines().toList().get(1))
          .matches(
              "ID +ROLE +TERM +COMMIT +APPLIED +SHARDS +LEASE AGE +FRESH +MAP EPOCH +API ADDRESS +ERROR");
      // The node rows end at the blank line before the shard map.
      List<String> nodeRows = result.out().lines().takeWhile(l -> !l.isEmpty()).toList();
      assertThat(nodeRows.stream().filter(l -> l.startsWith(stopped + " ")))
          .singleElement()
          .asString()
          .matches(
              // The leader heard it until the stop, so its lease age may still show.
              Pattern.quote(stopped)
                  + " +UNREACHABLE +0 +0 +0 +0 +(\\d+ms|-) +- +0 +"
                  + Pattern.quote(cluster.endpoint(stopped))
                  + " +UNAVAILABLE");
      assertThat(nodeRows.stream().filter(l -> l.startsWith(leader + " ")))
          .singleElement()
          .asString()
          .contains("LEADER")
          .endsWith(" -");
    } finally {
      cluster.startNode(stopped);
      cluster.awaitReady();
    }
  }

  @Test
  void jsonOutputIsTheClusterStatusAsProtoJson() throws Exception {
    MiniCluster cluster = CLUSTER.cluster();
    String leader = cluster.leader().id();

    // Another test stops and restarts a node: the coordinator may still be moving shards back, so
    // compare against the API until two answers agree.
    ClusterStatus.Builder parsed = ClusterStatus.newBuilder();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Result result =
                  horaeAt(cluster, cluster.endpoint(leader), "cluster", "status", "-o", "json");
              assertThat(result.exitCode()).as(result.err()).isZero();
              parsed.clear();
              JsonFormat.parser().merge(result.out(), parsed);
              assertThat(withoutIndexes(parsed.build()))
                  .isEqualTo(withoutIndexes(statusFrom(leader)));
            });
    assertThat(parsed.getLeaderId()).isEqualTo(leader);
    assertThat(parsed.getNodesList()).extracting(NodeStatus::getId).isEqualTo(cluster.ids());
    assertThat(parsed.getShardOwnersList())
        .hasSize(parsed.getShardCount())
        .allMatch(o -> o.getEpoch() >= 1);
  }
}
