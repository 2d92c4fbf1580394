package io.horae.cli.job;

import io.horae.api.v1.DeleteJobResponse;
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

/** {@code horae job rm NAME}: deletes a job and its pending executions. */
@Command(
    name = "rm",
    aliases = "delete",
    description = "Delete a job and cancel its pending executions.")
final class JobDeleteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Job name.")
  String name;

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description = "Id that makes a repeated delete return the first result (default: generated).")
  String requestId;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    int cancelled;
    try (HoraeClient client = root.newClient()) {
      cancelled = client.delete(root.namespace(), name, requestId);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(DeleteJobResponse.newBuilder().setCancelledExecutions(cancelled), out);
    } else {
      out.printf(
          "deleted job %s/%s (%d pending executions cancelled)%n",
          root.namespace(), name, cancelled);
    }
    return 0;
  }
}
