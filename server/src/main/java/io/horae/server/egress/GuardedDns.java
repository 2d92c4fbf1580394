package io.horae.server.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Dns;

/**
 * Resolves a target's host name and hands OkHttp only the addresses the guard allows. OkHttp then
 * connects to exactly those objects and resolves nothing again, so a name cannot pass the check
 * with one answer and connect with another (no DNS-rebinding window). Denied answers are dropped;
 * when none is left the lookup fails with {@link TargetRefusedException}.
 */
final class GuardedDns implements Dns {
  private final TargetGuard guard;
  private final Dns resolver;

  GuardedDns(TargetGuard guard, Dns resolver) {
    this.guard = guard;
    this.resolver = resolver;
  }

  @Override
  public List<InetAddress> lookup(String host) throws UnknownHostException {
    List<InetAddress> all = resolver.lookup(host);
    List<InetAddress> allowed = new ArrayList<>(all.size());
    AddressClass denied = null;
    for (InetAddress a : all) {
      AddressClass refusal = guard.refusal(host, a);
      if (refusal == null) {
        allowed.add(a);
      } else if (denied == null) {
        denied = refusal;
      }
    }
    if (allowed.isEmpty() && denied != null) {
      throw guard.refused(denied.tag(), host + " resolves to " + denied.described());
    }
    return allowed;
  }
}
