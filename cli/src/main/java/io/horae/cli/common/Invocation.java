package io.horae.cli.common;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a command run takes from its caller besides the arguments: the environment, the working
 * directory (against which relative paths resolve) and standard input. A run in its own JVM takes
 * the process's; a run in the client daemon ({@code ClientDaemon}) takes its caller's, since the
 * daemon's own are someone else's.
 *
 * @param env the environment variables
 * @param cwd the caller's working directory, absolute; null for this process's own, where a
 *     relative path already resolves
 * @param stdin standard input; in the daemon, one that refuses to be read ({@link
 *     StdinUnavailable})
 */
public record Invocation(Map<String, String> env, Path cwd, InputStream stdin) {
  public Invocation {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(stdin, "stdin");
    if (cwd != null && !cwd.isAbsolute()) {
      throw new IllegalArgumentException("the working directory must be absolute: " + cwd);
    }
  }

  /** This process's environment, working directory and standard input. */
  public static Invocation ofProcess() {
    return new Invocation(System.getenv(), null, System.in);
  }

  /** {@code path} as this run means it: a relative path against the caller's directory. */
  public Path resolve(Path path) {
    return path == null || cwd == null || path.isAbsolute() ? path : cwd.resolve(path);
  }

  /** {@link #resolve(Path)} of a path given as text. */
  public Path resolve(String path) {
    return resolve(Path.of(path));
  }

  /**
   * Thrown by a daemon run's standard input when read: the caller runs the command in a JVM of its
   * own instead. Nothing may have been printed or sent before the read.
   */
  public static final class StdinUnavailable extends RuntimeException {
    /** The exit code of a run that stopped at this, which no other run returns. */
    public static final int EXIT_CODE = 255;

    public StdinUnavailable() {
      super("standard input is not available to the client daemon", null, false, false);
    }
  }
}
