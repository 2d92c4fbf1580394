package io.horae.cli.job;

import com.google.protobuf.ByteString;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.common.SecretFiles;
import io.horae.client.HoraeClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * {@code horae job create NAME --url U (--at|--in|--every|--cron) ...}: creates a job and prints
 * it.
 */
@Command(name = "create", description = "Create a job that calls a webhook on a schedule.")
final class JobCreateCommand implements Callable<Integer> {
  /** Largest --body accepted; the request must fit in gRPC's default 4 MiB message limit. */
  static final int BODY_BYTES_MAX = 1 << 20;

  static final int PRIORITY_MAX = 3;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Job name, unique in the namespace.")
  String name;

  @Option(
      names = "--url",
      required = true,
      paramLabel = "URL",
      description = "Webhook URL (http or https).")
  String url;

  @ArgGroup(
      exclusive = true,
      multiplicity = "0..1",
      heading = "Schedule (exactly one, or --after):%n")
  ScheduleOptions schedule;

  @Option(
      names = "--after",
      paramLabel = "JOB",
      description =
          "Run once after each successful execution of JOB (same namespace), instead of a schedule.")
  String after;

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      converter = ZoneConverter.class,
      description = "Time zone of --cron, e.g. Europe/Berlin.")
  ZoneId zone;

  @Option(
      names = "--body",
      paramLabel = "JSON|@FILE",
      description =
          "Request body, sent as-is; @FILE reads it from a file. JSON bodies get Content-Type:"
              + " application/json unless a --header sets it.")
  String body;

  @Option(
      names = "--header",
      paramLabel = "NAME:VALUE",
      converter = HeaderConverter.class,
      description = "Request header; repeatable.")
  List<Header> headers = new ArrayList<>();

  @Option(
      names = "--secret-header",
      paramLabel = "NAME:VALUE",
      converter = HeaderConverter.class,
      description =
          "Request header whose value is a credential: stored encrypted, never shown again;"
              + " repeatable. Authorization, Proxy-Authorization, Cookie and X-Api-Key given with"
              + " --header are secret anyway.")
  List<Header> secretHeaders = new ArrayList<>();

  @Option(
      names = "--signing-secret",
      paramLabel = "whsec_...|@FILE",
      description =
          "Standard Webhooks secret that signs this job's deliveries instead of its namespace's;"
              + " @FILE reads it from a file (keeps it out of shell history). Never shown again.")
  String signingSecret;

  @Option(names = "--method", paramLabel = "METHOD", description = "HTTP method (default POST).")
  String method;

  @Option(
      names = "--priority",
      paramLabel = "0..3",
      description = "0 (low) to 3 (critical); higher is fired first.")
  Integer priority;

  @Mixin SchedulePolicyOptions schedulePolicy = new SchedulePolicyOptions();

  @Mixin DeliveryOptions delivery = new DeliveryOptions();

  @Mixin LabelOptions labels = new LabelOptions();

  @Mixin PolicyOptions policies = new PolicyOptions();

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description = "Id that makes a repeated create return the first result (default: generated).")
  String requestId;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    Job job = toJob(root.namespace());
    try (HoraeClient client = root.newClient()) {
      JobView.printJob(client.create(job, requestId), root.output(), spec.commandLine().getOut());
    }
    return 0;
  }

  /** Checks the options that picocli cannot check alone and builds the job to send. */
  Job toJob(String namespace) {
    if ((schedule == null) == (after == null)) {
      throw usage("give exactly one of --at, --in, --every, --cron or --after");
    }
    if (after != null && schedulePolicy.given()) {
      throw usage(
          "--end-at, --max-fires, --dst-gap and --dst-overlap need a schedule; a job with --after has none");
    }
    if (zone != null && (schedule == null || !schedule.isCron())) {
      throw usage("--tz is only allowed with --cron");
    }
    checkPriorityAndMethod(spec, priority, method);
    Target.Builder target = Target.newBuilder().setUrl(url).addAllHeaders(headers);
    for (Header h : secretHeaders) {
      target.addHeaders(h.toBuilder().setSecret(true));
    }
    if (method != null) {
      target.setMethod(method.toUpperCase(Locale.ROOT));
    }
    if (body != null) {
      ByteString bytes = readBody();
      target.setBody(bytes);
      boolean hasContentType =
          headers.stream().anyMatch(h -> h.getName().equalsIgnoreCase("Content-Type"));
      if (!hasContentType && looksLikeJson(bytes)) {
        target.addHeaders(Header.newBuilder().setName("Content-Type").setValue("application/json"));
      }
    }
    Job.Builder job = Job.newBuilder().setNamespace(namespace).setName(name).setTarget(target);
    if (schedule != null) {
      job.setSchedule(
          schedulePolicy.applyTo(schedule.toSchedule(zone), System.currentTimeMillis()));
    } else {
      job.setAfter(after);
    }
    if (priority != null) {
      job.setPriority(priority);
    }
    if (signingSecret != null) {
      job.setSigningSecret(readSigningSecret());
    }
    if (labels.labels(spec) != null) {
      job.putAllLabels(labels.labels(spec));
    }
    if (labels.keepLast(spec) != null) {
      job.setKeepLast(labels.keepLast(spec));
    }
    policies.applyTo(job, null, spec);
    delivery.applyTo(job, target);
    return job.setTarget(target).build();
  }

  /** The checks of --priority and --method, shared with job update. */
  static void checkPriorityAndMethod(CommandSpec spec, Integer priority, String method) {
    if (priority != null && (priority < 0 || priority > PRIORITY_MAX)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--priority': " + priority + " is not in 0.." + PRIORITY_MAX);
    }
    if (method != null && !method.matches("[A-Za-z]{1,16}")) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--method': '" + method + "' is not an HTTP method");
    }
  }

  private ByteString readBody() {
    if (!body.startsWith("@")) {
      ByteString bytes = ByteString.copyFromUtf8(body);
      if (bytes.size() > BODY_BYTES_MAX) {
        throw usage(
            "Invalid value for option '--body': "
                + bytes.size()
                + " bytes, more than "
                + BODY_BYTES_MAX);
      }
      return bytes;
    }
    Path file = GlobalOptions.of(spec).invocation().resolve(body.substring(1));
    try {
      long size = Files.size(file);
      if (size > BODY_BYTES_MAX) {
        throw usage(
            "Invalid value for option '--body': file '"
                + file
                + "' has "
                + size
                + " bytes, more than "
                + BODY_BYTES_MAX);
      }
      return ByteString.copyFrom(Files.readAllBytes(file));
    } catch (IOException e) {
      throw usage(
          "Invalid value for option '--body': cannot read file '"
              + file
              + "' ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** The --signing-secret value, or the content of its @FILE; errors never show the secret. */
  private String readSigningSecret() {
    return signingSecret.startsWith("@")
        ? SecretFiles.read(
            spec.commandLine(),
            "--signing-secret",
            GlobalOptions.of(spec).invocation().resolve(signingSecret.substring(1)))
        : signingSecret;
  }

  /** A cheap guess, not a parse: the server sends the body as-is either way. */
  static boolean looksLikeJson(ByteString bytes) {
    String text = bytes.toString(StandardCharsets.UTF_8).strip();
    return (text.startsWith("{") && text.endsWith("}"))
        || (text.startsWith("[") && text.endsWith("]"));
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
