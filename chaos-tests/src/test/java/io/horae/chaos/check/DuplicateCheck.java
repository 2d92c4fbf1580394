package io.horae.chaos.check;

import io.horae.chaos.check.Violation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * (c) Second deliveries. Requests are grouped by execution (job and scheduled time, not by key). A
 * request after one the receiver accepted (2xx, or status not logged) is a duplicate; one after
 * only refused requests is a retry. Within a group:
 *
 * <ul>
 *   <li>every request must carry the same Idempotency-Key, else DUPLICATE_NEW_KEY (once per
 *       execution);
 *   <li>each duplicate needs a fault of the first accepted copy's sender (crash, pause, partition,
 *       wipe) at some time in [first copy's start - lease window, duplicate's start], else
 *       DUPLICATE_WITHOUT_FAULT: only an owner that died or was cut off while its request was in
 *       flight lets another node deliver again.
 * </ul>
 */
final class DuplicateCheck implements Check {
  @Override
  public List<Violation> check(CheckInput in) {
    List<Violation> out = new ArrayList<>();
    for (Map.Entry<ExecutionKey, List<Delivery>> group : in.byExecution().entrySet()) {
      List<Delivery> copies = group.getValue();
      if (copies.size() < 2) {
        continue;
      }
      String id = group.getKey().toString();
      TreeSet<String> keys = new TreeSet<>();
      copies.forEach(d -> keys.add(d.idempotencyKey()));
      if (keys.size() > 1) {
        out.add(
            Violation.of(
                Kind.DUPLICATE_NEW_KEY,
                id,
                copies.get(1).startMs(),
                copies.size()
                    + " requests for "
                    + id
                    + " carry different idempotency keys "
                    + keys));
      }
      Delivery first = null;
      for (Delivery d : copies) {
        if (first == null) {
          first = d.accepted() ? d : null;
          continue;
        }
        long from = first.startMs() - in.options().leaseWindowMs();
        if (!in.faults().faultyDuring(first.node(), from, d.startMs())) {
          out.add(
              Violation.of(
                  Kind.DUPLICATE_WITHOUT_FAULT,
                  id,
                  d.startMs(),
                  "second copy "
                      + d
                      + " after first copy "
                      + first
                      + ", but its sender "
                      + first.node()
                      + " had no fault in ["
                      + from
                      + ", "
                      + d.startMs()
                      + "] (lease window "
                      + in.options().leaseWindowMs()
                      + " ms)"));
        }
      }
    }
    return out;
  }

  /** How many requests were duplicates: after an accepted copy of the same execution. */
  static int count(CheckInput in) {
    int n = 0;
    for (List<Delivery> copies : in.byExecution().values()) {
      boolean accepted = false;
      for (Delivery d : copies) {
        if (accepted) {
          n++;
        }
        accepted |= d.accepted();
      }
    }
    return n;
  }
}
