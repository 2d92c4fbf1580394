package io.horae.server.exec;

import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.config.ExecConfig;
import io.horae.server.egress.TargetGuard;
import io.horae.server.egress.TargetRefusedException;
import java.io.IOException;
import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends one webhook attempt with OkHttp: pooled connections, a cap on concurrent calls in all and
 * per host, a connect timeout and a total timeout per call (the total covers reading the bounded
 * response excerpt). Every request carries the execution id as Idempotency-Key; it is the same for
 * every attempt and every node. Each attempt carries a W3C traceparent: the execution's trace id
 * and a new span id, the id of the attempt's span when tracing is on (AttemptTracer).
 *
 * <p>Where a request may go is the {@link TargetGuard}'s to say: names resolve through its Dns,
 * literal hosts and the connected address pass its interceptors, no proxy is used (a system proxy
 * would resolve and connect on our behalf, past the guard), and redirects are not followed (a 3xx
 * is the attempt's answer, so a target cannot bounce a request to an address the guard would
 * refuse).
 */
final class Delivery implements AutoCloseable {
  /** Decides, as a request is about to go on the wire, whether this node may still send it. */
  @FunctionalInterface
  interface Gate {
    FenceCheck admit(Held c);
  }

  /**
   * A request stopped by the gate before it was sent: the fence check passed when the delivery was
   * started, but the lease lapsed or the shard moved while it waited for a connection slot (or the
   * process was paused). Nothing reached the target.
   */
  static final class Fenced extends IOException {
    private final FenceCheck check;

    Fenced(FenceCheck check) {
      super("fenced before sending: " + check);
      this.check = check;
    }

    FenceCheck check() {
      return check;
    }

    /** Control flow, not a fault: no stack (a fenced storm once made these a top allocation). */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  static final int ERROR_CHARS_MAX = 256;
  static final int IDLE_CONNECTIONS_MAX = 64;

  /** Most parsed target URLs remembered (see {@link #url}). */
  static final int URL_MEMO_MAX = 4_096;

  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

  private final OkHttpClient http;
  private final Clock clock;
  private final long defaultTimeoutMs;
  private final long defaultConnectTimeoutMs;
  private final int excerptMax;
  private final String userAgent = "horae/" + HoraeVersion.get();
  private final String nodeId;
  private final WebhookSigning signing;

  /** Calls in flight by execution id, so a cancel can abort them; entries leave on completion. */
  private final java.util.Map<String, Call> inFlight =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.Map<String, HttpUrl> urls =
      new java.util.concurrent.ConcurrentHashMap<>();

  Delivery(String nodeId, ExecConfig config, Clock clock, Gate gate, TargetGuard guard) {
    this(nodeId, config, clock, gate, WebhookSigning.unsigned(clock), guard);
  }

  Delivery(
      String nodeId,
      ExecConfig config,
      Clock clock,
      Gate gate,
      WebhookSigning signing,
      TargetGuard guard) {
    this.nodeId = nodeId;
    this.signing = signing;
    Dispatcher dispatcher = new Dispatcher(callThreads(config.virtualHttpThreads()));
    dispatcher.setMaxRequests(config.dispatchConcurrency());
    // The per-host limit is the host guard's permit (HostGuard), taken before a call is made, so
    // a slow host never holds calls in this dispatcher's queue ahead of other hosts' calls.
    dispatcher.setMaxRequestsPerHost(config.dispatchConcurrency());
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            // Idle connections leave the pool before common receivers close them (Node.js and
            // Apache after 5 s idle): OkHttp reuses a connection idle for under 10 s without
            // probing it, so a call on one the receiver closed failed as an attempt, and counted
            // against the host's breaker (docs/delivery.md, "Connections").
            .connectionPool(
                new ConnectionPool(
                    IDLE_CONNECTIONS_MAX,
                    config.idleConnectionTimeout().toMillis(),
                    TimeUnit.MILLISECONDS))
            .followRedirects(false)
            .followSslRedirects(false)
            .proxy(Proxy.NO_PROXY)
            .dns(guard.dns())
            .retryOnConnectionFailure(false)
            // One bound per attempt: the call timeout (the job's timeout_ms, else
            // exec.deliveryTimeout), connect to last byte. OkHttp's own read and write timeouts
            // (10 s each by default) would cut a job allowed up to 5 minutes at 10 s of silence,
            // and every socket read and write would take Okio's one timeout lock, shared by all
            // calls.
            .readTimeout(Duration.ZERO)
            .writeTimeout(Duration.ZERO)
            // The fence is checked again here, on the dispatcher thread, right before the request
            // is sent: a call may wait in the dispatcher's queue (per-host and total limits) for
            // longer than a lease. X-Horae-Attempt-Time is stamped at this last check.
            .addInterceptor(
                chain -> {
                  Held c = chain.request().tag(Held.class);
                  if (c == null) {
                    return chain.proceed(chain.request());
                  }
                  // Read before the check, so that the stamp is never later than the check it
                  // reports: a node frozen between a passed check and a later read sent a decision
                  // made before the freeze stamped after the thaw (PauseFencingTest).
                  long checkedAtMs = clock.millis();
                  FenceCheck check = gate.admit(c);
                  if (check != FenceCheck.GO) {
                    throw new Fenced(check);
                  }
                  ConnectTimeout connect = chain.request().tag(ConnectTimeout.class);
                  Interceptor.Chain timed =
                      connect == null
                          ? chain
                          : chain.withConnectTimeout(connect.millis(), TimeUnit.MILLISECONDS);
                  return timed.proceed(
                      chain
                          .request()
                          .newBuilder()
                          .header(
                              "X-Horae-Attempt-Time", Instant.ofEpochMilli(checkedAtMs).toString())
                          .build());
                })
            // After the fence: a node that no longer holds the shard reports nothing, refusal
            // included.
            .addInterceptor(guard.literalCheck())
            .addNetworkInterceptor(guard.connectedCheck())
            .addNetworkInterceptor(signing.interceptor())
            .build();
    this.clock = clock;
    this.defaultTimeoutMs = config.deliveryTimeout().toMillis();
    this.defaultConnectTimeoutMs = config.connectTimeout().toMillis();
    this.excerptMax = config.responseExcerptMax();
  }

