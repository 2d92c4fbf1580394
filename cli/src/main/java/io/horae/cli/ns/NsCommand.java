package io.horae.cli.ns;

import picocli.CommandLine.Command;

/** {@code horae ns}: the group of namespace subcommands; it does nothing by itself. */
@Command(
    name = "ns",
    description = "Show namespaces: what each holds against its quotas.",
    subcommands = {NsListCommand.class})
public final class NsCommand {}
