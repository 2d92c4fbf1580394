package io.horae.cli;

import io.grpc.ManagedChannel;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.cli.Cli.Result;
import io.horae.server.cluster.MiniCluster;
import io.horae.statemachine.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process cluster (MiniCluster: Ratis, RocksDB, the gRPC API on loopback ports) for a
 * test class, started before its first test and closed after its last. Register it as a static
 * {@code @RegisterExtension} field.
 */
public final class ClusterFixture implements BeforeAllCallback, AfterAllCallback {
  private final int size;
  private final Map<String, String> overrides;
  private Path dir;
  private MiniCluster cluster;
  private ManagedChannel channel;

  public ClusterFixture(int size, Map<String, String> overrides) {
    this.size = size;
    this.overrides = overrides;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("horae-cli-test");
    cluster = MiniCluster.start(dir, size, overrides);
    channel = cluster.channel("n1");
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (dir != null) {
      StoreFiles.deleteTree(dir);
    }
  }

  public MiniCluster cluster() {
    return cluster;
  }

  /** Runs {@code horae} with {@code --endpoints} naming every node of the cluster. */
  public Result horae(String... args) {
    return Cli.horaeAt(cluster, cluster.endpoints(), args);
  }

  /** The job as node n1 stores it, read through the real API (URL not redacted). */
  public Job storedJob(String namespace, String name) {
    return JobServiceGrpc.newBlockingStub(channel)
        .getJob(GetJobRequest.newBuilder().setNamespace(namespace).setName(name).build());
  }
}
