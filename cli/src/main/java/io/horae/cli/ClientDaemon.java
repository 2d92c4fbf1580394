package io.horae.cli;

import io.horae.cli.common.Durations;
import io.horae.cli.common.Invocation;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The client daemon: a warm JVM that runs client commands ({@code horae job ls}, ...) for {@code
 * bin/horae}, so that a call costs a few tens of milliseconds instead of a JVM start (about a
 * second on 2 cores, most of it the TLS handshake's math before the JIT has compiled it). {@code
 * bin/lib/daemon.sh} is the other side; docs/cli-daemon.md describes both.
 *
 * <p>Everything goes through files in the daemon's directory, which is private to its user (mode
 * 0700), so that the file system is the access control: no port, no token.
 *
 * <ul>
 *   <li>{@code requests}: a FIFO; a caller writes one line, the name of its call directory.
 *   <li>{@code call.XXXXXXXX/req}: NUL-terminated fields: the protocol, the caller's pid, its
 *       working directory, its JDK, the argument count, the arguments, then its environment as
 *       {@code K=V}.
 *   <li>{@code call.XXXXXXXX/ack}: a FIFO the caller holds open; the daemon answers {@code ok},
 *       {@code busy} or {@code stale} at once, and after an {@code ok} {@code rc N} when the
 *       command ended or {@code direct} when the command must run in a JVM of its own (it reads
 *       stdin).
 *   <li>{@code call.XXXXXXXX/out} and {@code err}: FIFOs that the caller copies to its stdout and
 *       stderr after an {@code ok}.
 * </ul>
 *
 * The daemon takes a call by renaming {@code req} to {@code taken}; a caller that stopped waiting
 * renames {@code req} away first, so a call runs once or not at all. A caller that dies ends its
 * command (the watchdog). The daemon exits when idle for {@code --idle}, and answers {@code stale}
 * and exits once its jars or JDK are not the caller's.
 */
public final class ClientDaemon {
  /** How often the watchdog looks for callers that died and the idle timer for idleness. */
  static final Duration WATCH_EVERY = Duration.ofMillis(200);

  /** Call directories older than this with no call running are leftovers of a crash. */
  static final Duration LEFTOVER_AGE = Duration.ofMinutes(1);

