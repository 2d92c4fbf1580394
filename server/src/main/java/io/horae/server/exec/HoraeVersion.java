package io.horae.server.exec;

/**
 * The version sent in User-Agent: the jar's Implementation-Version, or "dev" when run from classes.
 */
public final class HoraeVersion {
  private static final String VERSION = resolve();

  private HoraeVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String resolve() {
    String v = HoraeVersion.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }
}
