package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.server.config.HostConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The guard on a settable clock: per-host permits, the rate limit and the breaker as a request sees
 * them, the failure classification, the bounded host table and its meters.
 */
class HostGuardTest {
  static final String A = "http://a.example:8080/hook";
  static final String B = "https://b.example/hook?x=1";
  static final Outcome OK = Outcome.response(200, 1);
  static final Outcome DOWN = Outcome.response(503, 1);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void theHostIsSchemeHostAndPortWithoutPathOrQuery() {
    assertThat(TargetHosts.of(A)).contains("http://a.example:8080");
    assertThat(TargetHosts.of(B)).contains("https://b.example:443");
    assertThat(TargetHosts.of("not a url")).isEmpty();
  }

  @Test
  void theRememberedHostOfAUrlIsTheHostItsFullParseGives() {
    HostGuard guard = guard(HostConfig.DEFAULTS, 1);
    String[] urls = {
      A,
      B,
      "http://a.example:8080/other?q=1",
      "HTTP://A.Example:8080#frag",
      "http://user:pw@a.example:8080/x",
      "http://[::1]:9000/x",
      "https://b.example?only=query",
      "http://a.example:8080\\back",
      "http://münchen.example/x",
      "not a url",
      "http://a.example:99999/bad-port",
      "ftp://a.example/file"
    };
    for (int round = 0; round < 2; round++) {
      for (String url : urls) {
        assertThat(guard.hostOfCached(url)).as(url).isEqualTo(TargetHosts.of(url));
      }
    }
  }

  @Test
  void noResponseTooManyRequestsAndServerErrorsCountAgainstAHostOtherAnswersDoNot() {
    assertThat(
            HostGuard.failure(
                Outcome.failure(0, "ConnectException", "ConnectException: refused", 0, 1, "")))
        .isTrue();
    assertThat(HostGuard.failure(Outcome.response(429, 1))).isTrue();
    assertThat(HostGuard.failure(DOWN)).isTrue();
    assertThat(HostGuard.failure(Outcome.response(404, 1))).isFalse();
    assertThat(HostGuard.failure(Outcome.response(410, 1))).isFalse();
    assertThat(HostGuard.failure(OK)).isFalse();
  }

  @Test
  void aHostAtItsConcurrencyLimitWaitsWhileAnotherHostStillGoes() {
    HostGuard guard = guard(HostConfig.DEFAULTS, 2);
    HostGuard.Admission first = guard.admit(A);
    guard.admit(A);

    HostGuard.Admission third = guard.admit(A);

    assertThat(third.sends()).isFalse();
    assertThat(third.deferred()).isFalse();
    assertThat(third.waitMs()).isEqualTo(HostGuard.BUSY_WAIT_MILLIS);
    assertThat(guard.admit(B).sends()).isTrue();
    assertThat(gauge("horae.host.permits.in_use", "http://a.example:8080")).isEqualTo(2);

    first.permit().abandon();
    first.permit().abandon(); // Released once, however often it is called.

    assertThat(guard.admit(A).sends()).isTrue();
    assertThat(guard.admit(A).sends()).isFalse();
    assertThat(
            registry.get("horae.host.busy").tag("host", "http://a.example:8080").counter().count())
        .isEqualTo(2);
  }

