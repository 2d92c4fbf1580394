package io.horae.server.raft;

import io.horae.internal.v1.Op;
import io.horae.statemachine.core.OpVersions;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps an op kind out of the log until every voting member knows it (docs/architecture.md, "Apply
 * versions"). A node that met an op kind it does not know would have to stop (skipping it would
 * diverge), so during a rolling upgrade the new kinds wait until the last member runs the new
 * version.
 *
 * <p>The members' versions come with the leader's report acks ({@link #learned}); the leader fills
 * in members that have not reported to it from what it learned before it led. Ops every version
 * knows pass without a look.
 */
public final class ApplyVersionGate {
  private final Supplier<? extends Collection<String>> voters;
  private volatile Map<String, Integer> versions = Map.of();

  /**
   * @param voters the voting members now (the Raft configuration)
   */
  public ApplyVersionGate(Supplier<? extends Collection<String>> voters) {
    this.voters = voters;
  }

  /** The members' versions from the latest report ack. */
  public void learned(Map<String, Integer> memberVersions) {
    versions = Map.copyOf(memberVersions);
  }

  /** What this node last learned, for the leader to fill in members not yet heard. */
  public Map<String, Integer> known() {
    return versions;
  }

  /**
   * True when every voting member is known to run apply version {@code required} or newer: an
   * optional field of that version (a request id) may go into ops; otherwise they go without it.
   */
  public boolean allows(int required) {
    if (required <= OpVersions.OLDEST) {
      return true;
    }
    Map<String, Integer> known = versions;
    for (String id : voters.get()) {
      Integer v = known.get(id);
      if (v == null || v < required) {
        return false;
      }
    }
    return true;
  }

  /** Throws when the op must not be proposed yet; returns for every op all versions know. */
  public void check(Op op) {
    int required = OpVersions.required(op);
    if (required <= OpVersions.OLDEST) {
      return;
    }
    Map<String, Integer> known = versions;
    Optional<String> unknown = Optional.empty();
    for (String id : voters.get().stream().sorted().toList()) {
      Integer v = known.get(id);
      if (v == null) {
        unknown = unknown.or(() -> Optional.of(id));
      } else if (v < required) {
        throw new ApplyVersionException(op.getKindCase(), required, id, v, false);
      }
    }
    if (unknown.isPresent()) {
      throw new ApplyVersionException(op.getKindCase(), required, unknown.get(), 0, true);
    }
  }
}
