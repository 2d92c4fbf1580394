package io.horae.cli.exec;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.ListExecutionsResponse;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.common.InstantConverter;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code horae exec ls}: executions of a namespace or one job, filtered, in id order (per job:
 * scheduled-time order). Follows page tokens until {@code --limit} executions were found, and says
 * on stderr when more exist.
 */
@Command(
    name = "ls",
    aliases = "list",
    description = "List executions, optionally of one job, by status and scheduled time.")
final class ExecListCommand implements Callable<Integer> {
  static final int LIMIT_DEFAULT = 100;
  static final int LIMIT_MAX = 10_000;

  @Spec CommandSpec spec;

  @Option(names = "--job", paramLabel = "NAME", description = "Only this job's executions.")
  String job = "";

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      split = ",",
      converter = StatusConverter.class,
      description =
          "Only these statuses (repeat or comma-separate): pending, claimed, succeeded, retry_wait, dead, cancelled, skipped.")
  List<ExecutionStatus> statuses = new ArrayList<>();

  @Option(
      names = "--from",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Scheduled at or after this ISO-8601 time.")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Scheduled before this ISO-8601 time.")
  Instant to;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Print at most N executions (1.." + LIMIT_MAX + ", default " + LIMIT_DEFAULT + ").")
  int limit = LIMIT_DEFAULT;

  @Override
  public Integer call() {
    if (limit < 1 || limit > LIMIT_MAX) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--limit': " + limit + " is not between 1 and " + LIMIT_MAX);
    }
    if (from != null && to != null && !to.isAfter(from)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--to': " + to + " is not after --from " + from);
    }
    GlobalOptions root = GlobalOptions.of(spec);
    ListExecutionsRequest.Builder request =
        ListExecutionsRequest.newBuilder()
            .setNamespace(root.namespace())
            .setJobName(job)
            .addAllStatuses(statuses)
            // Pages no larger than needed; the server clamps this to its maximum.
            .setPageSize(limit + 1);
    if (from != null) {
      request.setScheduledFromMs(from.toEpochMilli());
    }
    if (to != null) {
      request.setScheduledToMs(to.toEpochMilli());
    }
    List<Execution> found;
    try (HoraeClient client = root.newClient()) {
      // One more than asked for tells whether more exist, without a second listing.
      found = client.executions().listAll(request.build()).limit(limit + 1L).toList();
    }
    boolean more = found.size() > limit;
    List<Execution> shown = more ? found.subList(0, limit) : found;
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(ListExecutionsResponse.newBuilder().addAllExecutions(shown), out);
    } else {
      ExecView.printTable(shown, out);
    }
    if (more) {
      spec.commandLine()
          .getErr()
          .printf(
              "more executions match: raise --limit (at most %d) or narrow the filters%n",
              LIMIT_MAX);
    }
    return 0;
  }
}
