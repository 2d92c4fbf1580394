package io.horae.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call to the client daemon, as {@code bin/lib/daemon.sh} writes it in {@code req}:
 * NUL-terminated fields, the protocol, the caller's pid, its working directory, its JDK, the
 * argument count, the arguments, then its environment as {@code K=V} (see {@link ClientDaemon}).
 */
record DaemonRequest(
    long pid, Path cwd, Path javaHome, List<String> args, Map<String, String> env) {
  static final String PROTOCOL = "horae-call-1";

  /** A request holds arguments and an environment: a megabyte is far more than either needs. */
  static final int BYTES_MAX = 1 << 20;

  /**
   * Parses the fields of a request file.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static DaemonRequest parse(byte[] bytes) {
    List<String> fields = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        fields.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (fields.size() < 5 || !PROTOCOL.equals(fields.get(0))) {
      throw new IllegalArgumentException("not a " + PROTOCOL + " request");
    }
    long pid = Long.parseLong(fields.get(1));
    Path cwd = Path.of(fields.get(2));
    if (!cwd.isAbsolute()) {
      throw new IllegalArgumentException("the working directory is not absolute");
    }
    int argc = Integer.parseInt(fields.get(4));
    if (argc < 0 || 5 + argc > fields.size()) {
      throw new IllegalArgumentException("the argument count does not match");
    }
    List<String> args = List.copyOf(fields.subList(5, 5 + argc));
    Map<String, String> env = new HashMap<>();
    for (String entry : fields.subList(5 + argc, fields.size())) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return new DaemonRequest(pid, cwd, Path.of(fields.get(3)), args, Map.copyOf(env));
  }
}
