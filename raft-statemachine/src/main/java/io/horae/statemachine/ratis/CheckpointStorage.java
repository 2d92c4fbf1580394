package io.horae.statemachine.ratis;

import io.horae.statemachine.storage.RocksStore;
import io.horae.statemachine.storage.StoreFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots as RocksDB checkpoints: directories {@code snapshot.<term>_<index>} in the Raft
 * state-machine directory. Ratis ships every file of the latest one to a follower that is too far
 * behind, and on install replaces the whole state-machine directory with what it received, which is
 * why the live database lives elsewhere.
 */
public final class CheckpointStorage implements StateMachineStorage {
  private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  /**
   * Older snapshots are kept a while: a leader may still be sending one to a follower that fell far
   * behind, and deleting it mid-transfer restarts the transfer.
   */
  static final int SNAPSHOTS_RETAINED = 3;

  static final String MD5_SUFFIX = ".md5";

  private volatile Path smDir;
  private volatile SnapshotInfo latest;

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
    Files.createDirectories(smDir);
    reload();
  }

  /** Whether {@code dir} is a snapshot's directory (by its name). */
  public static boolean isSnapshotDir(Path dir) {
    return Files.isDirectory(dir) && NAME.matcher(dir.getFileName().toString()).matches();
  }

  /**
   * Checkpoints {@code store} as the snapshot at {@code at}, makes it the latest, and drops the
   * oldest beyond {@link #SNAPSHOTS_RETAINED}. Written to a tmp directory and moved into place, so
   * a failure leaves no snapshot that could be offered half-written.
   */
  void write(RocksStore store, TermIndex at) throws IOException {
    Path dir = dirFor(at);
    Path tmp = tmpDirFor(at);
    StoreFiles.deleteTree(tmp);
    store.checkpoint(tmp);
    Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    reload();
    dropBeyond(SNAPSHOTS_RETAINED);
  }

  /** Re-reads the directory, e.g. after Ratis installed a snapshot into it. */
  void reload() throws IOException {
    latest = find().orElse(null);
  }

  Path dirFor(TermIndex ti) {
    return smDir.resolve("snapshot." + ti.getTerm() + "_" + ti.getIndex());
  }

  Path tmpDirFor(TermIndex ti) {
    return smDir.resolve("tmp.snapshot." + ti.getTerm() + "_" + ti.getIndex());
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return latest;
  }

  Path latestDir() {
    SnapshotInfo s = latest;
    return s == null ? null : dirFor(s.getTermIndex());
  }

  @Override
  public void format() {}

  /**
   * Ratis calls this after each snapshot with its own policy, whose default (-1) keeps one: a
   * leader still sending the previous snapshot to a follower would lose it mid-transfer. This keeps
   * at least {@link #SNAPSHOTS_RETAINED}.
   */
  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    dropBeyond(Math.max(SNAPSHOTS_RETAINED, policy.getNumSnapshotsRetained()));
  }

  /** Deletes every snapshot but the newest {@code keep}. */
  private void dropBeyond(int keep) throws IOException {
    List<Path> dirs = snapshotDirs();
    dirs.sort(Comparator.comparingLong(CheckpointStorage::indexOf).reversed());
    for (Path old : dirs.subList(Math.min(keep, dirs.size()), dirs.size())) {
      StoreFiles.deleteTree(old);
    }
  }

  private java.util.Optional<SnapshotInfo> find() throws IOException {
    Path best = null;
    for (Path d : snapshotDirs()) {
      if (best == null || indexOf(d) > indexOf(best)) {
        best = d;
      }
    }
    if (best == null) {
      return java.util.Optional.empty();
    }
    Matcher m = NAME.matcher(best.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalStateException("unexpected snapshot dir " + best);
    }
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(best)) {
      for (Path f : list.sorted().toList()) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().endsWith(MD5_SUFFIX)) {
          files.add(new FileInfo(f.toAbsolutePath(), null));
        }
      }
    }
    return java.util.Optional.of(
        new FileListSnapshotInfo(files, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
  }

  private List<Path> snapshotDirs() throws IOException {
    if (smDir == null || !Files.isDirectory(smDir)) {
      return new ArrayList<>();
    }
    try (Stream<Path> list = Files.list(smDir)) {
      return new ArrayList<>(list.filter(CheckpointStorage::isSnapshotDir).toList());
    }
  }

  /** The log index a snapshot directory's name gives, or -1 for another name. */
  public static long indexOf(Path dir) {
    Matcher m = NAME.matcher(dir.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  @Override
  public File getSnapshotDir() {
    return null;
  }
}