  /**
   * The threads the calls run on (exec.virtualHttpThreads, on by default). A platform thread waits
   * for its response in a blocking poll and is woken by the kernel, one switch per call; a virtual
   * thread parks, the JDK's poller wakes it, and the few carrier threads go on to the next call
   * without a switch, which cut the CPU per delivery of a burst by 14-43 % with steady lateness no
   * worse (docs/bench.md, "The fence race behind the revert, and virtual threads back"). Virtual
   * threads only on JDK 24 and later, where one blocked inside OkHttp's {@code synchronized} blocks
   * no longer holds its carrier (JEP 491). The dispatcher's limit (exec.dispatchConcurrency) bounds
   * the threads either way.
   */
  private static java.util.concurrent.ExecutorService callThreads(boolean virtual) {
    if (virtual && Runtime.version().feature() >= 24) {
      return java.util.concurrent.Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("horae-http-", 0).factory());
    }
    return new java.util.concurrent.ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(),
        Thread.ofPlatform().name("horae-http-", 0).daemon().factory());
  }

  int queuedCalls() {
    return http.dispatcher().queuedCallsCount();
  }

  int runningCalls() {
    return http.dispatcher().runningCallsCount();
  }

  CompletableFuture<Outcome> send(Job job, Held c) {
    return send(job, c, null, clock.millis());
  }

  /**
   * Sends the attempt; {@code span} is its span when tracing is on (its context goes out as the
   * traceparent), else null, and {@code started} when the span started (the attempt's start).
   */
  CompletableFuture<Outcome> send(Job job, Held c, AttemptSpan span, long started) {
    CompletableFuture<Outcome> out = new CompletableFuture<>();
    String spanId =
        span == null
            ? TraceContext.newSpanId(java.util.concurrent.ThreadLocalRandom.current())
            : span.spanId();
    String traceparent =
        span == null
            ? TraceContext.header(
                TraceContext.traceId(job.getTraceparent(), c.executionId()),
                spanId,
                TraceContext.flags(job.getTraceparent()))
            : span.traceparent();
    Request request;
    try {
      request = signing.prepare(request(job, signing.openTarget(job), c, traceparent), job, c);
    } catch (IllegalArgumentException e) {
      // The message is ours (see request): OkHttp's own would quote the offending header value.
      out.complete(
          Outcome.failure(
              0,
              Outcome.BAD_REQUEST,
              "bad request: " + bounded(e.getMessage()),
              started,
              0,
              spanId));
      return out;
    }
    Call call = http.newCall(request);
    long timeout =
        job.getTarget().getTimeoutMs() > 0 ? job.getTarget().getTimeoutMs() : defaultTimeoutMs;
    call.timeout().timeout(timeout, TimeUnit.MILLISECONDS);
    inFlight.put(c.executionId(), call);
    out.whenComplete((o, e) -> inFlight.remove(c.executionId(), call));
    call.enqueue(
        new Callback() {
          @Override
          public void onResponse(Call call, Response response) {
            try (response) {
              int code = response.code();
              byte[] excerpt;
              try {
                // Bounded: at most excerptMax bytes are read, however large the body; a body
                // that stalls after the headers is cut by the call timeout here.
                excerpt = excerptMax == 0 ? new byte[0] : response.peekBody(excerptMax).bytes();
              } catch (IOException e) {
                long latency = clock.millis() - started;
                out.complete(
                    Outcome.failure(
                        code,
                        errorClass(e),
                        bounded("HTTP " + code + ", then reading the body: " + describe(e)),
                        started,
                        latency,
                        spanId));
                return;
              }
              long latency = clock.millis() - started;
              boolean ok = code >= 200 && code < 300;
              out.complete(
                  new Outcome(
                      ok,
                      code,
                      ok ? "" : "HTTP " + code,
                      "",
                      latency,
                      retryAfterMs(response),
                      started,
                      excerpt,
                      spanId));
            }
          }

          @Override
          public void onFailure(Call call, IOException e) {
            if (e instanceof Fenced) {
              out.completeExceptionally(e);
              return;
            }
            long latency = clock.millis() - started;
            TargetRefusedException refused = refusal(e);
            if (refused != null) {
              out.complete(
                  Outcome.failure(
                      0,
                      Outcome.TARGET_REFUSED,
                      bounded(refused.getMessage()),
                      started,
                      latency,
                      spanId));
              return;
            }
            out.complete(
                Outcome.failure(0, errorClass(e), bounded(describe(e)), started, latency, spanId));
          }
        });
    return out;
  }

  /** The failure's kind as recorded in the attempt history: the call timeout gets its own name. */
  static String errorClass(IOException e) {
    if (e instanceof java.io.InterruptedIOException
        && !(e instanceof java.net.SocketTimeoutException)
        && "timeout".equals(e.getMessage())) {
      return "CallTimeout";
    }
    return e.getClass().getSimpleName();
  }

  /** The guard's refusal behind a failure, if that is what it was (OkHttp may wrap it). */
  static TargetRefusedException refusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TargetRefusedException r) {
        return r;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s instanceof TargetRefusedException r) {
          return r;
        }
      }
    }
    return null;
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /**
   * Cancels the call in flight for this execution, if any: its future then completes with a failure
   * outcome, which the caller must not report (the execution was cancelled).
   */
  void abort(String executionId) {
    Call call = inFlight.get(executionId);
    if (call != null) {
      call.cancel();
    }
  }

  /** The request for {@code target}, the job's target with its secret values opened for sending. */
  private Request request(Job job, Target target, Held c, String traceparent) {
    Request.Builder b = new Request.Builder().url(url(target.getUrl()));
    String contentType = null;
    for (int i = 0; i < target.getHeadersCount(); i++) {
      Header h = target.getHeaders(i);
      try {
        b.addHeader(h.getName(), h.getValue());
      } catch (IllegalArgumentException e) {
        // A job stored before the edge checked header values; OkHttp's message would quote it.
        throw new IllegalArgumentException(
            "header "
                + i
                + " has a character HTTP does not allow in its name or value (value not shown)");
      }
      if (h.getName().toLowerCase(Locale.ROOT).equals("content-type")) {
        contentType = h.getValue();
      }
    }
    b.header("Idempotency-Key", c.executionId());
    b.header("User-Agent", userAgent);
    b.header("X-Horae-Attempt", Integer.toString(c.attempt()));
    b.header("X-Horae-Scheduled-Time", Instant.ofEpochMilli(c.scheduledMs()).toString());
    // Which node sent it (and, stamped at the last fence check, when): for tracing a failover.
    b.header("X-Horae-Node", nodeId);
    b.header("traceparent", traceparent);
    b.tag(Held.class, c);
    long connect =
        target.getConnectTimeoutMs() > 0 ? target.getConnectTimeoutMs() : defaultConnectTimeoutMs;
    b.tag(ConnectTimeout.class, new ConnectTimeout((int) Math.min(Integer.MAX_VALUE, connect)));
    String method = target.getMethod().isEmpty() ? "POST" : target.getMethod();
    RequestBody body = null;
    if (!method.equals("GET")) {
      MediaType type = contentType == null ? OCTET_STREAM : MediaType.parse(contentType);
      body = RequestBody.create(target.getBody().toByteArray(), type == null ? OCTET_STREAM : type);
    }
    return b.method(method, body).build();
  }

  /**
   * The parsed URL, remembered: many jobs share a target URL, and parsing it for every attempt (IDN
   * mapping included) was a top cost of the owner loop in the bench profile. Bounded: the memo is
   * dropped whole at {@link #URL_MEMO_MAX} entries. A URL that does not parse throws
   * IllegalArgumentException with a message that does not quote it (a query may hold a token).
   */
  private HttpUrl url(String url) {
    HttpUrl known = urls.get(url);
    if (known != null) {
      return known;
    }
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("the target URL does not parse as an http or https URL");
    }
    if (urls.size() >= URL_MEMO_MAX) {
      urls.clear();
    }
    urls.put(url, parsed);
    return parsed;
  }

  /** The job's connect timeout, applied by the interceptor to this call only. */
  private record ConnectTimeout(int millis) {}

  /** Retry-After as a delay from now: delay-seconds or an HTTP date; 0 when absent or malformed. */
  private long retryAfterMs(Response response) {
    return RetryAfter.parseMs(response.header("Retry-After"), clock.millis());
  }

  static String bounded(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= ERROR_CHARS_MAX ? s : s.substring(0, ERROR_CHARS_MAX);
  }

  @Override
  public void close() {
    http.dispatcher().cancelAll();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
