package io.horae.chaos;

import static org.awaitility.Awaitility.await;

import io.horae.api.v1.ClusterStatus;
import io.horae.chaos.net.ChaosNet;
import io.horae.client.AlreadyExistsException;
import io.horae.client.HoraeClient;
import io.horae.client.NotFoundException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The nemesis' hands on a {@link ProcessCluster}. Removal and rejoin follow the operator procedure
 * of docs/failover.md: a node that lost its disk must not come back as the same voter (it would
 * have forgotten votes and acknowledged entries, which Raft's safety relies on), so it is removed
 * first, wiped, started in join mode and added again.
 */
final class ChaosTarget implements Nemesis.Target {
  /** How long a remove (drain and configuration change) or an add (catch-up) may take in all. */
  static final Duration MEMBERSHIP_MAX = Duration.ofSeconds(90);

  private static final Duration MEMBERSHIP_CALL = Duration.ofSeconds(30);
  private final ProcessCluster cluster;
  private final HoraeClient client;

  /** Removed and not yet added back. */
  private final Set<String> outOfGroup = new HashSet<>();

  ChaosTarget(ProcessCluster cluster, HoraeClient client) {
    this.cluster = cluster;
    this.client = client;
  }

  @Override
  public List<String> ids() {
    return cluster.ids();
  }

  @Override
  public ClusterStatus status() {
    return client.clusterStatus();
  }

  @Override
  public void kill(String id) throws Exception {
    cluster.kill(id);
  }

  @Override
  public void start(String id) throws Exception {
    cluster.startNode(id);
  }

  @Override
  public void pause(String id) throws Exception {
    cluster.pause(id);
  }

  @Override
  public void resume(String id) throws Exception {
    cluster.resume(id);
  }

  @Override
  public void wipe(String id) throws Exception {
    cluster.wipe(id);
  }

  @Override
  public void diskFull(String id) throws Exception {
    cluster.diskFull(id);
  }

  @Override
  public void diskFree(String id) throws Exception {
    cluster.diskFree(id);
  }

  @Override
  public void diskSlow(String id, long delayMs) throws Exception {
    cluster.diskSlow(id, delayMs);
  }

  @Override
  public void diskFast(String id) throws Exception {
    cluster.diskFast(id);
  }

  @Override
  public ChaosNet net() {
    return cluster.net();
  }

  /**
   * remove-node, asked of another node and repeated until the node is no member (a repeat continues
   * the removal).
   */
  @Override
  public void removeNode(String id) {
    outOfGroup.add(id);
    try (HoraeClient other = memberClient(id)) {
      await()
          .atMost(MEMBERSHIP_MAX)
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(() -> removed(other, id));
    }
  }

  /** Starts the node in join mode and adds it, repeating until it is a member. */
  @Override
  public void rejoin(String id) throws Exception {
    cluster.startJoining(id);
    if (!cluster.isRunning(id)) {
      cluster.startNode(id);
    }
    await()
        .atMost(MEMBERSHIP_MAX)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !cluster.metrics(id).isEmpty());
    try (HoraeClient other = memberClient(id)) {
      await()
          .atMost(MEMBERSHIP_MAX)
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(() -> added(other, id));
    }
    outOfGroup.remove(id);
  }

  /** Nodes removed by a nemesis step that did not finish; heal-all adds them back. */
  Set<String> outOfGroup() {
    return Set.copyOf(outOfGroup);
  }

  private static boolean removed(HoraeClient other, String id) {
    try {
      other.removeNode(id);
    } catch (NotFoundException e) {
      // Already removed by an earlier try whose answer was lost.
    }
    return true;
  }

  private boolean added(HoraeClient other, String id) {
    try {
      other.addNode(
          id,
          cluster.raftAddress(id),
          cluster.apiAddress(id),
          cluster.adminAddress(id),
          cluster.internalAddress(id));
    } catch (AlreadyExistsException e) {
      // Added by an earlier try whose answer was lost.
    }
    return true;
  }

  /** A client of the members other than {@code id}, with a deadline long enough for a drain. */
  private HoraeClient memberClient(String id) {
    List<String> others =
        cluster.ids().stream().filter(n -> !n.equals(id)).map(cluster::apiAddress).toList();
    // TLS and the admin's certificate as every client of the cluster (the long chaos profile's
    // remove and rejoin steps timed out on a handshake with the JDK's roots after TLS became the
    // default).
    return cluster
        .clientBuilder()
        .endpoints(String.join(",", others))
        .deadline(MEMBERSHIP_CALL)
        .build();
  }
}
