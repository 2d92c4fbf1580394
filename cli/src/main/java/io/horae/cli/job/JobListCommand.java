package io.horae.cli.job;

import io.horae.api.v1.JobState;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.YamlCapable;
import io.horae.client.HoraeClient;
import io.horae.client.JobPage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
final class JobListCommand implements Callable<Integer>, YamlCapable {
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

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description =
          "Only jobs whose labels match, e.g. team=pay,env!=dev,tier in (gold,silver) (key=value, key!=value, key, !key, key in (..), key notin (..)).")
  String selector = "";

  @Option(
      names = "--state",
      paramLabel = "STATE",
      description = "Only jobs in this state: active, paused, completed or cancelled; repeatable.")
  List<String> states = new ArrayList<>();

  @Option(
      names = "--prefix",
      paramLabel = "PREFIX",
      description = "Only jobs whose name starts with PREFIX.")
  String prefix = "";

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
    GlobalOptions root = GlobalOptions.of(spec);
    ListJobsRequest.Builder request =
        ListJobsRequest.newBuilder()
            .setNamespace(root.namespace())
            .setPageSize(pageSize)
            .setPageToken(pageToken)
            .setLabelSelector(selector)
            .setNamePrefix(prefix);
    for (String state : states) {
      request.addStates(state(state));
    }
    if (root.output() != OutputFormat.TABLE) {
      request.setView(io.horae.api.v1.ListView.LIST_VIEW_FULL); // json and yaml show the whole job
    }
    JobPage page;
    try (HoraeClient client = root.newClient()) {
      page =
          all
              ? new JobPage(client.listAll(request.build()).toList(), "")
              : client.list(request.build());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      ListJobsResponse.Builder response =
          ListJobsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.jobs().forEach(job -> response.addJobs(JobView.redacted(job)));
      JsonOutput.print(response, out);
      return 0;
    }
    if (root.output() == OutputFormat.YAML) {
      JobView.printYaml(page.jobs(), out);
    } else {
      JobView.printTable(page.jobs(), out);
    }
    if (page.hasNextPage()) {
      // On stderr, so the table or YAML on stdout stays clean for pipes.
      spec.commandLine()
          .getErr()
          .printf("more jobs: add --page-token %s (or --all)%n", page.nextPageToken());
    }
    return 0;
  }

  private JobState state(String name) {
    try {
      JobState s = JobState.valueOf("JOB_STATE_" + name.toUpperCase(Locale.ROOT));
      if (s != JobState.JOB_STATE_UNSPECIFIED) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // fall through to the message
    }
    throw new ParameterException(
        spec.commandLine(),
        "Invalid value for option '--state': '"
            + name
            + "' (expected active, paused, completed or cancelled)");
  }
}
