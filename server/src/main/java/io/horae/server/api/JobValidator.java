package io.horae.server.api;

import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.config.ApiConfig;
import io.horae.server.egress.TargetGuard;
import io.horae.server.errors.Echo;
import io.horae.server.errors.ValidationException;
import io.horae.server.secret.SecretValidator;
import io.horae.statemachine.core.schedule.ScheduleMath;
import io.horae.statemachine.core.schedule.Violation;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Checks a create request at the edge and normalises it into the stored form. Every problem is
 * reported (not just the first), each naming its field and what is accepted. Messages never echo
 * header values, bodies or URLs, which may carry secrets (a refused target's host is named: it is
 * what the caller must change).
 */
public final class JobValidator {
  public static final String DEFAULT_NAMESPACE = "default";
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** RFC 9110 token characters. */
  static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /** Headers Horae sets itself or that the HTTP client must control. */
  static final Set<String> RESERVED_HEADERS =
      Set.of(
          "idempotency-key",
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "user-agent");

  static final int URL_CHARS_MAX = 2048;
  static final int REQUEST_ID_CHARS_MAX = 128;
  static final int PRIORITY_MAX = 3;

  /** Most finished executions a job's keep_last may ask to keep. */
  static final int KEEP_LAST_MAX = 100_000;

  static final long MISFIRE_GRACE_MAX_MS = 30L * 24 * 3600 * 1000;

  /** Most missed occurrences FIRE_ALL may fire after one outage. */
  static final int FIRE_ALL_MAX = 10_000;

