package io.horae.server.disk;

import io.horae.internal.v1.DiskSpace;
import io.horae.server.config.StorageConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses client writes while a member's data dir is low on space (docs/storage.md, "Disk full").
 *
 * <p>Every entry of the Raft log lands on every member's disk, so a client write accepted by any
 * node would fill a full member further. A member whose file system has fewer usable bytes than
 * {@code storage.minFreeBytes} says so in its report; the leader lists such members in every ack
 * ({@link #learned}), and every node refuses client writes while it or a listed member is low. The
 * node's own ops (results, shard maps, membership) still pass: they are small, and deliveries and
 * failover wait on them. The room below the threshold is for them, snapshots and compactions, so
 * that neither the Raft log nor RocksDB meets a real ENOSPC (after which Ratis' log worker fails
 * every later write until the process restarts).
 *
 * <p>Thread safety: readings are taken by whichever caller finds the last one too old; fields are
 * volatile and a reading is one immutable message, so a racing second reading is harmless.
 */
public final class DiskGuard {
  private static final Logger LOG = LoggerFactory.getLogger(DiskGuard.class);

  /**
   * With storage.faultHooks: a number of bytes the node reports as usable while this file exists.
   */
  public static final String FAULT_FILE = "fault-usable-bytes";

  /** The file system's usable bytes; a test or the fault hook may stand in for the real one. */
  @FunctionalInterface
  public interface UsableSpace {
    long usableBytes() throws IOException;
  }

  private final String nodeId;
  private final Path dataDir;
  private final long minFreeBytes;
  private final long checkIntervalNanos;
  private final UsableSpace probe;
  private final LongSupplier nanos;
  private final Counter refused;

  /** The last reading of this node's data dir. */
  private volatile DiskSpace local;

  private volatile long localAtNanos;

  /** Members the leader's last ack listed as low (this node included when it is). */
  private volatile List<DiskSpace> members = List.of();

  public DiskGuard(
      String nodeId,
      Path dataDir,
      StorageConfig config,
      UsableSpace probe,
      LongSupplier nanos,
      MeterRegistry registry) {
    this.nodeId = nodeId;
    this.dataDir = dataDir;
    this.minFreeBytes = config.minFreeBytes();
    this.checkIntervalNanos = config.freeSpaceCheckInterval().toNanos();
    this.probe = probe;
    this.nanos = nanos;
    this.refused =
        Counter.builder("horae.storage.writes.refused")
            .description("client writes refused because a member's data dir was low on space")
            .register(registry);
    this.local = read();
    this.localAtNanos = nanos.getAsLong();
    Gauge.builder("horae.storage.usable.bytes", this, g -> g.local().getUsableBytes())
        .description("usable bytes in the data dir's file system")
        .register(registry);
    Gauge.builder("horae.storage.min.free.bytes", () -> minFreeBytes)
        .description("storage.minFreeBytes")
        .register(registry);
    Gauge.builder("horae.storage.members.low", this, g -> g.members.size())
        .description("members whose data dir the leader lists as low")
        .register(registry);
  }

  /**
   * A guard over the data dir's real file system, with the fault hook when the config enables it.
   */
  public static DiskGuard forNode(
      String nodeId, Path dataDir, StorageConfig config, MeterRegistry registry)
      throws IOException {
    Files.createDirectories(dataDir);
    java.nio.file.FileStore store = Files.getFileStore(dataDir);
    UsableSpace real = store::getUsableSpace;
    UsableSpace probe =
        config.faultHooks()
            ? () -> Math.min(real.usableBytes(), faultBytes(dataDir).orElse(Long.MAX_VALUE))
            : real;
    return new DiskGuard(nodeId, dataDir, config, probe, System::nanoTime, registry);
  }

  private static java.util.OptionalLong faultBytes(Path dataDir) throws IOException {
    try {
      String s = Files.readString(dataDir.resolve(FAULT_FILE), StandardCharsets.US_ASCII).strip();
      return s.isEmpty()
          ? java.util.OptionalLong.of(0)
          : java.util.OptionalLong.of(Long.parseLong(s));
    } catch (NoSuchFileException e) {
      return java.util.OptionalLong.empty();
    } catch (NumberFormatException e) {
      throw new IOException(dataDir.resolve(FAULT_FILE) + " must hold a number of bytes", e);
    }
  }

  /**
   * This node's data dir now, read again when the last reading is older than the check interval.
   */
  public DiskSpace local() {
    long now = nanos.getAsLong();
    if (now - localAtNanos >= checkIntervalNanos) {
      DiskSpace before = local;
      DiskSpace after = read();
      local = after;
      localAtNanos = now;
      if (after.getLow() != before.getLow()) {
        if (after.getLow()) {
          LOG.warn(
              "data dir low on space, refusing client writes node={} dataDir={} usableBytes={} minFreeBytes={}",
              nodeId,
              dataDir,
              after.getUsableBytes(),
              minFreeBytes);
        } else {
          LOG.info(
              "data dir has room again node={} dataDir={} usableBytes={} minFreeBytes={}",
              nodeId,
              dataDir,
              after.getUsableBytes(),
              minFreeBytes);
        }
      }
    }
    return local;
  }

  private DiskSpace read() {
    long usable;
    try {
      usable = probe.usableBytes();
    } catch (IOException | RuntimeException e) {
      // A file system that cannot say how much room it has is not trusted with writes.
      LOG.warn("cannot read the free space of the data dir node={} dataDir={}", nodeId, dataDir, e);
      usable = 0;
    }
    return DiskSpace.newBuilder()
        .setNodeId(nodeId)
        .setDataDir(dataDir.toString())
        .setUsableBytes(usable)
        .setMinFreeBytes(minFreeBytes)
        .setLow(usable < minFreeBytes)
        .build();
  }

  /** The members the leader's latest ack lists as low on space. */
  public void learned(List<DiskSpace> lowMembers) {
    List<DiskSpace> before = members;
    members = List.copyOf(lowMembers);
    if (before.isEmpty() != lowMembers.isEmpty()) {
      LOG.info(
          "members low on space node={} low={}",
          nodeId,
          lowMembers.stream().map(DiskSpace::getNodeId).toList());
    }
  }

  /**
   * Throws {@link DiskFullException} naming this node, else the first listed member, when one is
   * low.
   */
  public void checkWritable() {
    DiskSpace self = local();
    if (self.getLow()) {
      refused.increment();
      throw new DiskFullException(self, nodeId);
    }
    for (DiskSpace m : members) {
      if (!m.getNodeId().equals(nodeId)) {
        refused.increment();
        throw new DiskFullException(m, nodeId);
      }
    }
  }
}
