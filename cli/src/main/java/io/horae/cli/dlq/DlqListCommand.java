package io.horae.cli.dlq;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.ListDeadLettersResponse;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code horae dlq ls}: dead letters of a namespace, oldest death first, filtered. Follows page
 * tokens until {@code --limit} were found, and says on stderr when more exist.
 */
@Command(
    name = "ls",
    aliases = "list",
    description = "List dead letters, by job, time of death and last HTTP status.")
final class DlqListCommand implements Callable<Integer> {
  static final int LIMIT_DEFAULT = 100;
  static final int LIMIT_MAX = 10_000;

  @Spec CommandSpec spec;

  @Mixin DlqFilterOptions filters;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Print at most N dead letters (1.." + LIMIT_MAX + ", default " + LIMIT_DEFAULT + ").")
  int limit = LIMIT_DEFAULT;

  @Override
  public Integer call() {
    if (limit < 1 || limit > LIMIT_MAX) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--limit': " + limit + " is not between 1 and " + LIMIT_MAX);
    }
    GlobalOptions root = GlobalOptions.of(spec);
    ListDeadLettersRequest request =
        ListDeadLettersRequest.newBuilder()
            .setFilter(filters.filter(spec, root.namespace()))
            .setPageSize(limit + 1)
            .build();
    List<Execution> found;
    try (HoraeClient client = root.newClient()) {
      // One more than asked for tells whether more exist, without a second listing.
      found = client.deadLetters().listAll(request).limit(limit + 1L).toList();
    }
    boolean more = found.size() > limit;
    List<Execution> shown = more ? found.subList(0, limit) : found;
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(ListDeadLettersResponse.newBuilder().addAllDeadLetters(shown), out);
    } else {
      DlqView.printTable(shown, out);
    }
    if (more) {
      spec.commandLine()
          .getErr()
          .printf(
              "more dead letters match: raise --limit (at most %d) or narrow the filters%n",
              LIMIT_MAX);
    }
    return 0;
  }
}
