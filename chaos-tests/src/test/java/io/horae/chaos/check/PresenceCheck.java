package io.horae.chaos.check;

import io.horae.chaos.check.Violation.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * (a) An acknowledged create survives: its job is in the final state, or an execution of it is (a
 * one-shot that completed; for a one-shot, the execution at its {@code at_ms}). A create is exempt
 * when a delete of the job that may have happened may have taken effect after it (an ok or unknown
 * delete whose ack, if any, is not before the create's invoke).
 */
final class PresenceCheck implements Check {
  @Override
  public List<Violation> check(CheckInput in) {
    List<Violation> out = new ArrayList<>();
    for (Op create : in.clientOps("create")) {
      if (!create.ok() || deletedLater(in, create) || present(in.finalState(), create)) {
        continue;
      }
      out.add(
          Violation.of(
              Kind.LOST_CREATE,
              create.job(),
              create.doneMs(),
              "create of "
                  + create.job()
                  + " acknowledged at "
                  + create.doneMs()
                  + " by "
                  + create.process()
                  + " but neither the job nor an execution of it is in the final state"));
    }
    return out;
  }

  static boolean deletedLater(CheckInput in, Op create) {
    return in.opsOn("delete", create.job()).stream()
        .anyMatch(d -> d.mayHaveHappened() && d.latestEffectMs() >= create.invokeMs());
  }

  private static boolean present(FinalState state, Op create) {
    String job = create.job();
    if (state.jobs().stream().anyMatch(j -> j.job().equals(job))) {
      return true;
    }
    ScheduleSpec s = create.invoke().schedule();
    if (s != null && s.oneShot()) {
      String id = new ExecutionKey(job, s.atMs()).toString();
      return state.executions().stream().anyMatch(e -> e.id().equals(id));
    }
    return state.executions().stream().anyMatch(e -> e.job().equals(job));
  }
}
