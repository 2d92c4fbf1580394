package io.horae.server.admin;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.horae.server.config.AdminConfig;
import io.horae.server.config.HostPort;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's admin HTTP endpoint: {@code GET /health/live}, {@code GET /health/ready} and {@code
 * GET /metrics} (Prometheus), and the read-only web console under {@code /console/}
 * (docs/console.md), over HTTPS with the node's certificate when TLS is on (admin.tls). It runs on
 * the JDK's HTTP(S) server. Its callers are probes, a scraper and people at the console, and anyone
 * who can reach the port could try to freeze it: every exchange runs on its own virtual thread
 * within {@link AdminConfig#connectionsMax()} slots and under {@link AdminConfig#requestTimeout()}
 * (see {@link AdminExchanges}), so clients that dribble headers or never read cannot stall the
 * probes.
 *
 * <p>Thread safety: {@link #start}, {@link #port} and {@link #close} may be called from any thread.
 * {@code ready} is called on the exchanges' threads and must be cheap and thread-safe.
 */
public final class AdminServer implements AutoCloseable {
  /** Connections the OS may hold before accept; more are refused, not buffered. */
  static final int BACKLOG = 64;

  /** Grace for in-flight exchanges on close; the JDK server takes whole seconds. */
  static final Duration STOP_DELAY = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final HostPort bind;
  private final PrometheusMeterRegistry registry;
  private final Readiness ready;
  private final java.util.function.Predicate<String> metricsAllowed;

  /** Serves HTTPS with this context; null for plain HTTP. */
  private final SSLContext tls;

  private final AdminConfig limits;

  /** Serves {@code /console} (docs/console.md); null for none. */
  private final HttpHandler console;

  // Guarded by this.
  private HttpServer server;
  private AdminExchanges exchanges;
  private boolean closed;

  /**
   * @param bind address to listen on; port 0 picks a free port, see {@link #port()}
   * @param registry the registry {@code /metrics} scrapes
   * @param ready whether this node should receive traffic; {@code /health/ready} answers 503 with
   *     the reason while it is not
   */
  public AdminServer(HostPort bind, PrometheusMeterRegistry registry, Readiness ready) {
    this(bind, registry, ready, authorization -> true, null, AdminConfig.DEFAULTS, null);
  }

  /**
   * @param metricsAllowed whether a /metrics request with this Authorization header (null: none)
   *     may read
   * @param tls serve HTTPS with this context (the node's certificate); null for plain HTTP
   * @param limits connections served at once and the deadline of one request
   */
  public AdminServer(
      HostPort bind,
      PrometheusMeterRegistry registry,
      BooleanSupplier ready,
      java.util.function.Predicate<String> metricsAllowed,
      SSLContext tls,
      AdminConfig limits) {
    this(bind, registry, Readiness.of(ready), metricsAllowed, tls, limits, null);
  }

  /**
   * As above, with the web console served under {@code /console} by {@code console} (null: none),
   * and a readiness that says why the node is not ready. The console's exchanges run under the same
   * connection slots and request deadline as the rest.
   */
  public AdminServer(
      HostPort bind,
      PrometheusMeterRegistry registry,
      Readiness ready,
      java.util.function.Predicate<String> metricsAllowed,
      SSLContext tls,
      AdminConfig limits,
      HttpHandler console) {
    this.console = console;
    this.tls = tls;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.metricsAllowed = Objects.requireNonNull(metricsAllowed, "metricsAllowed");
    this.bind = Objects.requireNonNull(bind, "bind");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.ready = Objects.requireNonNull(ready, "ready");
  }

  /**
   * Binds and starts serving.
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (server != null || closed) {
      throw new IllegalStateException("admin server already started or closed, bind=" + bind);
    }
    InetSocketAddress address = new InetSocketAddress(bind.host(), bind.port());
    HttpServer created;
    try {
      if (address.isUnresolved()) {
        throw new UnknownHostException(bind.host());
      }
      if (tls == null) {
        created = HttpServer.create(address, BACKLOG);
      } else {
        HttpsServer https = HttpsServer.create(address, BACKLOG);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        created = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind admin HTTP to " + bind + ": " + e, e);
    }
    exchanges = new AdminExchanges(limits, registry);
    created.setExecutor(exchanges);
    created.createContext("/", new AdminRoutes(registry, ready, metricsAllowed));
    if (console != null) {
      created.createContext(io.horae.server.console.ConsoleHandler.PATH, console);
    }
    created.start();
    server = created;
    log.info(
        "admin HTTP started address={}:{} scheme={} connectionsMax={} requestTimeout={}",
        bind.host(),
        port(),
        tls == null ? "http" : "https",
        limits.connectionsMax(),
        limits.requestTimeout());
  }

  /** The bound port, the chosen one when {@code bind} asked for port 0. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("admin server not started, bind=" + bind);
    }
    return server.getAddress().getPort();
  }

  /** Stops accepting, lets in-flight requests finish for up to {@link #STOP_DELAY}. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server == null) {
      return;
    }
    int port = port();
    // Waits for in-flight exchanges up to STOP_DELAY, then closes every connection, which ends
    // any exchange still blocked on one.
    server.stop((int) STOP_DELAY.toSeconds());
    exchanges.close();
    log.info("admin HTTP stopped address={}:{}", bind.host(), port);
  }
}
