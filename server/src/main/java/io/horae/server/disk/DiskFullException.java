package io.horae.server.disk;

import io.horae.internal.v1.DiskSpace;

/**
 * A client write refused because a member's data dir is low on space. Nothing was proposed; the
 * caller may retry once space returns.
 */
public final class DiskFullException extends RuntimeException {
  private final transient DiskSpace disk;

  public DiskFullException(DiskSpace disk, String self) {
    super(message(disk, self));
    this.disk = disk;
  }

  /** The member whose data dir is low, as it last reported. */
  public DiskSpace disk() {
    return disk;
  }

  private static String message(DiskSpace d, String self) {
    String who =
        d.getNodeId().equals(self)
            ? "this node " + self
            : "member " + d.getNodeId() + " (asked node " + self + ")";
    return "disk full: the data dir "
        + d.getDataDir()
        + " of "
        + who
        + " has "
        + d.getUsableBytes()
        + " usable bytes, below storage.minFreeBytes="
        + d.getMinFreeBytes()
        + "; client writes are refused until space returns (reads still work)";
  }
}
