package io.horae.cli.cluster;

import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.HostBreaker;
import io.horae.api.v1.NodeStatus;
import io.horae.api.v1.ShardOwner;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.TablePrinter;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code horae cluster status}: the leader, term and shard epoch; one row per node as the answering
 * node sees it, with its lease age as the leader sees it and whether its own lease is fresh; then
 * the shard map, one row per owner, epoch and hand-off state with the shards as ranges. Unreachable
 * nodes show their error in the last column. Target hosts whose circuit breaker is not closed on
 * some node are listed, per node, between the two tables.
 */
@Command(
    name = "status",
    description = "Show the leader, the nodes with their leases, and the shard map.")
final class ClusterStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    ClusterStatus status;
    try (HoraeClient client = root.newClient()) {
      status = client.clusterStatus();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(status, out);
      return 0;
    }
    out.printf(
        "leader: %s  term: %d  shard epoch: %d  shards: %d  answered by: %s%n",
        orDash(status.getLeaderId()),
        status.getTerm(),
        status.getShardEpoch(),
        status.getShardCount(),
        orDash(status.getAnsweredBy()));
    printNodes(status, out);
    if (status.getNodesList().stream().anyMatch(n -> n.getHostBreakersCount() > 0)) {
      out.println();
      printBreakers(status, out);
    }
    if (status.getShardOwnersCount() > 0) {
      out.println();
      printShards(status, out);
    }
    return 0;
  }

  private static void printNodes(ClusterStatus status, PrintWriter out) {
    boolean anyError = status.getNodesList().stream().anyMatch(n -> !n.getError().isEmpty());
    String[] headers = {
      "ID",
      "ROLE",
      "TERM",
      "COMMIT",
      "APPLIED",
      "SHARDS",
      "LEASE AGE",
      "FRESH",
      "MAP EPOCH",
      "API ADDRESS",
      "ERROR"
    };
    TablePrinter table =
        new TablePrinter(anyError ? headers : Arrays.copyOf(headers, headers.length - 1));
    for (NodeStatus node : status.getNodesList()) {
      Object[] cells = {
        node.getId(),
        orDash(node.getRole()),
        node.getTerm(),
        node.getCommitIndex(),
        node.getAppliedIndex(),
        node.getShardsOwned(),
        node.getLeaseAgeMs() < 0 ? "-" : node.getLeaseAgeMs() + "ms",
        node.getReachable() ? (node.getLeaseFresh() ? "yes" : "no") : "-",
        node.getAppliedMapEpoch(),
        orDash(node.getApiAddress()),
        orDash(node.getError())
      };
      table.row(anyError ? cells : Arrays.copyOf(cells, cells.length - 1));
    }
    table.print(out);
  }

  /**
   * One row per node and target host whose circuit breaker on that node is not closed: each node
   * judges a host by itself, so one host may show on some nodes only.
   */
  static void printBreakers(ClusterStatus status, PrintWriter out) {
    TablePrinter table = new TablePrinter("NODE", "HOST", "BREAKER", "FAILURES", "OPEN UNTIL");
    for (NodeStatus node : status.getNodesList()) {
      for (HostBreaker b : node.getHostBreakersList()) {
        String until =
            b.getOpenUntilMs() > 0 ? Instant.ofEpochMilli(b.getOpenUntilMs()).toString() : "-";
        table.row(node.getId(), b.getHost(), b.getState(), b.getConsecutiveFailures(), until);
      }
    }
    table.print(out);
  }

  /** One row per (owner, tenure epoch, hand-off), shards as ranges: 64 shards stay a few lines. */
  private static void printShards(ClusterStatus status, PrintWriter out) {
    Map<String, List<Integer>> groups = new TreeMap<>();
    for (ShardOwner o : status.getShardOwnersList()) {
      String key =
          o.getNodeId()
              + "\u0000"
              + String.format("%019d", o.getEpoch())
              + "\u0000"
              + (o.getHandoff() ? "yes" : "no");
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(o.getShard());
    }
    TablePrinter table = new TablePrinter("OWNER", "EPOCH", "HANDOFF", "COUNT", "SHARDS");
    groups.forEach(
        (key, shards) -> {
          String[] parts = key.split("\u0000");
          table.row(parts[0], Long.parseLong(parts[1]), parts[2], shards.size(), ranges(shards));
        });
    table.print(out);
  }

  /** Sorted shard numbers as ranges: 0-3,7,9-10. */
  static String ranges(List<Integer> sorted) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < sorted.size()) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
        j++;
      }
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(sorted.get(i));
      if (j > i) {
        b.append('-').append(sorted.get(j));
      }
      i = j + 1;
    }
    return b.toString();
  }

  private static String orDash(String text) {
    return text.isEmpty() ? "-" : text;
  }
}
