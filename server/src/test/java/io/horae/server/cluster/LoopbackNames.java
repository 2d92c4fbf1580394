package io.horae.server.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dns;

/**
 * A test resolver: maps test host names to loopback addresses and resolves nothing else, so a test
 * that exercises the target guard at connect time sends no packet off the machine even if the guard
 * were broken. Mapping a name to any address that is not loopback fails at once.
 */
public final class LoopbackNames implements Dns {
  private final Map<String, List<InetAddress>> names;
  private final AtomicInteger lookups = new AtomicInteger();

  public LoopbackNames(Map<String, List<String>> names) {
    this.names =
        Map.copyOf(
            names.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey,
                        e -> e.getValue().stream().map(LoopbackNames::loopback).toList())));
  }

  private static InetAddress loopback(String literal) {
    InetAddress a =
        io.horae.server.egress.IpLiterals.parse(literal)
            .orElseThrow(() -> new IllegalArgumentException(literal + " is not an IP literal"));
    if (!a.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          literal + " is not a loopback address; tests send nothing off the machine");
    }
    return a;
  }

  @Override
  public List<InetAddress> lookup(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    List<InetAddress> found = names.get(host);
    if (found == null) {
      throw new UnknownHostException(host + ": not a name this test maps");
    }
    return found;
  }

  /** How many lookups were asked for, mapped or not. */
  public int lookups() {
    return lookups.get();
  }
}
