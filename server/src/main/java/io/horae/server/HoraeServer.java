package io.horae.server;

import io.horae.server.config.ConfigException;
import io.horae.server.config.ConfigLoader;
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

  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  /** Least common-pool threads of a node (see {@link #widenCommonPool}). */
  static final int COMMON_POOL_THREADS_MIN = 4;

  private HoraeServer() {}

  /** Loads and validates the config, or throws ConfigException naming every bad key. */
  public static HoraeConfig load(Path configFile) throws ConfigException {
    return ConfigLoader.load(configFile);
  }

  /** Starts the node and blocks until JVM shutdown; the shutdown hook closes the node. */
  public static void runUntilShutdown(HoraeConfig config) throws IOException, InterruptedException {
    logCommonPool();
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

  /**
   * Gives the JVM's common pool spare threads, unless {@value #COMMON_POOL_PARALLELISM} is set.
   * Ratis 3.3 passes every follower log append through that pool, which has one thread on two
   * cores: a single task blocking it anywhere in the process stops this node from acknowledging
   * appends. Horae's own code runs nothing there (docs/architecture.md, "Threads").
   *
   * <p>The pool takes its size when it is first used, and loading the config already does (a {@code
   * BigInteger} parse): call this first thing in a process's {@code main}. {@link
   * #runUntilShutdown} logs the size the node got.
   */
  public static void widenCommonPool() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(
          COMMON_POOL_PARALLELISM,
          Integer.toString(
              Math.max(COMMON_POOL_THREADS_MIN, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  private static void logCommonPool() {
    int parallelism = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism();
    if (parallelism < 2) {
      LOG.warn(
          "the JVM's common pool has {} thread: one blocked task there stalls this node's Raft appends; set -D{}=4",
          parallelism,
          COMMON_POOL_PARALLELISM);
    } else {
      LOG.info("common pool parallelism={}", parallelism);
    }
  }

  public static void main(String[] args) throws Exception {
    widenCommonPool();
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
