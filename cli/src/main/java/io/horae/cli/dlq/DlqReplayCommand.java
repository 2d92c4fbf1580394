package io.horae.cli.dlq;

import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.ReplayDeadLettersRequest;
import io.horae.api.v1.ReplayDeadLettersResponse;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.common.InstantConverter;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code horae dlq replay ID... | --all-matching [filters]}: puts dead letters back to PENDING,
 * same id and attempt count, due now or {@code --at}. With {@code --all-matching} it calls the
 * server batch after batch (each bounded by the server) until nothing more matches or {@code
 * --limit} were replayed.
 */
@Command(
    name = "replay",
    description = "Deliver dead letters again: same idempotency key, attempts counted on.")
final class DlqReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DlqSelection selection;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Due at this ISO-8601 time instead of now.")
  Instant at;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    DeadLetterFilter filter = selection.check(spec, "replay", root.namespace());
    ReplayDeadLettersRequest.Builder request =
        ReplayDeadLettersRequest.newBuilder().setDueMs(at == null ? 0 : at.toEpochMilli());
    ReplayDeadLettersResponse.Builder total = ReplayDeadLettersResponse.newBuilder();
    try (HoraeClient client = root.newClient()) {
      if (filter == null) {
        total.mergeFrom(client.deadLetters().replay(request.addAllIds(selection.ids).build()));
      } else {
        request.setFilter(filter);
        ReplayDeadLettersResponse r;
        do {
          r =
              client
                  .deadLetters()
                  .replay(request.setLimit(selection.limit - total.getReplayed()).build());
          total
              .setReplayed(total.getReplayed() + r.getReplayed())
              .setSkipped(total.getSkipped() + r.getSkipped());
          request.setPageToken(r.getNextPageToken());
        } while (r.getMore() && total.getReplayed() < selection.limit);
        total.setMore(r.getMore()).setNextPageToken(r.getNextPageToken());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(total, out);
    } else {
      out.printf(
          "replayed %d dead letters (%d skipped: no longer dead)%n",
          total.getReplayed(), total.getSkipped());
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
