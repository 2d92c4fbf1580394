package io.horae.server.config;

/**
 * Sharding of executions over nodes (DESIGN §6).
 *
 * @param count number of shards; fixed when the cluster is created, since it decides which shard
 *     every stored execution belongs to
 */
public record ShardConfig(int count) {
  public static final int COUNT_DEFAULT = 64;
}
