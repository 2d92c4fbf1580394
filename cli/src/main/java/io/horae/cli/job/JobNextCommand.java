package io.horae.cli.job;

import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.PreviewedFire;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.common.InstantConverter;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.TablePrinter;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code horae job next NAME [-c N] [--from INSTANT]}: the job's next fire times in its zone's
 * local time with offsets, and what daylight saving did to each. The cluster computes them
 * (JobService.PreviewSchedule), so the CLI needs no schedule code.
 */
@Command(
    name = "next",
    description = "Show a job's next fire times, with their UTC offsets and daylight-saving notes.")
final class JobNextCommand implements Callable<Integer> {
  /** Most fires one call lists (the server's limit). */
  static final int COUNT_MAX = 100;

  private static final DateTimeFormatter FIRE =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .appendOffset("+HH:MM:ss", "+00:00")
          .toFormatter(Locale.ROOT);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Job name.")
  String name;

  @Option(
      // Not -n: that is the namespace, inherited from horae.
      names = {"-c", "--count"},
      paramLabel = "N",
      defaultValue = "10",
      description = "How many fire times, 1 to " + COUNT_MAX + " (default ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      converter = InstantConverter.class,
      description = "List fire times at or after this time (default: now).")
  Instant from;

  @Override
  public Integer call() {
    if (count < 1 || count > COUNT_MAX) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--count': " + count + " is not in 1.." + COUNT_MAX);
    }
    if (from != null && from.toEpochMilli() <= 0) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for option '--from': " + from + " is not after 1970");
    }
    GlobalOptions root = GlobalOptions.of(spec);
    PreviewScheduleRequest.Builder request =
        PreviewScheduleRequest.newBuilder()
            .setNamespace(root.namespace())
            .setName(name)
            .setCount(count);
    if (from != null) {
      request.setFromMs(from.toEpochMilli());
    }
    try (HoraeClient client = root.newClient()) {
      print(client.preview(request.build()), root.output(), spec.commandLine().getOut());
    }
    return 0;
  }

  /** A FIRE / NOTE table (the fire in the zone's local time with its offset), or proto JSON. */
  static void print(PreviewScheduleResponse preview, OutputFormat format, PrintWriter out) {
    if (format == OutputFormat.JSON) {
      JsonOutput.print(preview, out);
      return;
    }
    TablePrinter table = new TablePrinter("FIRE", "NOTE");
    for (PreviewedFire fire : preview.getFiresList()) {
      table.row(local(fire), fire.getNoteText());
    }
    table.print(out);
  }

  /**
   * 2027-03-28T03:00:00+02:00: seconds always, milliseconds when not zero, and +00:00 rather than Z
   * for UTC, so the column keeps one shape.
   */
  static String local(PreviewedFire fire) {
    ZoneOffset offset = ZoneOffset.ofTotalSeconds(fire.getUtcOffsetSeconds());
    return FIRE.format(Instant.ofEpochMilli(fire.getFireMs()).atOffset(offset));
  }
}
