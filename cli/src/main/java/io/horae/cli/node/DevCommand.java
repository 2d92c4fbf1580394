package io.horae.cli.node;

import io.horae.cli.common.Context;
import io.horae.cli.common.ContextFile;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.dev.DevCluster;
import io.horae.cli.dev.DevReceiver;
import io.horae.server.tls.ClusterCerts;
import io.horae.statemachine.storage.StoreFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code horae dev}: a local cluster for trying Horae, like {@code temporal server start-dev}. N
 * nodes in this process on the ports of DESIGN §12, and a webhook receiver that prints every
 * delivery. Data lives in a temporary directory removed at exit, unless {@code --data} is given.
 */
@Command(
    name = "dev",
    description =
        "Start a local cluster (default 3 nodes) and a webhook receiver that prints each delivery.")
public final class DevCommand implements Callable<Integer> {
  static final int NODES_MAX = 5;
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** The context {@code horae dev} writes and makes current. */
  static final String CONTEXT = "dev";

  @Spec CommandSpec spec;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "Nodes to start, 1..5 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Keep data here across runs (default: a temporary directory, deleted at exit).")
  Path data;

  @Option(
      names = "--receiver-port",
      defaultValue = "7300",
      description =
          "Port of the printing webhook receiver on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int receiverPort;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || nodes > NODES_MAX) {
      throw new ParameterException(
          spec.commandLine(), "--nodes must be between 1 and " + NODES_MAX + ", got " + nodes);
    }
    PrintWriter err = spec.commandLine().getErr();
    Path dir = data != null ? data : Files.createTempDirectory("horae-dev-");
    DevReceiver receiver;
    try {
      receiver = new DevReceiver(DevCluster.HOST, receiverPort, System.out);
    } catch (BindException e) {
      err.println(
          "horae: port "
              + receiverPort
              + " is in use (another 'horae dev'?); choose one with --receiver-port");
      return 1;
    }
    DevCluster cluster;
    try {
      cluster = DevCluster.start(nodes, dir);
    } catch (IOException e) {
      receiver.close();
      err.println(
          "horae: cannot start the dev cluster: "
              + rootMessage(e)
              + " (ports 7070-7072, 7170-7172, 7270-7272, 7370-7372 must be free)");
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("horae-dev-shutdown")
                .unstarted(
                    () -> {
                      cluster.close();
                      receiver.close();
                      if (data == null) {
                        deleteQuietly(dir);
                      }
                      stopped.countDown();
                    }));
    String context = writeContext(cluster, err);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!cluster.ready() && System.nanoTime() < deadline) {
      stopped.await(100, TimeUnit.MILLISECONDS);
    }
    banner(cluster, dir, context);
    stopped.await();
    return 0;
  }

  /**
   * Makes context {@value #CONTEXT} of the context file name this cluster, its CA and admin
   * certificate, and the current one, so that every other command reaches it with no flags. Returns
   * a line for the banner; a file that cannot be written is reported, not fatal.
   */
  private String writeContext(DevCluster cluster, PrintWriter err) {
    GlobalOptions root = GlobalOptions.of(spec);
    try {
      ClusterCerts certs = cluster.certs();
      Context dev =
          new Context(
              CONTEXT,
              cluster.endpoints(),
              certs.caCert(),
              certs.cert(ClusterCerts.ADMIN),
              certs.key(ClusterCerts.ADMIN),
              null);
      ContextFile file = root.contextFile().with(dev).use(CONTEXT);
      file.save();
      return "context '" + CONTEXT + "' (current) in " + file.path();
    } catch (IOException | RuntimeException e) {
      err.println(
          "horae: could not write the CLI context: "
              + e.getMessage()
              + "; pass --endpoints, --ca and --cert/--key yourself");
      return "not written (see above)";
    }
  }

  private void banner(DevCluster cluster, Path dir, String context) {
    System.out.printf(
        "%nHorae dev cluster: %d node(s) %s%n"
            + "  API (gRPC)   %s  (TLS; certificates in %s)%n"
            + "  CLI          %s%n"
            + "  metrics      https://127.0.0.1:%d/metrics   (one per node: 7270, 7271, ...; curl --cacert %s)%n"
            + "  console      https://127.0.0.1:%d/console/  (sign in with the token in %s; the browser does not know the dev CA)%n"
            + "  receiver     http://127.0.0.1:%d/hooks/<anything>  (prints each delivery here)%n"
            + "  data         %s%s%n"
            + "Try:  ./bin/horae job create hello --url http://127.0.0.1:%d/hooks/hello --in 5s%n"
            + "Stop with Ctrl-C.%n%n",
        cluster.nodes().size(),
        cluster.ready() ? "ready" : "starting (not ready yet)",
        cluster.endpoints(),
        cluster.certs().dir(),
        context,
        DevCluster.ADMIN_PORT_BASE,
        cluster.certs().caCert(),
        DevCluster.ADMIN_PORT_BASE,
        cluster.certs().adminToken(),
        receiverPort,
        dir,
        data == null ? " (deleted at exit)" : "",
        receiverPort);
    System.out.flush();
  }

  private static String rootMessage(Throwable t) {
    Throwable e = t;
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static void deleteQuietly(Path dir) {
    try {
      StoreFiles.deleteTree(dir);
    } catch (IOException e) {
      System.err.println("horae: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
