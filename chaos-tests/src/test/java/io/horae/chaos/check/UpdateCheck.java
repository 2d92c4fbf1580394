package io.horae.chaos.check;

import io.horae.chaos.check.Violation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * (f) Updates and manual runs. No occurrence of the old schedule starts after an acknowledged
 * update: an occurrence delivered with a scheduled time after the update's ok (plus the in-flight
 * tolerance), started after it, and not on the new schedule's grid is a violation, until the next
 * update of the job that may have happened. And every acknowledged manual run is delivered, unless
 * the cluster reports it SKIPPED (its overlap policy) or CANCELLED, or a delete of its job may have
 * happened.
 */
final class UpdateCheck implements Check {
  @Override
  public List<Violation> check(CheckInput in) {
    List<Violation> out = new ArrayList<>();
    long tolerance = in.options().inflightToleranceMs();
    for (Op update : in.clientOps("update")) {
      if (!update.ok()) {
        continue;
      }
      ScheduleSpec s = update.invoke().schedule();
      long until =
          in.opsOn("update", update.job()).stream()
              .filter(o -> o.mayHaveHappened() && o.invokeMs() > update.invokeMs())
              .mapToLong(Op::invokeMs)
              .min()
              .orElse(Long.MAX_VALUE);
      for (Map.Entry<ExecutionKey, List<Delivery>> group : in.byExecution().entrySet()) {
        ExecutionKey e = group.getKey();
        if (!e.job().equals(update.job())
            || !e.scheduled()
            || e.scheduledMs() <= update.doneMs() + tolerance
            || e.scheduledMs() >= until) {
          continue;
        }
        boolean onNewGrid = Math.floorMod(e.scheduledMs() - s.anchorMs(), s.everyMs()) == 0;
        Delivery first = group.getValue().get(0);
        if (!onNewGrid && first.startMs() > update.doneMs() + tolerance) {
          out.add(
              Violation.of(
                  Kind.OLD_SCHEDULE_AFTER_UPDATE,
                  e.toString(),
                  first.startMs(),
                  "occurrence "
                      + e
                      + " is not on the new grid (every "
                      + s.everyMs()
                      + " ms from "
                      + s.anchorMs()
                      + ") of the update acknowledged at "
                      + update.doneMs()
                      + ", yet "
                      + first
                      + " started after it"));
        }
      }
    }
    for (Op trigger : in.clientOps("trigger")) {
      if (!trigger.ok() || trigger.completion().execution() == null) {
        continue;
      }
      String id = trigger.completion().execution();
      ExecutionKey e = ExecutionKey.parse(id);
      if (e.scheduledMs() > in.dueLimitMs() || !in.deliveriesOf(e).isEmpty()) {
        continue;
      }
      boolean decided =
          in.finalState().executions().stream()
              .anyMatch(
                  x ->
                      x.id().equals(id)
                          && ("SKIPPED".equalsIgnoreCase(x.status())
                              || "CANCELLED".equalsIgnoreCase(x.status())));
      boolean deleted =
          in.opsOn("delete", e.job()).stream()
              .anyMatch(d -> d.mayHaveHappened() && d.latestEffectMs() >= trigger.invokeMs());
      if (!decided && !deleted) {
        out.add(
            Violation.of(
                Kind.MISSING_MANUAL_RUN,
                id,
                e.scheduledMs(),
                "manual run "
                    + id
                    + " acknowledged at "
                    + trigger.doneMs()
                    + " never reached the receiver and the cluster does not report it SKIPPED"));
      }
    }
    return out;
  }
}
