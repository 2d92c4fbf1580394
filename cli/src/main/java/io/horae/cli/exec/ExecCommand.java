package io.horae.cli.exec;

import picocli.CommandLine.Command;

/** {@code horae exec}: the group of execution subcommands; it does nothing by itself. */
@Command(
    name = "exec",
    description = "List, show, cancel and watch executions of jobs.",
    subcommands = {
      ExecListCommand.class,
      ExecGetCommand.class,
      ExecCancelCommand.class,
      ExecWatchCommand.class
    })
public final class ExecCommand {}
