package io.horae.server.cluster;

/**
 * Closes what a test class shared (a cluster, a receiver, a collector), skipping what never
 * started.
 */
public final class Closer {
  private Closer() {}

  /** Closes each non-null item in order; the first failure is rethrown after all were tried. */
  public static void closeAll(AutoCloseable... items) {
    RuntimeException failed = null;
    for (AutoCloseable item : items) {
      if (item == null) {
        continue;
      }
      try {
        item.close();
      } catch (Exception e) {
        if (failed == null) {
          failed = new IllegalStateException("closing " + item, e);
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
