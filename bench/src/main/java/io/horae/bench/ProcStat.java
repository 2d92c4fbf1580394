package io.horae.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time of a process from {@code /proc/<pid>/stat} (Linux). */
final class ProcStat {
  /**
   * Clock ticks per second of the utime and stime fields (USER_HZ). The kernel reports them in
   * USER_HZ, which is 100 on every architecture the JDK runs on (x86, arm64, ppc64le, s390x).
   */
  static final long TICKS_PER_S = 100;

  private ProcStat() {}

  /** User plus system CPU time of the whole process (every thread) in ns; NaN when unknown. */
  static double cpuNs(long pid) {
    try {
      return parseCpuNs(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      // Not Linux, or the process is gone: no figure rather than a wrong one.
      return Double.NaN;
    }
  }

  /**
   * User plus system CPU time in ns of the process's JIT compiler threads (HotSpot's "C1
   * CompilerThreadN" and "C2 CompilerThreadN"); NaN when unknown. A compiler thread the JVM stopped
   * (it adds and removes threads beyond the first of each kind as the queue grows and shrinks) no
   * longer counts, so this is a lower bound where the JVM has more than two.
   */
  static double compilerCpuNs(long pid) {
    return compilerCpuNs(Path.of("/proc", Long.toString(pid), "task"));
  }

  /** {@link #compilerCpuNs(long)} over a task directory: one subdirectory per thread. */
  static double compilerCpuNs(Path taskDir) {
    double sum = 0;
    try (Stream<Path> tasks = Files.list(taskDir)) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended between the listing and the read
        }
        if (isCompilerThread(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) {
          sum += parseCpuNs(stat);
        }
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** A thread name as the kernel keeps it (15 characters) that is a HotSpot JIT compiler's. */
  static boolean isCompilerThread(String comm) {
    return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
  }

  /**
   * Fields 14 (utime) and 15 (stime) of a stat line. The command name (field 2) is in parentheses
   * and may hold spaces or parentheses itself, so fields are counted after the last ')'.
   */
  static double parseCpuNs(String stat) {
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // after[0] is field 3 (state), so field n is after[n - 3].
    long ticks = Long.parseLong(after[11]) + Long.parseLong(after[12]);
    return ticks * (1e9 / TICKS_PER_S);
  }
}
