package io.horae.chaos.check;

import io.horae.chaos.check.Violation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * (g) Chains: a job B created to run after A runs once per success of A, under the key {@code
 * B@<A's time and suffix>.c}, and never without one. A delivered run of B whose A execution never
 * got an accepted (2xx) delivery is a violation. A success of A delivered after B's create was
 * acknowledged (plus the in-flight tolerance), which the cluster reports SUCCEEDED, must be
 * followed by B's run, unless the cluster reports that run SKIPPED (its overlap policy) or a delete
 * of A may have happened (the workload never pauses or deletes a follower).
 */
final class ChainCheck implements Check {
  @Override
  public List<Violation> check(CheckInput in) {
    List<Violation> out = new ArrayList<>();
    long tolerance = in.options().inflightToleranceMs();
    for (Op create : in.clientOps("create-after")) {
      if (!create.mayHaveHappened()) {
        continue;
      }
      String b = create.job();
      String a = create.invoke().after();
      for (Map.Entry<ExecutionKey, List<Delivery>> group : in.byExecution().entrySet()) {
        ExecutionKey run = group.getKey();
        if (!run.job().equals(b)) {
          continue;
        }
        ExecutionKey cause =
            new ExecutionKey(
                a,
                run.scheduledMs(),
                run.suffix().substring(0, run.suffix().length() - ".c".length()));
        if (in.deliveriesOf(cause).stream().noneMatch(Delivery::accepted)) {
          out.add(
              Violation.of(
                  Kind.CHAIN_WITHOUT_SUCCESS,
                  run.toString(),
                  group.getValue().get(0).startMs(),
                  "run "
                      + run
                      + " of "
                      + b
                      + " (after "
                      + a
                      + ") but "
                      + cause
                      + " was never delivered with a 2xx answer"));
        }
      }
      if (!create.ok()) {
        continue;
      }
      boolean aDeleted = in.opsOn("delete", a).stream().anyMatch(Op::mayHaveHappened);
      for (Map.Entry<ExecutionKey, List<Delivery>> group : in.byExecution().entrySet()) {
        ExecutionKey cause = group.getKey();
        if (!cause.job().equals(a) || cause.scheduledMs() > in.dueLimitMs() || aDeleted) {
          continue;
        }
        Delivery success =
            group.getValue().stream().filter(Delivery::accepted).findFirst().orElse(null);
        if (success == null
            || success.startMs() <= create.doneMs() + tolerance
            || !reported(in, cause.toString(), "SUCCEEDED")) {
          continue;
        }
        ExecutionKey run = new ExecutionKey(b, cause.scheduledMs(), cause.suffix() + ".c");
        if (in.deliveriesOf(run).isEmpty() && !reported(in, run.toString(), "SKIPPED")) {
          out.add(
              Violation.of(
                  Kind.MISSING_CHAIN_RUN,
                  run.toString(),
                  success.startMs(),
                  cause
                      + " succeeded ("
                      + success
                      + ") after "
                      + b
                      + " was created to run after "
                      + a
                      + ", but "
                      + run
                      + " never came"));
        }
      }
    }
    return out;
  }

  private static boolean reported(CheckInput in, String id, String status) {
    return in.finalState().executions().stream()
        .anyMatch(x -> x.id().equals(id) && status.equalsIgnoreCase(x.status()));
  }
}
