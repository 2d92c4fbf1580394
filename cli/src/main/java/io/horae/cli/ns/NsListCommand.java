package io.horae.cli.ns;

import io.horae.api.v1.ListNamespacesResponse;
import io.horae.api.v1.NamespaceInfo;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.TablePrinter;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code horae ns ls}: usage against quota of every namespace the caller may read. */
@Command(
    name = "ls",
    aliases = "list",
    description =
        "List the namespaces that hold jobs or live executions, with their quotas (docs/quotas.md).")
final class NsListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    List<NamespaceInfo> all;
    try (HoraeClient client = root.newClient()) {
      all = client.namespaces();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(ListNamespacesResponse.newBuilder().addAllNamespaces(all), out);
      return 0;
    }
    TablePrinter table = new TablePrinter("NAMESPACE", "JOBS", "LIVE EXECUTIONS", "CREATES/S");
    for (NamespaceInfo ns : all) {
      table.row(
          ns.getName(),
          ofMax(ns.getJobs(), ns.getJobsMax()),
          ofMax(ns.getLiveExecutions(), ns.getLiveExecutionsMax()),
          limit(ns.getCreatesPerSecond()));
    }
    table.print(out);
    return 0;
  }

  /** "12 / 1000 (1%)", or "12 / -" without a limit. */
  static String ofMax(long used, long max) {
    if (max <= 0) {
      return used + " / -";
    }
    return used + " / " + max + " (" + (used * 100 / max) + "%)";
  }

  private static String limit(long perSecond) {
    return perSecond <= 0 ? "-" : Long.toString(perSecond);
  }
}
