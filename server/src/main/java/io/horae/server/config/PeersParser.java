package io.horae.server.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the Raft group members from {@code peers.<id>.raft}, {@code peers.<id>.api}, {@code
 * peers.<id>.admin} and {@code peers.<id>.internal}, each {@code host:port}. Every peer needs all
 * four, and no address may be used twice in the whole group, so that a local cluster cannot
 * silently share a port.
 */
final class PeersParser {
  static final String PREFIX = "peers.";

  /** A sanity bound: Raft groups have 3 or 5 voters; far more means a generated file went wrong. */
  static final int PEERS_MAX = 64;

  private static final List<String> ROLES = List.of("raft", "api", "admin", "internal");

  private PeersParser() {}

  static boolean isPeerKey(String key) {
    return key.startsWith(PREFIX);
  }

  /** Reads every peer key of {@code props}, adding one line to {@code problems} per fault. */
  static Peers parse(Properties props, List<String> problems) {
    // Sorted maps keep the peer order, and so the problem order, independent of hashing.
    Map<String, Map<String, HostPort>> byId = new TreeMap<>();
    for (String key : new TreeSet<>(props.stringPropertyNames())) {
      if (isPeerKey(key)) {
        readOne(key, props.getProperty(key).strip(), byId, problems);
      }
    }
    if (byId.isEmpty()) {
      problems.add(
          "peers: at least one peer is required, as peers.<id>.raft, peers.<id>.api,"
              + " peers.<id>.admin and peers.<id>.internal");
    } else if (byId.size() > PEERS_MAX) {
      problems.add("peers: " + byId.size() + " peers declared; must be at most " + PEERS_MAX);
    }
    List<PeerConfig> valid = new ArrayList<>();
    byId.forEach(
        (id, addresses) -> {
          for (String role : ROLES) {
            String key = PREFIX + id + "." + role;
            if (props.getProperty(key) == null) {
              problems.add(
                  key
                      + ": required key is missing (every peer needs raft, api, admin and internal)");
            }
          }
          if (addresses.size() == ROLES.size()) {
            valid.add(
                new PeerConfig(
                    id,
                    addresses.get("raft"),
                    addresses.get("api"),
                    addresses.get("admin"),
                    addresses.get("internal")));
          }
        });
    checkDistinctAddresses(valid, problems);
    return new Peers(valid, byId.keySet());
  }

  private static void readOne(
      String key, String value, Map<String, Map<String, HostPort>> byId, List<String> problems) {
    String rest = key.substring(PREFIX.length());
    int dot = rest.lastIndexOf('.');
    String role = dot < 0 ? "" : rest.substring(dot + 1);
    if (dot <= 0 || !ROLES.contains(role)) {
      problems.add(
          key
              + "="
              + value
              + ": unknown key (a peer is peers.<id>.raft, .api, .admin or .internal)");
      return;
    }
    String id = rest.substring(0, dot);
    if (!Keys.NODE_ID.matcher(id).matches()) {
      problems.add(key + "=" + value + ": peer id must match " + Keys.NODE_ID.pattern());
      return;
    }
    Map<String, HostPort> addresses = byId.computeIfAbsent(id, k -> new HashMap<>());
    try {
      HostPort address = HostPort.parse(value);
      if (address.port() == 0) {
        throw new IllegalArgumentException("port must be between 1 and " + HostPort.PORT_MAX);
      }
      addresses.put(role, address);
    } catch (IllegalArgumentException e) {
      problems.add(key + "=" + value + ": " + e.getMessage());
    }
  }

  /**
   * Compares addresses literally: {@code localhost} and {@code 127.0.0.1} count as different, since
   * resolving names here would make validation depend on DNS.
   */
  private static void checkDistinctAddresses(List<PeerConfig> peers, List<String> problems) {
    Map<HostPort, String> firstUser = new HashMap<>();
    for (PeerConfig peer : peers) {
      List<HostPort> addresses = List.of(peer.raft(), peer.api(), peer.admin(), peer.internal());
      for (int i = 0; i < ROLES.size(); i++) {
        String key = PREFIX + peer.id() + "." + ROLES.get(i);
        String earlier = firstUser.putIfAbsent(addresses.get(i), key);
        if (earlier != null) {
          problems.add(key + "=" + addresses.get(i) + ": address already used by " + earlier);
        }
      }
    }
  }
}
