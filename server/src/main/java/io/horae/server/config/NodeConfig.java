package io.horae.server.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Who this node is and where it keeps its data.
 *
 * @param id this node's id; one of the configured peers
 * @param dataDir root of this node's Raft log and RocksDB replica, as given (relative paths resolve
 *     against the working directory)
 */
public record NodeConfig(String id, Path dataDir) {
  public NodeConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dataDir, "dataDir");
  }
}
