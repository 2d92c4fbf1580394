package io.horae.chaos.check;

import io.horae.chaos.check.Violation.Kind;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** (e) After healing, at least two replicas reported a state digest, and all are identical. */
final class DigestCheck implements Check {
  static final int REPLICAS_MIN = 2;

  @Override
  public List<Violation> check(CheckInput in) {
    Map<String, String> digests = in.finalState().digests();
    long at = in.history().endMs();
    if (digests.size() < REPLICAS_MIN) {
      return List.of(
          Violation.of(
              Kind.TOO_FEW_DIGESTS,
              "cluster",
              at,
              "only "
                  + digests.size()
                  + " replica digest(s) in the final state, need "
                  + REPLICAS_MIN
                  + ": "
                  + digests));
    }
    if (new TreeSet<>(digests.values()).size() > 1) {
      return List.of(
          Violation.of(Kind.DIGEST_MISMATCH, "cluster", at, "replica digests differ: " + digests));
    }
    return List.of();
  }
}
