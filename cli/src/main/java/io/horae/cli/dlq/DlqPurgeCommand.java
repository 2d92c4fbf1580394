package io.horae.cli.dlq;

import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.PurgeDeadLettersRequest;
import io.horae.api.v1.PurgeDeadLettersResponse;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code horae dlq purge ID... | --all-matching [filters]}: removes dead letters and their
 * execution records for good. A bare {@code purge} is a usage error and removes nothing.
 */
@Command(
    name = "purge",
    description = "Remove dead letters and their executions for good (IDs, or --all-matching).")
final class DlqPurgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DlqSelection selection;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    DeadLetterFilter filter = selection.check(spec, "purge", root.namespace());
    PurgeDeadLettersRequest.Builder request = PurgeDeadLettersRequest.newBuilder();
    PurgeDeadLettersResponse.Builder total = PurgeDeadLettersResponse.newBuilder();
    try (HoraeClient client = root.newClient()) {
      if (filter == null) {
        total.mergeFrom(client.deadLetters().purge(request.addAllIds(selection.ids).build()));
      } else {
        request.setFilter(filter);
        PurgeDeadLettersResponse r;
        do {
          r =
              client
                  .deadLetters()
                  .purge(request.setLimit(selection.limit - total.getPurged()).build());
          total
              .setPurged(total.getPurged() + r.getPurged())
              .setSkipped(total.getSkipped() + r.getSkipped());
          request.setPageToken(r.getNextPageToken());
        } while (r.getMore() && total.getPurged() < selection.limit);
        total.setMore(r.getMore()).setNextPageToken(r.getNextPageToken());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(total, out);
    } else {
      out.printf(
          "purged %d dead letters (%d skipped: no longer dead)%n",
          total.getPurged(), total.getSkipped());
    }
    if (total.getMore()) {
      spec.commandLine()
          .getErr()
          .printf(
              "more dead letters match: stopped at --limit %d; run again to go on%n",
              selection.limit);
    }
    return 0;
  }
}
