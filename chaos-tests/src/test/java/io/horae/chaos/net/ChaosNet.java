package io.horae.chaos.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network between the nodes of a test cluster, on loopback only: every node reaches every other
 * node's Raft and internal ports through its own {@link LinkProxy} (one per ordered pair and port),
 * named in that node's config as the peer's address. Cutting the links between groups of nodes
 * makes a partition of both Raft and internal traffic; clients and webhook targets are not behind
 * proxies, so they reach every node throughout.
 *
 * <p>This works because a node keeps the peer addresses of its own config: Ratis keys its peer
 * connections by id and keeps the first address it was given, and Horae's member directory prefers
 * a founding member's configured address.
 */
public final class ChaosNet implements AutoCloseable {
  /** A port a node listens on and peers connect to. */
  public enum Role {
    RAFT,
    INTERNAL
  }

  private record Link(String from, String to, Role role) {}

  private final Map<Link, LinkProxy> links = new LinkedHashMap<>();
  private final List<String> nodes;

  /** Tries at binding a proxy to a port outside {@code reserved} before giving up. */
  static final int PROXY_BIND_TRIES = 50;

  /**
   * @param listen each node's real ports by role
   * @param reserved every port the nodes will bind (admin included): a proxy must not take one, or
   *     the node that owns it cannot start (the long chaos run lost three 5-node runs so)
   */
  public ChaosNet(Map<String, Map<Role, Integer>> listen, Set<Integer> reserved)
      throws IOException {
    this.nodes = List.copyOf(listen.keySet());
    try {
      for (String from : nodes) {
        for (String to : nodes) {
          if (from.equals(to)) {
            continue;
          }
          for (Role role : Role.values()) {
            InetSocketAddress target =
                new InetSocketAddress(InetAddress.getLoopbackAddress(), listen.get(to).get(role));
            links.put(
                new Link(from, to, role),
                proxyAvoiding(from + ">" + to + "-" + role, target, reserved));
          }
        }
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private static LinkProxy proxyAvoiding(
      String name, InetSocketAddress target, Set<Integer> reserved) throws IOException {
    for (int i = 0; i < PROXY_BIND_TRIES; i++) {
      LinkProxy proxy = new LinkProxy(name, target);
      if (!reserved.contains(proxy.port())) {
        return proxy;
      }
      proxy.close();
    }
    throw new IOException(
        "no loopback port for proxy "
            + name
            + " outside the nodes' ports after "
            + PROXY_BIND_TRIES
            + " tries");
  }

  /** The port node {@code from} uses to reach {@code to}'s {@code role} port. */
  public int port(String from, String to, Role role) {
    return links.get(new Link(from, to, role)).port();
  }

  /**
   * Cuts every link between nodes of different groups (both ways) and heals the links within a
   * group. A node in no group is cut off from everyone.
   */
  public void partition(Collection<? extends Collection<String>> groups) {
    Map<String, Integer> groupOf = new LinkedHashMap<>();
    int g = 0;
    for (Collection<String> group : groups) {
      for (String n : group) {
        groupOf.put(n, g);
      }
      g++;
    }
    links.forEach(
        (link, proxy) -> {
          Integer a = groupOf.get(link.from());
          Integer b = groupOf.get(link.to());
          if (a != null && a.equals(b)) {
            proxy.heal();
          } else {
            proxy.cut();
          }
        });
  }

  /**
   * A bridge: {@code bridge} talks to both sides, which cannot talk to each other (a majority
   * exists only through the bridge node).
   */
  public void bridge(Collection<String> left, String bridge, Collection<String> right) {
    Set<String> l = new HashSet<>(left);
    Set<String> r = new HashSet<>(right);
    links.forEach(
        (link, proxy) -> {
          boolean across =
              (l.contains(link.from()) && r.contains(link.to()))
                  || (r.contains(link.from()) && l.contains(link.to()));
          if (across) {
            proxy.cut();
          } else {
            proxy.heal();
          }
        });
  }

  /** Cuts one node off from all others. */
  public void isolate(String node) {
    List<String> rest = new ArrayList<>(nodes);
    rest.remove(node);
    partition(List.of(rest));
  }

  /** Every link open again. */
  public void heal() {
    links.values().forEach(LinkProxy::heal);
  }

  /** Whether node {@code from} can currently send to {@code to} (on the Raft port). */
  public boolean connected(String from, String to) {
    return from.equals(to) || !links.get(new Link(from, to, Role.RAFT)).isCut();
  }

  @Override
  public void close() {
    links.values().forEach(LinkProxy::close);
  }
}
