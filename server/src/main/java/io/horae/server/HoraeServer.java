package io.horae.server;

import io.horae.server.config.ConfigLoader;
import io.horae.server.config.ConfigException;
import io.horae.server.config.HoraeConfig;
import io.horae.server.node.HoraeNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one node from a config file until the process is asked to stop. */
public final class HoraeServer {
  private static final Logger LOG = LoggerFactory.getLogger(HoraeServer.class);

  /** Exit status when the node's Raft server closed under it (EX_SOFTWARE). */
  public static final int EXIT_RAFT_LOST = 70;

  private HoraeServer() {}

  /** Loads and validates the config, or throws ConfigException naming every bad key. */
  public static HoraeConfig load(Path configFile) throws ConfigException {
    return ConfigLoader.load(configFile);
  }

  /** Starts the node and blocks until JVM shutdown; the shutdown hook closes the node. */
  public static void runUntilShutdown(HoraeConfig config) throws IOException, InterruptedException {
    LOG.info("effective config:\n{}", config.describe());
    HoraeNode node = HoraeNode.start(config, Clock.systemUTC());
    // A node whose Raft server died must not go on answering from a frozen replica: exit, and
    // let the supervisor restart it (it replays its log and catches up).
    node.raftLost()
        .thenRun(
            () -> {
              LOG.error("exiting with status {}: this node's Raft server closed", EXIT_RAFT_LOST);
              Thread.ofPlatform().name("horae-raft-lost").start(() -> System.exit(EXIT_RAFT_LOST));
            });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("horae-shutdown")
                .unstarted(
                    () -> {
                      node.close();
                      stopped.countDown();
                    }));
    stopped.await();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--config")) {
      System.err.println("usage: horae server --config FILE");
      System.exit(2);
    }
    try {
      runUntilShutdown(load(Path.of(args[1])));
    } catch (ConfigException e) {
      System.err.println("horae: bad config " + args[1] + ":\n" + e.getMessage());
      System.exit(2);
    }
  }
}
