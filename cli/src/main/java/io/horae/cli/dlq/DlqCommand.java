package io.horae.cli.dlq;

import picocli.CommandLine.Command;

/** {@code horae dlq}: the group of dead-letter subcommands; it does nothing by itself. */
@Command(
    name = "dlq",
    description = "List, show, replay and purge dead letters (executions that ended DEAD).",
    subcommands = {
      DlqListCommand.class,
      DlqGetCommand.class,
      DlqReplayCommand.class,
      DlqPurgeCommand.class
    })
public final class DlqCommand {}
