package io.horae.chaos.check;

import io.horae.chaos.check.Violation.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * (b) No attempt starts before its execution's scheduled time. The start is the sender's
 * X-Horae-Attempt-Time when logged (tolerance {@code attemptClockToleranceMs}, default 0: the nodes
 * and the test share the machine's clock), else the arrival time (tolerance {@code
 * receivedClockToleranceMs}); arrival is after sending, so it can only hide early starts.
 */
final class EarlyDeliveryCheck implements Check {
  @Override
  public List<Violation> check(CheckInput in) {
    List<Violation> out = new ArrayList<>();
    for (Delivery d : in.deliveries()) {
      long tolerance =
          d.attemptTimeMs() != null
              ? in.options().attemptClockToleranceMs()
              : in.options().receivedClockToleranceMs();
      long scheduled = d.execution().scheduledMs();
      if (d.startMs() < scheduled - tolerance) {
        out.add(
            Violation.of(
                Kind.EARLY_DELIVERY,
                d.execution().toString(),
                d.startMs(),
                "attempt "
                    + d
                    + " started "
                    + (scheduled - d.startMs())
                    + " ms before its scheduled time "
                    + scheduled
                    + " (tolerance "
                    + tolerance
                    + " ms)"));
      }
    }
    return out;
  }
}
