package io.horae.cli.node;

import io.horae.server.HoraeServer;
import io.horae.server.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code horae server --config FILE}: runs one node until the process is stopped. */
@Command(
    name = "server",
    description = "Run one Horae node from a config file until stopped (SIGTERM/Ctrl-C).")
public final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Node config (properties); see config/node1.properties.")
  Path config;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(config)) {
      throw new ParameterException(spec.commandLine(), "--config: cannot read " + config);
    }
    try {
      HoraeServer.runUntilShutdown(HoraeServer.load(config));
      return 0;
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("horae: bad config " + config + ":");
      spec.commandLine().getErr().println(e.getMessage());
      return 2;
    }
  }
}
