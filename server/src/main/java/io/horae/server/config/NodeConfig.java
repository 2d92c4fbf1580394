package io.horae.server.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Who this node is and where it keeps its data.
 *
 * @param id this node's id; one of the configured peers
 * @param dataDir root of this node's Raft log and RocksDB replica, as given (relative paths resolve
 *     against the working directory)
 * @param applyVersion the apply version this node reports (OpVersions.CURRENT; an older one only to
 *     rehearse a rolling upgrade: the cluster then proposes no op kind newer than it)
 */
public record NodeConfig(String id, Path dataDir, int applyVersion) {
  public static final int APPLY_VERSION_DEFAULT = io.horae.statemachine.core.OpVersions.CURRENT;

  public NodeConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dataDir, "dataDir");
  }

  public NodeConfig(String id, Path dataDir) {
    this(id, dataDir, APPLY_VERSION_DEFAULT);
  }
}
