package io.horae.cli.job;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.cli.common.GlobalOptions;
import io.horae.client.HoraeClient;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code horae job update NAME [--cron ...|--every ...|--at ...|--in ...] [--url U] ...
 * [--if-version N]}: changes only what is given (the update's field mask) and prints the job.
 */
@Command(
    name = "update",
    description =
        "Change a job in place: only the given options change; a new schedule takes effect at once.")
final class JobUpdateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Job name.")
  String name;

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description = "Id that makes a repeated update return the first result (default: generated).")
  String requestId;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "New schedule (at most one):%n")
  ScheduleOptions schedule;

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      converter = ZoneConverter.class,
      description = "Time zone of --cron, e.g. Europe/Berlin.")
  ZoneId zone;

  @Option(
      names = "--after",
      paramLabel = "JOB",
      description =
          "Run after each success of JOB instead of on a schedule; --after '' with a new schedule ends that.")
  String after;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "New webhook URL; headers, body and timeouts stay.")
  String url;

  @Option(names = "--method", paramLabel = "METHOD", description = "New HTTP method.")
  String method;

  @Option(
      names = "--priority",
      paramLabel = "0..3",
      description = "New priority, 0 (low) to 3 (critical).")
  Integer priority;

  @Mixin LabelOptions labels = new LabelOptions();

  @Mixin PolicyOptions policies = new PolicyOptions();

  @Mixin SchedulePolicyOptions schedulePolicy = new SchedulePolicyOptions();

  @Option(
      names = "--if-version",
      paramLabel = "N",
      description =
          "Change the job only if it is still at version N (else: FAILED_PRECONDITION naming the current version).")
  long ifVersion;

  @Override
  public Integer call() {
    if (zone != null && (schedule == null || !schedule.isCron())) {
      throw usage("--tz is only allowed with --cron");
    }
    JobCreateCommand.checkPriorityAndMethod(spec, priority, method);
    if (ifVersion < 0) {
      throw usage("Invalid value for option '--if-version': " + ifVersion + " is negative");
    }
    Map<String, String> newLabels = labels.labels(spec);
    Integer keepLast = labels.keepLast(spec);
    GlobalOptions root = GlobalOptions.of(spec);
    Job.Builder job = Job.newBuilder().setNamespace(root.namespace()).setName(name);
    List<String> paths = new ArrayList<>();
    if (schedule != null || schedulePolicy.given()) {
      paths.add("schedule");
    }
    if (after != null) {
      if ((schedule != null || schedulePolicy.given()) && !after.isEmpty()) {
        throw usage(
            "--after and a new schedule cannot be combined (a job with --after has no schedule)");
      }
      job.setAfter(after);
      paths.add("after");
      if (schedule == null && !after.isEmpty()) {
        paths.add("schedule"); // Cleared: the job runs after JOB only.
      }
    }
    if (priority != null) {
      job.setPriority(priority);
      paths.add("priority");
    }
    if (newLabels != null) {
      job.putAllLabels(newLabels);
      paths.add("labels");
    }
    if (keepLast != null) {
      job.setKeepLast(keepLast);
      paths.add("keep_last");
    }
    policies.applyTo(job, paths, spec);
    if (paths.isEmpty() && url == null && method == null) {
      throw usage(
          "nothing to change: give a new schedule, --url, --method, --priority, --label, --keep-last or a misfire option");
    }
    try (HoraeClient client = root.newClient()) {
      long expected = ifVersion;
      boolean merge = url != null || method != null || schedule != null || schedulePolicy.given();
      Job current = null;
      if (merge) {
        // The schedule and the target are one field each: read them, change what was given, send
        // them back whole, on the version read (secret header values come back empty and the
        // server keeps them).
        current = client.get(root.namespace(), name);
        if (expected > 0 && current.getVersion() != expected) {
          throw usage(
              "job "
                  + root.namespace()
                  + "/"
                  + name
                  + " is at version "
                  + current.getVersion()
                  + ", not "
                  + expected);
        }
        expected = current.getVersion();
      }
      if (schedule != null || schedulePolicy.given()) {
        job.setSchedule(
            schedulePolicy.applyTo(
                mergedSchedule(current.getSchedule()), System.currentTimeMillis()));
      }
      if (url != null || method != null) {
        Target.Builder target = current.getTarget().toBuilder();
        if (url != null) {
          target.setUrl(url);
        }
        if (method != null) {
          target.setMethod(method.toUpperCase(Locale.ROOT));
        }
        job.setTarget(target);
        paths.add("target");
      }
      JobView.printJob(
          client.update(job.build(), paths, expected, requestId),
          root.output(),
          spec.commandLine().getOut());
    }
    return 0;
  }

  /**
   * The new schedule over the current one: what was not given stays (the end, the fire limit, and
   * from cron to cron the time zone and the daylight-saving policies); a new kind of schedule takes
   * the given parts only, with the end and the fire limit kept.
   */
  private Schedule mergedSchedule(Schedule old) {
    if (schedule == null) {
      return old; // only --end-at, --max-fires or a DST policy changes
    }
    Schedule fresh = schedule.toSchedule(zone);
    Schedule.Builder merged =
        fresh.toBuilder().setEndAtMs(old.getEndAtMs()).setMaxFires(old.getMaxFires());
    if (fresh.hasCron() && old.hasCron()) {
      Cron.Builder cron =
          merged
              .getCronBuilder()
              .setDstGap(old.getCron().getDstGap())
              .setDstOverlap(old.getCron().getDstOverlap());
      if (zone == null) {
        cron.setTimeZone(old.getCron().getTimeZone());
      }
    }
    return merged.build();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