  private final Path dir;
  private final Duration idle;
  private final int warmUps;
  private final Path javaHome;
  private final List<Path> jars;
  private final long jarsStamp;
  private final ThreadPoolExecutor calls;
  private final ScheduledExecutorService timer;
  private final Map<Call, Boolean> running = new ConcurrentHashMap<>();
  private final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());
  private volatile boolean stale;
  private volatile FileChannel requests;
  private volatile boolean stopped;

  /**
   * @param dir the daemon's directory, private to its user
   * @param idle how long without a call until the daemon exits; zero for never
   * @param callsMax calls run at once; a caller finding all taken runs its command itself
   * @param warmUps training runs before the daemon announces itself
   * @param jars the jars (or directories of jars) it runs from, whose change makes it stale
   */
  ClientDaemon(Path dir, Duration idle, int callsMax, int warmUps, List<Path> jars)
      throws IOException {
    this.dir = dir;
    this.idle = idle;
    this.warmUps = warmUps;
    this.javaHome = Path.of(System.getProperty("java.home")).toRealPath();
    this.jars = jars;
    this.jarsStamp = DaemonFiles.newestModified(jars);
    this.calls =
        new ThreadPoolExecutor(
            callsMax,
            callsMax,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "horae-daemon-call");
              t.setDaemon(true);
              return t;
            });
    calls.allowCoreThreadTimeOut(true);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "horae-daemon-watch");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * {@code ClientDaemon DIR [--idle DURATION] [--calls N]}: serves calls from DIR until idle. Exits
   * at once when another daemon serves DIR.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ClientDaemon DIR [--idle DURATION] [--calls N]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).toAbsolutePath();
    Duration idle = Duration.ofMinutes(30);
    int callsMax = 8;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--idle" -> idle = Durations.parse(args[i + 1]);
        case "--calls" -> callsMax = Math.max(1, Math.min(64, Integer.parseInt(args[i + 1])));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Files.createDirectories(dir);
    try (FileChannel lockFile =
            FileChannel.open(
                dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        return; // another daemon serves this directory
      }
      // From here on, warnings of the commands (logback's console appender writes to whatever
      // System.err is at the time) go to the daemon's log, started afresh by each daemon.
      System.setErr(
          new PrintStream(new FileOutputStream(dir.resolve("daemon.log").toFile()), true));
      new ClientDaemon(dir, idle, callsMax, 3, DaemonFiles.classpathJars()).serve();
    }
    System.exit(0); // a command that ignored its interrupt must not keep the JVM
  }

  /** Makes the requests FIFO, announces the pid, and serves until idle, stale or stopped. */
  void serve() throws IOException, InterruptedException {
    Files.deleteIfExists(dir.resolve("pid")); // a crashed daemon's
    Path requests = dir.resolve("requests");
    Files.deleteIfExists(requests);
    Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", requests.toString()).start();
    if (mkfifo.waitFor() != 0 || !Files.exists(requests)) {
      throw new IOException("mkfifo " + requests + " failed");
    }
    removeLeftovers();
    // Read and write: the FIFO then always has a writer, so reads block instead of seeing the end,
    // and what a caller writes stays in the pipe until read. Opened before the pid is announced:
    // a caller writes only to a daemon that has announced itself.
    try (FileChannel channel =
        FileChannel.open(requests, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      this.requests = channel;
      warmUp(); // callers meanwhile find no pid and run their commands themselves
      Path pidTmp = dir.resolve("pid.tmp");
      Files.writeString(pidTmp, ProcessHandle.current().pid() + "\n");
      Files.move(pidTmp, dir.resolve("pid"), StandardCopyOption.ATOMIC_MOVE);
      lastActivityNanos.set(System.nanoTime());
      timer.scheduleWithFixedDelay(
          this::watch, WATCH_EVERY.toMillis(), WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      // Plain reads, not a Reader: a Reader over a channel may wait to fill its buffer.
      ByteBuffer buffer = ByteBuffer.allocate(4096);
      StringBuilder line = new StringBuilder();
      while (!stopped && read(channel, buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          char c = (char) (buffer.get() & 0xff);
          if (c == '\n') {
            lastActivityNanos.set(System.nanoTime());
            accept(line.toString().strip());
            line.setLength(0);
          } else if (line.length() < 256) {
            line.append(c); // a call name is short; anything longer is not one
          }
        }
        buffer.clear();
      }
    }
  }

  private static int read(FileChannel channel, ByteBuffer buffer) throws IOException {
    try {
      return channel.read(buffer);
    } catch (java.nio.channels.AsynchronousCloseException e) {
      return -1; // stopped
    }
  }

  /** Hands a call to a thread, or answers busy when every thread has one. */
  private void accept(String name) {
    if (!DaemonFiles.CALL_NAME.matcher(name).matches() || !Files.isDirectory(dir.resolve(name))) {
      return;
    }
    Call call = new Call(dir.resolve(name));
    try {
      calls.execute(call::run);
    } catch (RejectedExecutionException e) {
      call.answerOnce("busy");
    }
  }

  /** Ends the calls whose caller died, and the daemon when idle or stale with nothing running. */
  private void watch() {
    for (Call call : running.keySet()) {
      if (!call.callerAlive()) {
        call.abandon();
      }
    }
    if (running.isEmpty() && calls.getActiveCount() == 0) {
      boolean idleLongEnough =
          System.nanoTime() - lastActivityNanos.get() > idle.toNanos() && !idle.isZero();
      if (stale || idleLongEnough) {
        stop(stale ? "the jars or the JDK changed" : "idle for " + Durations.format(idle));
      }
    }
  }

  /** Stops taking calls: no pid, no requests FIFO; {@link #serve} returns. */
  void stop(String why) {
    if (stopped) {
      return;
    }
    stopped = true;
    System.err.println("horae client daemon: exiting, " + why);
    try {
      Files.deleteIfExists(dir.resolve("pid"));
      Files.deleteIfExists(dir.resolve("requests"));
    } catch (IOException e) {
      System.err.println("horae client daemon: " + e);
    }
    timer.shutdownNow();
    calls.shutdownNow();
    FileChannel channel = requests;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // closing it is what matters
      }
    }
  }

  /** Calls running now. */
  int runningCalls() {
    return running.size();
  }

  /**
   * Runs the training commands once, so that the first call finds the TLS handshake, HTTP/2 and the
   * printing compiled rather than interpreted.
   */
  private void warmUp() {
    try {
      for (int i = 0; i < warmUps; i++) {
        ArchiveTraining.train(new java.io.StringWriter());
      }
    } catch (Exception e) {
      System.err.println("horae client daemon: warm-up failed: " + e);
    }
  }

  private void removeLeftovers() throws IOException {
    FileTime before = FileTime.fromMillis(System.currentTimeMillis() - LEFTOVER_AGE.toMillis());
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        if (DaemonFiles.CALL_NAME.matcher(p.getFileName().toString()).matches()
            && Files.getLastModifiedTime(p).compareTo(before) < 0) {
          DaemonFiles.deleteCallDir(p);
        }
      }
    }
  }

  /** One call: its directory, its thread once running, and its caller. */
  private final class Call {
    private final Path callDir;
    private volatile Thread thread;
    private volatile long callerPid = -1;
    private volatile boolean answered;

    Call(Path callDir) {
      this.callDir = callDir;
    }

    void run() {
      Path taken = callDir.resolve("taken");
      try {
        Files.move(callDir.resolve("req"), taken, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        return; // the caller stopped waiting and runs the command itself
      } catch (IOException e) {
        return;
      }
      thread = Thread.currentThread();
      running.put(this, Boolean.TRUE);
      try (FileChannel ack = DaemonFiles.openFifo(callDir.resolve("ack"))) {
        serve(ack, taken);
      } catch (IOException | RuntimeException e) {
        System.err.println("horae client daemon: call " + callDir.getFileName() + ": " + e);
      } finally {
        running.remove(this);
        thread = null;
        lastActivityNanos.set(System.nanoTime());
        DaemonFiles.deleteCallDir(callDir);
      }
    }

    private void serve(FileChannel ack, Path taken) throws IOException {
      DaemonRequest request;
      try {
        if (Files.size(taken) > DaemonRequest.BYTES_MAX) {
          throw new IllegalArgumentException("larger than " + DaemonRequest.BYTES_MAX + " bytes");
        }
        request = DaemonRequest.parse(Files.readAllBytes(taken));
      } catch (IllegalArgumentException e) {
        System.err.println("horae client daemon: bad request: " + e.getMessage());
        DaemonFiles.writeLine(
            ack, "stale"); // another version of bin/horae: it runs the command itself
        return;
      }
      callerPid = request.pid();
      if (stale || !sameJdk(request.javaHome()) || DaemonFiles.newestModified(jars) != jarsStamp) {
        stale = true;
        DaemonFiles.writeLine(ack, "stale");
        return;
      }
      DaemonFiles.writeLine(ack, "ok");
      answered = true;
      int code;
      boolean direct = false;
      try (OutputStream outStream = new FileOutputStream(callDir.resolve("out").toFile());
          OutputStream errStream = new FileOutputStream(callDir.resolve("err").toFile())) {
        PrintWriter out = writer(outStream);
        PrintWriter err = writer(errStream);
        NoStdin stdin = new NoStdin();
        Invocation invocation = new Invocation(request.env(), request.cwd(), stdin);
        try {
          code = HoraeCommand.run(out, err, invocation, request.args().toArray(String[]::new));
          direct = code == Invocation.StdinUnavailable.EXIT_CODE && stdin.refused;
        } catch (RuntimeException | LinkageError e) {
          err.println("horae: the client daemon failed: " + e + " (HORAE_DAEMON=off avoids it)");
          code = 1;
        }
        out.flush();
        err.flush();
      }
      DaemonFiles.writeLine(ack, direct ? "direct" : "rc " + code);
    }

    private boolean sameJdk(Path callerJdk) {
      try {
        return callerJdk.toRealPath().equals(javaHome);
      } catch (IOException e) {
        return false;
      }
    }

    /** Answers a call that was not taken (busy); the caller removes its directory. */
    void answerOnce(String answer) {
      try (FileChannel ack = DaemonFiles.openFifo(callDir.resolve("ack"))) {
        DaemonFiles.writeLine(ack, answer);
      } catch (IOException e) {
        // the caller is gone
      }
    }

    boolean callerAlive() {
      long pid = callerPid;
      return pid < 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The caller died: unblocks the opening of its output FIFOs, so that writes fail, and
     * interrupts the command, which a blocked gRPC call answers by cancelling.
     */
    void abandon() {
      running.remove(this);
      if (answered) {
        for (String name : Set.of("out", "err")) {
          try (FileChannel ignored = DaemonFiles.openFifo(callDir.resolve(name))) {
            // opening it as a reader lets the writer's open return; closing it breaks the pipe
          } catch (IOException e) {
            // already gone
          }
        }
      }
      Thread t = thread;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  private static PrintWriter writer(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  /** Standard input of a daemon run: refused, so that the caller runs such a command itself. */
  private static final class NoStdin extends InputStream {
    volatile boolean refused;

    @Override
    public int read() {
      throw refuse();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      throw refuse();
    }

    @Override
    public byte[] readNBytes(int len) {
      throw refuse();
    }

    @Override
    public byte[] readAllBytes() {
      throw refuse();
    }

    private Invocation.StdinUnavailable refuse() {
      refused = true;
      return new Invocation.StdinUnavailable();
    }
  }
}