  /** What a header value may hold: visible ASCII, space and tab (what OkHttp sends, too). */
  static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7E\\t]*");

  private final ApiConfig limits;
  private final TargetGuard targets;

  public JobValidator(ApiConfig limits, TargetGuard targets) {
    this.limits = limits;
    this.targets = targets;
  }

  /** Validates and returns the job as it will be stored; throws {@link ValidationException}. */
  public Job normalize(Job job, String requestId, long nowMs) {
    List<Violation> v = new ArrayList<>();
    String ns = job.getNamespace().isEmpty() ? DEFAULT_NAMESPACE : job.getNamespace();
    checkName(v, "job.namespace", ns, NAMESPACE);
    checkName(v, "job.name", job.getName(), NAME);
    v.addAll(RequestIds.check(requestId));
    if (!job.hasTarget()) {
      v.add(new Violation("job.target", "is required"));
    } else {
      checkTarget(v, job.getTarget());
    }
    boolean chained = !job.getAfter().isEmpty();
    if (chained) {
      checkName(v, "job.after", job.getAfter(), NAME);
      if (job.getAfter().equals(job.getName())) {
        v.add(new Violation("job.after", "must name another job: a job cannot run after itself"));
      }
    }
    boolean scheduled =
        job.hasSchedule()
            && job.getSchedule().getKindCase() != io.horae.api.v1.Schedule.KindCase.KIND_NOT_SET;
    if (chained && scheduled) {
      v.add(
          new Violation(
              "job.schedule",
              "must be empty for a job with after: it runs after each success of "
                  + Echo.value(job.getAfter())));
    } else if (chained) {
      // No schedule of its own.
    } else if (!job.hasSchedule()) {
      v.add(new Violation("job.schedule", "is required: one of at, after, every or cron"));
    } else {
      for (Violation s :
          ScheduleMath.validate(
              job.getSchedule(),
              nowMs,
              limits.pastTolerance().toMillis(),
              limits.intervalMin().toMillis())) {
        v.add(new Violation("job." + s.field(), s.description()));
      }
    }
    if (job.getPriority() < 0 || job.getPriority() > PRIORITY_MAX) {
      v.add(new Violation("job.priority", "must be between 0 and " + PRIORITY_MAX));
    }
    DeliveryPolicyCheck.check(v, job);
    SecretValidator.check(v, job);
    Labels.check(v, "job.labels", job.getLabelsMap());
    if (job.getMisfirePolicyValue() < 0
        || io.horae.api.v1.MisfirePolicy.forNumber(job.getMisfirePolicyValue()) == null) {
      v.add(new Violation("job.misfire_policy", "must be FIRE_ONCE, FIRE_ALL or SKIP"));
    }
    if (job.getOverlapPolicyValue() < 0
        || io.horae.api.v1.OverlapPolicy.forNumber(job.getOverlapPolicyValue()) == null) {
      v.add(new Violation("job.overlap_policy", "must be SKIP, ALLOW or QUEUE"));
    }
    if (job.getMisfireGraceMs() < 0 || job.getMisfireGraceMs() > MISFIRE_GRACE_MAX_MS) {
      v.add(
          new Violation(
              "job.misfire_grace_ms",
              "must be between 0 (the node's exec.misfireGrace) and "
                  + MISFIRE_GRACE_MAX_MS
                  + " (30 days)"));
    }
    if (job.getMisfireFireAllMax() < 0 || job.getMisfireFireAllMax() > FIRE_ALL_MAX) {
      v.add(
          new Violation("job.misfire_fire_all_max", "must be between 0 (100) and " + FIRE_ALL_MAX));
    }
    if (job.getKeepLast() < 0 || job.getKeepLast() > KEEP_LAST_MAX) {
      v.add(
          new Violation(
              "job.keep_last", "must be between 0 (no count limit) and " + KEEP_LAST_MAX));
    }
    if (!v.isEmpty()) {
      throw new ValidationException(v);
    }
    Target target = job.getTarget();
    String method =
        target.getMethod().isEmpty() ? "POST" : target.getMethod().toUpperCase(Locale.ROOT);
    return Job.newBuilder()
        .setNamespace(ns)
        .setName(job.getName())
        .setSchedule(chained ? job.getSchedule() : ScheduleMath.normalize(job.getSchedule(), nowMs))
        .setAfter(job.getAfter())
        .setTarget(target.toBuilder().setMethod(method))
        .setRetry(job.getRetry())
        .setTraceparent(job.getTraceparent())
        .setPriority(job.getPriority())
        .setSigningSecret(job.getSigningSecret())
        .putAllLabels(job.getLabelsMap())
        .setKeepLast(job.getKeepLast())
        .setMisfirePolicyValue(job.getMisfirePolicyValue())
        .setOverlapPolicyValue(job.getOverlapPolicyValue())
        .setMisfireGraceMs(job.getMisfireGraceMs())
        .setMisfireFireAllMax(job.getMisfireFireAllMax())
        .build();
  }

  /** Namespace and name of a get or delete. */
  public static List<Violation> checkKey(String namespace, String name) {
    List<Violation> v = new ArrayList<>();
    checkName(v, "namespace", namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace, NAMESPACE);
    checkName(v, "name", name, NAME);
    return v;
  }

  private static void checkName(List<Violation> v, String field, String value, Pattern pattern) {
    if (value.isEmpty()) {
      v.add(new Violation(field, "is required"));
    } else if (!pattern.matcher(value).matches()) {
      v.add(new Violation(field, "must match " + pattern.pattern()));
    }
  }

  /**
   * The host as the HTTP client will read it, against the target guard: an address it refuses is
   * refused here, before anything is stored. A name is checked when connecting, as its addresses
   * may change.
   */
  private void checkTargetHost(List<Violation> v, String field, String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      v.add(new Violation(field, "is not a valid http or https URL"));
      return;
    }
    targets.refusedAtCreate(parsed.host()).ifPresent(why -> v.add(new Violation(field, why)));
  }

  private void checkTarget(List<Violation> v, Target t) {
    checkUrl(v, t.getUrl());
    if (!t.getMethod().isEmpty() && !METHODS.contains(t.getMethod().toUpperCase(Locale.ROOT))) {
      v.add(
          new Violation("job.target.method", "must be one of " + new java.util.TreeSet<>(METHODS)));
    }
    if (t.getHeadersCount() > limits.headersMax()) {
      v.add(
          new Violation(
              "job.target.headers", "at most " + limits.headersMax() + " headers are allowed"));
    }
    long headerBytes = 0;
    for (int i = 0; i < t.getHeadersCount(); i++) {
      Header h = t.getHeaders(i);
      String field = "job.target.headers[" + i + "]";
      if (!HEADER_NAME.matcher(h.getName()).matches()) {
        v.add(
            new Violation(
                field + ".name", "must be an HTTP token (letters, digits and !#$%&'*+.^_`|~-)"));
      } else if (RESERVED_HEADERS.contains(h.getName().toLowerCase(Locale.ROOT))) {
        v.add(
            new Violation(
                field + ".name", Echo.value(h.getName()) + " is set by Horae and cannot be given"));
      }
      if (!HEADER_VALUE.matcher(h.getValue()).matches()) {
        // Names the header, never the value: it may be a credential.
        String which =
            HEADER_NAME.matcher(h.getName()).matches()
                ? "of header " + h.getName()
                : "of this header";
        v.add(
            new Violation(
                field + ".value",
                "the value "
                    + which
                    + " must hold only visible ASCII (0x21-0x7E), space and tab (value not shown)"));
      }
      headerBytes +=
          h.getName().getBytes(StandardCharsets.UTF_8).length
              + h.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (headerBytes > limits.headerBytesMax()) {
      v.add(
          new Violation(
              "job.target.headers",
              "names and values together must be at most " + limits.headerBytesMax() + " bytes"));
    }
    if (t.getBody().size() > limits.bodyBytesMax()) {
      v.add(
          new Violation(
              "job.target.body",
              "must be at most " + limits.bodyBytesMax() + " bytes, got " + t.getBody().size()));
    }
  }

  private void checkUrl(List<Violation> v, String url) {
    String field = "job.target.url";
    if (url.isEmpty()) {
      v.add(new Violation(field, "is required"));
      return;
    }
    if (url.length() > URL_CHARS_MAX) {
      v.add(new Violation(field, "must be at most " + URL_CHARS_MAX + " characters"));
      return;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        v.add(new Violation(field, "must be an http or https URL"));
      } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
        v.add(new Violation(field, "must name a host"));
      } else if (uri.getUserInfo() != null) {
        v.add(new Violation(field, "must not carry user:password; put credentials in a header"));
      } else {
        checkTargetHost(v, field, url);
      }
    } catch (URISyntaxException e) {
      v.add(new Violation(field, "is not a valid URL: " + e.getReason()));
    }
  }
}
