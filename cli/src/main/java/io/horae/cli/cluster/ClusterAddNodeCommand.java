package io.horae.cli.cluster;

import io.horae.api.v1.MembershipResponse;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code horae cluster add-node ID --raft H:P --api H:P --internal H:P [--admin H:P]}: adds a node
 * that already runs in join mode; it catches up, becomes a voting member, then gets shards a few at
 * a time.
 */
@Command(name = "add-node", description = "Add a node started with node.join=true to the cluster.")
final class ClusterAddNodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      converter = NodeIdConverter.class,
      description = "The new node's id.")
  String id;

  @Option(
      names = "--raft",
      required = true,
      paramLabel = "HOST:PORT",
      converter = AddressConverter.class,
      description = "Its Raft address.")
  String raft;

  @Option(
      names = "--api",
      required = true,
      paramLabel = "HOST:PORT",
      converter = AddressConverter.class,
      description = "Its gRPC API address.")
  String api;

  @Option(
      names = "--internal",
      required = true,
      paramLabel = "HOST:PORT",
      converter = AddressConverter.class,
      description = "Its internal node-to-node address (peers.<id>.internal).")
  String internal;

  @Option(
      names = "--admin",
      paramLabel = "HOST:PORT",
      converter = AddressConverter.class,
      description = "Its admin HTTP address (optional).")
  String admin;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    MembershipResponse r;
    try (HoraeClient client = root.newClient()) {
      r = client.addNode(id, raft, api, admin, internal);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(r, out);
    } else {
      out.printf("added node %s; members: %s%n", id, String.join(", ", r.getVotersList()));
    }
    return 0;
  }
}
