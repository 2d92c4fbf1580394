package io.horae.cli.apply;

import io.horae.api.v1.Job;
import io.horae.cli.common.GlobalOptions;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code horae apply -f jobs.yaml [--dry-run] [--prune]}: makes the namespaces of the file's jobs
 * hold exactly the file's jobs (docs/jobs-as-code.md). The file is read and checked whole before
 * any call; the plan is printed, then carried out.
 */
@Command(
    name = "apply",
    description = {
      "Make jobs match a YAML file (docs/jobs-as-code.md): create the missing, update the changed"
          + " (only the changed fields, only if the job was not changed meanwhile) and, with --prune,"
          + " delete the jobs of the file's namespaces that the file does not name.",
      "Jobs without a namespace take --namespace."
    })
public final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE",
      description =
          "YAML file of jobs: documents separated by ---, each a job or a list of jobs; - reads standard input.")
  Path file;

  @Option(names = "--dry-run", description = "Print what would change and change nothing.")
  boolean dryRun;

  @Option(
      names = "--prune",
      description = "Also delete the jobs of the file's namespaces that the file does not name.")
  boolean prune;

  @Option(
      names = "--send-secrets",
      description =
          "Also send the secret values the file gives (secret header values, signingSecret) to jobs that exist:"
              + " reads never return them, so apply cannot tell whether they changed.")
  boolean sendSecrets;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    List<JobFile.Entry> entries = JobFile.read(file, root.invocation().stdin(), root.namespace());
    Set<String> namespaces = new LinkedHashSet<>();
    entries.forEach(e -> namespaces.add(e.job().getNamespace()));
    try (HoraeClient client = root.newClient()) {
      Map<String, List<Job>> stored = Applier.read(client, namespaces);
      Plan plan = Planner.plan(entries, stored, prune, sendSecrets);
      PlanPrinter.print(plan, out);
      if (plan.isEmpty()) {
        out.println("no changes: " + plan.unchanged() + " jobs unchanged");
      } else if (dryRun) {
        out.println(
            "dry run, nothing was changed: "
                + PlanPrinter.counts(plan, "to create", "to update", "to delete"));
      } else {
        out.println(new Applier(client).carryOut(plan) + ", " + plan.unchanged() + " unchanged");
      }
    }
    return 0;
  }
}
