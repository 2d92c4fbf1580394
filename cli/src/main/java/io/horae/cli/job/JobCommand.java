package io.horae.cli.job;

import picocli.CommandLine.Command;

/** {@code horae job}: the group of job subcommands; it does nothing by itself. */
@Command(
    name = "job",
    description = "Create, show, list, pause, resume and delete jobs.",
    subcommands = {
      JobCreateCommand.class,
      JobGetCommand.class,
      JobNextCommand.class,
      JobListCommand.class,
      JobDeleteCommand.class,
      JobPauseCommand.class,
      JobResumeCommand.class,
      JobUpdateCommand.class,
      JobTriggerCommand.class
    })
public final class JobCommand {}
