package io.horae.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Makes the cluster CA and one certificate per node for a cluster the bench starts itself. The
 * bench knows no certificate library; {@code horae bench} passes one backed by {@code horae certs
 * init}'s code.
 */
@FunctionalInterface
public interface CertMaker {
  /** The files made in {@code dir}. */
  record Files(Path ca, Map<String, Path> certs, Map<String, Path> keys) {}

  Files make(Path dir, List<String> nodeIds) throws IOException;
}
