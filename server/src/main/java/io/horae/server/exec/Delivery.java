package io.horae.server.exec;

import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.config.ExecConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends one webhook attempt with OkHttp: pooled connections, a cap on concurrent calls in all and
 * per host, one timeout per call. Every request carries the execution id as Idempotency-Key; it
 * is the same for every attempt and every node.
 */
final class Delivery implements AutoCloseable {
  /** Decides, as a request is about to go on the wire, whether this node may still send it. */
  @FunctionalInterface
  interface Gate {
    ShardTenures.Check admit(Claimed c);
  }

  /**
   * A request stopped by the gate before it was sent: the fence check passed when the delivery
   * was started, but the lease lapsed or the shard moved while it waited for a connection slot
   * (or the process was paused). Nothing reached the target.
   */
  static final class Fenced extends IOException {
    private final ShardTenures.Check check;

    Fenced(ShardTenures.Check check) {
      super("fenced before sending: " + check);
      this.check = check;
    }

    ShardTenures.Check check() {
      return check;
    }
  }

  static final int ERROR_CHARS_MAX = 256;
  static final int IDLE_CONNECTIONS_MAX = 64;
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

  private final OkHttpClient http;
  private final Clock clock;
  private final long defaultTimeoutMs;
  private final String userAgent = "horae/" + HoraeVersion.get();
  private final String nodeId;
  private final WebhookSigning signing;
  /** Calls in flight by execution id, so a cancel can abort them; entries leave on completion. */
  private final java.util.Map<String, Call> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

  Delivery(String nodeId, ExecConfig config, Clock clock, Gate gate) {
    this(nodeId, config, clock, gate, WebhookSigning.unsigned(clock));
  }

  Delivery(String nodeId, ExecConfig config, Clock clock, Gate gate, WebhookSigning signing) {
    this.nodeId = nodeId;
    this.signing = signing;
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(config.dispatchConcurrency());
    dispatcher.setMaxRequestsPerHost(config.maxRequestsPerHost());
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(IDLE_CONNECTIONS_MAX, 5, TimeUnit.MINUTES))
            .followRedirects(false)
            .retryOnConnectionFailure(false)
            // The fence is checked again here, on the dispatcher thread, right before the request
            // is sent: a call may wait in the dispatcher's queue (per-host and total limits) for
            // longer than a lease. Horae-Attempt-Time is stamped at this last check.
            .addInterceptor(
                chain -> {
                  Claimed c = chain.request().tag(Claimed.class);
                  if (c == null) {
                    return chain.proceed(chain.request());
                  }
                  ShardTenures.Check check = gate.admit(c);
                  if (check != ShardTenures.Check.GO) {
                    throw new Fenced(check);
                  }
                  return chain.proceed(
                      chain.request().newBuilder().header("Horae-Attempt-Time", Instant.ofEpochMilli(clock.millis()).toString()).build());
                })
            .addNetworkInterceptor(signing.interceptor())
            .build();
    this.clock = clock;
    this.defaultTimeoutMs = config.deliveryTimeout().toMillis();
  }

  int queuedCalls() {
    return http.dispatcher().queuedCallsCount();
  }

  int runningCalls() {
    return http.dispatcher().runningCallsCount();
  }

  CompletableFuture<Outcome> send(Job job, Claimed c) {
    CompletableFuture<Outcome> out = new CompletableFuture<>();
    Request request;
    try {
      request = signing.prepare(request(signing.openTarget(job), c), job, c);
    } catch (IllegalArgumentException e) {
      out.complete(new Outcome(false, 0, "bad request: " + bounded(e.getMessage()), 0, 0));
      return out;
    }
    long started = clock.millis();
    Call call = http.newCall(request);
    long timeout = job.getTarget().getTimeoutMs() > 0 ? job.getTarget().getTimeoutMs() : defaultTimeoutMs;
    call.timeout().timeout(timeout, TimeUnit.MILLISECONDS);
    inFlight.put(c.executionId(), call);
    out.whenComplete((o, e) -> inFlight.remove(c.executionId(), call));
    call.enqueue(
        new Callback() {
          @Override
          public void onResponse(Call call, Response response) {
            try (response) {
              long latency = clock.millis() - started;
              int code = response.code();
              boolean ok = code >= 200 && code < 300;
              out.complete(new Outcome(ok, code, ok ? "" : "HTTP " + code, latency, retryAfterMs(response)));
            }
          }

          @Override
          public void onFailure(Call call, IOException e) {
            if (e instanceof Fenced) {
              out.completeExceptionally(e);
              return;
            }
            long latency = clock.millis() - started;
            String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            out.complete(new Outcome(false, 0, bounded(error), latency, 0));
          }
        });
    return out;
  }

  /**
   * Cancels the call in flight for this execution, if any: its future then completes with a
   * failure outcome, which the caller must not report (the execution was cancelled).
   */
  void abort(String executionId) {
    Call call = inFlight.get(executionId);
    if (call != null) {
      call.cancel();
    }
  }

  private Request request(Target target, Claimed c) {
    Request.Builder b = new Request.Builder().url(target.getUrl());
    String contentType = null;
    for (Header h : target.getHeadersList()) {
      b.addHeader(h.getName(), h.getValue());
      if (h.getName().toLowerCase(Locale.ROOT).equals("content-type")) {
        contentType = h.getValue();
      }
    }
    b.header("Idempotency-Key", c.executionId());
    b.header("User-Agent", userAgent);
    b.header("Horae-Attempt", Integer.toString(c.attempt()));
    b.header("Horae-Scheduled-Time", Instant.ofEpochMilli(c.scheduledMs()).toString());
    // Which node sent it (and, stamped at the last fence check, when): for tracing a failover.
    b.header("Horae-Node", nodeId);
    b.tag(Claimed.class, c);
    String method = target.getMethod().isEmpty() ? "POST" : target.getMethod();
    RequestBody body = null;
    if (!method.equals("GET")) {
      MediaType type = contentType == null ? OCTET_STREAM : MediaType.parse(contentType);
      body = RequestBody.create(target.getBody().toByteArray(), type == null ? OCTET_STREAM : type);
    }
    return b.method(method, body).build();
  }

  private static long retryAfterMs(Response response) {
    String v = response.header("Retry-After");
    if (v == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(v.trim())) * 1000;
    } catch (NumberFormatException e) {
      return 0;
    }
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
