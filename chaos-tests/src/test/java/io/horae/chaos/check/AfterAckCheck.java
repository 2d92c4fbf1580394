package io.horae.chaos.check;

import io.horae.chaos.check.Violation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * (d) Nothing starts after an acknowledged cancel of its execution or delete of its job: an attempt
 * starting later than the ok plus {@code inflightToleranceMs} is a violation; one that started
 * before the ok was in flight and is fine. Unknown-outcome cancels and deletes prove nothing. A
 * delete covers the job's attempts until the next create of the same job is invoked.
 */
final class AfterAckCheck implements Check {
  @Override
  public List<Violation> check(CheckInput in) {
    List<Violation> out = new ArrayList<>();
    long tolerance = in.options().inflightToleranceMs();
    for (Op cancel : in.clientOps("cancel")) {
      if (!cancel.ok()) {
        continue;
      }
      ExecutionKey e = ExecutionKey.parse(cancel.invoke().execution());
      for (Delivery d : in.deliveriesOf(e)) {
        if (d.startMs() > cancel.doneMs() + tolerance) {
          out.add(
              Violation.of(
                  Kind.DELIVERY_AFTER_CANCEL,
                  e.toString(),
                  d.startMs(),
                  "attempt "
                      + d
                      + " started "
                      + (d.startMs() - cancel.doneMs())
                      + " ms after the cancel by "
                      + cancel.process()
                      + " was acknowledged at "
                      + cancel.doneMs()));
        }
      }
    }
    for (Op delete : in.clientOps("delete")) {
      if (!delete.ok()) {
        continue;
      }
      String job = delete.job();
      long until =
          in.opsOn("create", job).stream()
              .filter(Op::mayHaveHappened)
              .mapToLong(Op::invokeMs)
              .filter(t -> t >= delete.invokeMs())
              .min()
              .orElse(Long.MAX_VALUE);
      for (Map.Entry<ExecutionKey, List<Delivery>> group : in.byExecution().entrySet()) {
        if (!group.getKey().job().equals(job)) {
          continue;
        }
        for (Delivery d : group.getValue()) {
          if (d.startMs() > delete.doneMs() + tolerance && d.startMs() < until) {
            out.add(
                Violation.of(
                    Kind.DELIVERY_AFTER_DELETE,
                    group.getKey().toString(),
                    d.startMs(),
                    "attempt "
                        + d
                        + " started "
                        + (d.startMs() - delete.doneMs())
                        + " ms after the delete of "
                        + job
                        + " was acknowledged at "
                        + delete.doneMs()));
          }
        }
      }
    }
    return out;
  }
}
