package io.horae.server.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.Optional;
import okhttp3.Connection;
import okhttp3.Dns;
import okhttp3.Interceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook target guard (docs/security.md): a node delivers only to public addresses and to what
 * its allowlist names. It is checked three times. At create, an IP-literal host is refused at the
 * edge ({@link #refusedAtCreate}). At connect, OkHttp resolves names through {@link #dns}, which
 * returns only checked addresses, and a literal host, which OkHttp never hands to its Dns, is
 * checked by {@link #literalCheck} before any connection is made. Last, {@link #connectedCheck}
 * looks at the address the connection really reached before a byte of the request is written: a
 * path nobody thought of (a pooled or coalesced connection) cannot send either.
 *
 * <p>Every refusal counts in {@value #REFUSED_METRIC}, tagged by reason class and stage, never by
 * URL. Thread-safe.
 */
public final class TargetGuard {
  public static final String REFUSED_METRIC = "horae.webhook.target.refused";

  /** The reason tag of a host an HTTP client reads as an address that is no plain literal. */
  public static final String MALFORMED = "malformed";

  private static final Logger LOG = LoggerFactory.getLogger(TargetGuard.class);
  private static final String RULE = "; not in this node's webhook.targetAllow";

  private final TargetAllowlist allow;
  private final Dns resolver;
  private final MeterRegistry registry;

  /**
   * @param resolver where names are resolved ({@link Dns#SYSTEM} in a node; tests map test names to
   *     loopback addresses so that no packet leaves the machine)
   */
  public TargetGuard(TargetAllowlist allow, Dns resolver, MeterRegistry registry) {
    this.allow = allow;
    this.resolver = resolver;
    this.registry = registry;
  }

  /**
   * Why a connection to {@code address} for a URL naming {@code host} is refused; null if allowed.
   */
  AddressClass refusal(String host, InetAddress address) {
    AddressClass c = AddressClassifier.classify(address);
    return c == AddressClass.PUBLIC || allow.allows(host, address) ? null : c;
  }

  /**
   * At create: why a URL with this host (as OkHttp canonicalises it) is refused, for a field
   * violation; empty for a host name (checked when connecting) and for an allowed address.
   */
  public Optional<String> refusedAtCreate(String host) {
    if (!IpLiterals.takenAsAddress(host)) {
      return Optional.empty();
    }
    Optional<InetAddress> address = IpLiterals.parse(host);
    if (address.isEmpty()) {
      count(MALFORMED, "create");
      return Optional.of(
          "host "
              + host
              + " is read as an IP address but is no plain one; give a dotted quad, an IPv6 address in brackets, or a name");
    }
    AddressClass c = refusal(host, address.get());
    if (c == null) {
      return Optional.empty();
    }
    count(c.tag(), "create");
    return Optional.of(
        "host "
            + host
            + " is "
            + c.described()
            + ", which this node does not deliver to"
            + RULE
            + " (docs/security.md)");
  }

  /** The OkHttp {@code Dns} that resolves through this guard. */
  public Dns dns() {
    return new GuardedDns(this, resolver);
  }

  /**
   * An application interceptor refusing, before any connection, a URL whose host OkHttp reads as an
   * address: OkHttp connects to such a host without asking its Dns.
   */
  public Interceptor literalCheck() {
    return chain -> {
      String host = chain.request().url().host();
      if (IpLiterals.takenAsAddress(host)) {
        Optional<InetAddress> address = IpLiterals.parse(host);
        if (address.isEmpty()) {
          throw refused(MALFORMED, host + " is no plain IP address");
        }
        AddressClass c = refusal(host, address.get());
        if (c != null) {
          throw refused(c.tag(), host + " is " + c.described());
        }
      }
      return chain.proceed(chain.request());
    };
  }

  /**
   * A network interceptor checking the address the connection actually reached, before the request
   * is written. The checks before connecting make this refuse nothing; it is the last line.
   */
  public Interceptor connectedCheck() {
    return chain -> {
      Connection connection = chain.connection();
      if (connection != null) {
        String host = chain.request().url().host();
        AddressClass c = refusal(host, connection.route().socketAddress().getAddress());
        if (c != null) {
          throw refused(c.tag(), host + " is connected to " + c.described());
        }
      }
      return chain.proceed(chain.request());
    };
  }

  /**
   * Counts a refusal at connect time and makes its exception; {@code what} holds no address of a
   * name.
   */
  TargetRefusedException refused(String reason, String what) {
    count(reason, "connect");
    LOG.debug("webhook target refused reason={} {}", reason, what);
    return new TargetRefusedException(reason, "target refused: " + what + RULE);
  }

  private void count(String reason, String stage) {
    Counter.builder(REFUSED_METRIC)
        .description(
            "webhook targets refused by the target guard, by address class and stage (create, connect)")
        .tag("reason", reason)
        .tag("stage", stage)
        .register(registry)
        .increment();
  }
}