  @Test
  void aRateLimitedHostWaitsUntilItsNextToken() {
    HostGuard guard = guard(config(1, 1, 5, Duration.ofSeconds(1), 10), 10);
    guard.admit(A).permit().finish(OK);

    HostGuard.Admission second = guard.admit(A);

    assertThat(second.sends()).isFalse();
    assertThat(second.waitMs()).isEqualTo(1_000);
    clock.advance(Duration.ofSeconds(1));
    assertThat(guard.admit(A).sends()).isTrue();
    assertThat(
            registry
                .get("horae.host.rate_limited")
                .tag("host", "http://a.example:8080")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anOpenBreakerDefersToItsProbeTimeThenLetsOneProbeThroughWhoseSuccessClosesIt() {
    HostGuard guard = guard(config(0, 1, 3, Duration.ofSeconds(1), 10), 10);
    for (int i = 0; i < 3; i++) {
      guard.admit(A).permit().finish(DOWN);
    }
    long openedAt = clock.millis();

    HostGuard.Admission deferred = guard.admit(A);

    assertThat(deferred.deferred()).isTrue();
    assertThat(deferred.probeAtMs()).isEqualTo(openedAt + 1_000);
    assertThat(deferred.host()).isEqualTo("http://a.example:8080");
    assertThat(guard.notClosed(10))
        .containsExactly(
            new HostGuard.BreakerView(
                "http://a.example:8080", CircuitBreaker.State.OPEN, 3, openedAt + 1_000));
    assertThat(gauge("horae.host.breaker.state", "http://a.example:8080")).isEqualTo(1);
    assertThat(
            registry
                .get("horae.host.deferrals")
                .tag("host", "http://a.example:8080")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("horae.host.breaker.opened")
                .tag("host", "http://a.example:8080")
                .functionCounter()
                .count())
        .isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    HostGuard.Admission probe = guard.admit(A);
    assertThat(probe.sends()).isTrue();
    assertThat(gauge("horae.host.breaker.state", "http://a.example:8080")).isEqualTo(2);
    assertThat(guard.admit(A).sends()).as("a second request while the only probe is out").isFalse();

    probe.permit().finish(OK);

    assertThat(guard.notClosed(10)).isEmpty();
    assertThat(guard.admit(A).sends()).isTrue();
  }

  @Test
  void aNewHostBeyondTheTableSizeWaitsWhileEveryHostIsInUseAndEvictsAnUnusedOne() {
    HostGuard guard = guard(config(0, 1, 5, Duration.ofSeconds(1), 2), 10);
    HostGuard.Admission a = guard.admit(A);
    HostGuard.Admission b = guard.admit(B);

    HostGuard.Admission c = guard.admit("http://c.example/");

    assertThat(c.sends()).isFalse();
    assertThat(registry.get("horae.hosts.full").counter().count()).isEqualTo(1);
    a.permit().finish(OK);
    assertThat(guard.admit("http://c.example/").sends()).isTrue();
    assertThat(guard.tracked()).isEqualTo(2);
    assertThat(
            registry.find("horae.host.permits.in_use").tag("host", "http://a.example:8080").gauge())
        .as("an evicted host's meters leave with it")
        .isNull();
    b.permit().abandon();
  }

  @Test
  void aHostIdleForTheEvictionTimeIsForgotten() {
    HostGuard guard = guard(HostConfig.DEFAULTS, 10);
    guard.admit(A).permit().finish(OK);
    guard.admit(B).permit().finish(OK);

    clock.advance(HostConfig.IDLE_EVICT_AFTER_DEFAULT.plusSeconds(1));
    guard.admit(B).permit().finish(OK);

    assertThat(guard.tracked()).isEqualTo(1);
    assertThat(registry.get("horae.hosts.tracked").gauge().value()).isEqualTo(1);
  }

  @Test
  void hostsBeyondTheMeteredMaximumCountUnderOther() {
    HostConfig d = HostConfig.DEFAULTS;
    HostConfig oneMetered =
        new HostConfig(
            0,
            1,
            1,
            d.breakerOpenMin(),
            d.breakerOpenMax(),
            1,
            d.deferJitter(),
            10,
            d.idleEvictAfter(),
            1,
            20);
    HostGuard guard = guard(oneMetered, 10);
    guard.admit(A).permit().finish(DOWN);
    guard.admit(B).permit().finish(DOWN);

    guard.admit(A);
    guard.admit(B);

    assertThat(
            registry
                .get("horae.host.deferrals")
                .tag("host", "http://a.example:8080")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry.get("horae.host.deferrals").tag("host", HostMetrics.OTHER).counter().count())
        .isEqualTo(1);
    assertThat(
            registry.find("horae.host.breaker.state").tag("host", "https://b.example:443").gauge())
        .isNull();
  }

  @Test
  void aUrlThatDoesNotParseIsNotGuarded() {
    HostGuard guard = guard(HostConfig.DEFAULTS, 1);

    assertThat(guard.admit("::").permit()).isSameAs(HostGuard.Permit.UNGUARDED);
    assertThat(guard.tracked()).isZero();
  }

  private HostGuard guard(HostConfig config, int concurrencyMax) {
    return new HostGuard(
        config, concurrencyMax, clock, new HostMetrics(registry, config.metricsHostsMax(), clock));
  }

  private static HostConfig config(
      int ratePerSecond, int burst, int failures, Duration openMin, int trackedMax) {
    HostConfig d = HostConfig.DEFAULTS;
    return new HostConfig(
        ratePerSecond,
        burst,
        failures,
        openMin,
        d.breakerOpenMax(),
        1,
        d.deferJitter(),
        trackedMax,
        d.idleEvictAfter(),
        d.metricsHostsMax(),
        20);
  }

  private double gauge(String name, String host) {
    return registry.get(name).tag("host", host).gauge().value();
  }
}
