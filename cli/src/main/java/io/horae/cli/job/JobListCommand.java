package io.horae.cli.job;

import io.horae.api.v1.ListJobsResponse;
import io.horae.cli.HoraeCommand;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import io.horae.client.JobPage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code horae job ls}: prints one page of jobs (and how to get the next), or with {@code --all}
 * every job of the namespace. {@code --all} collects the jobs before printing, to align the table.
 */
@Command(name = "ls", aliases = "list", description = "List the jobs of a namespace.")
final class JobListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--page-size",
      paramLabel = "N",
      description = "Jobs per page (default: the cluster's).")
  int pageSize;

  @Option(
      names = "--page-token",
      paramLabel = "TOKEN",
      description = "Page to show, from a previous listing.")
  String pageToken = "";

  @Option(names = "--all", description = "Follow page tokens and list every job.")
  boolean all;

  @Override
  public Integer call() {
    if (pageSize < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--page-size': " + pageSize + " is negative");
    }
    if (all && !pageToken.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--all and --page-token cannot be combined");
    }
    HoraeCommand root = HoraeCommand.of(spec);
    JobPage page;
    try (HoraeClient client = root.newClient()) {
      page =
          all
              ? new JobPage(client.listAll(root.namespace()).toList(), "")
              : client.list(root.namespace(), pageSize, pageToken);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      ListJobsResponse.Builder response =
          ListJobsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.jobs().forEach(job -> response.addJobs(JobView.redacted(job)));
      JsonOutput.print(response, out);
      return 0;
    }
    JobView.printTable(page.jobs(), out);
    if (page.hasNextPage()) {
      // On stderr, so the table on stdout stays clean for pipes.
      spec.commandLine()
          .getErr()
          .printf("more jobs: add --page-token %s (or --all)%n", page.nextPageToken());
    }
    return 0;
  }
}
