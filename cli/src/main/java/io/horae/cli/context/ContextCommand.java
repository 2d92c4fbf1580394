package io.horae.cli.context;

import picocli.CommandLine.Command;

/** {@code horae context}: the named clusters of the context file, kubectl style. */
@Command(
    name = "context",
    description =
        "List, choose and show the contexts of the context file (endpoints, CA, client certificate).",
    subcommands = {ContextListCommand.class, ContextUseCommand.class, ContextShowCommand.class})
public final class ContextCommand {}
