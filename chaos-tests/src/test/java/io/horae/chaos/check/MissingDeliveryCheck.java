package io.horae.chaos.check;

import io.horae.chaos.check.Violation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * (b) Every due execution of an acknowledged create was delivered at least once: some request for
 * its job and scheduled time reached the receiver. Due means scheduled at or before the run's end
 * minus the settle margin.
 *
 * <p>Which executions a create made: a one-shot, its {@code at_ms}. A recurring job starts at the
 * first grid point at or after its creation, which happened somewhere between the create's invoke
 * and ok; grid points from the ok on are expected, earlier ones only when the final state lists
 * them. {@code max_fires} caps the count from the earliest possible first occurrence (so the cap
 * never expects too much).
 *
 * <p>Excused: an execution a cancel (of it), delete or pause (of its job) that may have happened
 * was invoked before it was due (a pause lets the occurrence already created run, so it may or may
 * not come); an overdue one a delete that may have happened cancelled (the final state says
 * CANCELLED); an occurrence of a job a pause, delete or update may have stopped or moved that was
 * never created (absent from the final state: a recurring job's next occurrence is created when the
 * previous one ends, so a late chain head and a pause leave later grid points uncreated, and an
 * update that finds the late head still live puts the chain on its new grid after it); one a cancel
 * that may have happened and the final state reports as cancelled (the cancel beat a late
 * delivery); and, for recurring jobs, one the server may have coalesced into a later occurrence
 * after a long stall (see {@link #coalesced}).
 */
final class MissingDeliveryCheck implements Check {
  @Override
  public List<Violation> check(CheckInput in) {
    List<Violation> out = new ArrayList<>();
    for (Op create : in.clientOps("create")) {
      if (!create.ok() || create.invoke().schedule() == null) {
        continue;
      }
      for (ExecutionKey e : expected(in, create)) {
        if (in.deliveriesOf(e).isEmpty() && !excused(in, create, e)) {
          out.add(
              Violation.of(
                  Kind.MISSING_DELIVERY,
                  e.toString(),
                  e.scheduledMs(),
                  "execution "
                      + e
                      + " of the create acknowledged at "
                      + create.doneMs()
                      + " was due (end "
                      + in.history().endMs()
                      + " - settle "
                      + in.options().settleMarginMs()
                      + " ms) but never reached the receiver; "
                      + finalWord(in, e.toString())));
        }
      }
    }
    return out;
  }

  /** The due executions of one create, in scheduled order. */
  static TreeSet<ExecutionKey> expected(CheckInput in, Op create) {
    ScheduleSpec s = create.invoke().schedule();
    String job = create.job();
    long limit = in.dueLimitMs();
    TreeSet<ExecutionKey> out = new TreeSet<>();
    if (s.oneShot()) {
      if (s.atMs() <= limit) {
        out.add(new ExecutionKey(job, s.atMs()));
      }
      return out;
    }
    long earliestFirst = s.firstGridAtOrAfter(create.invokeMs());
    long last =
        s.maxFires() == 0 ? Long.MAX_VALUE : earliestFirst + (s.maxFires() - 1) * s.everyMs();
    long upTo = Math.min(limit, last);
    for (long t = s.firstGridAtOrAfter(create.doneMs()); t <= upTo; t += s.everyMs()) {
      out.add(new ExecutionKey(job, t));
    }
    for (FinalState.Execution fe : in.finalState().executions()) {
      long t = fe.scheduledMs();
      boolean onGrid = Math.floorMod(t - s.anchorMs(), s.everyMs()) == 0;
      if (fe.job().equals(job)
          && ExecutionKey.parse(fe.id()).scheduled()
          && onGrid
          && t >= earliestFirst
          && t <= upTo) {
        out.add(new ExecutionKey(job, t));
      }
    }
    return out;
  }

  private static boolean excused(CheckInput in, Op create, ExecutionKey e) {
    String id = e.toString();
    boolean cancelledBefore =
        in.opsOn("cancel", e.job()).stream()
            .filter(c -> id.equals(c.invoke().execution()) && c.mayHaveHappened())
            .anyMatch(c -> c.invokeMs() <= e.scheduledMs() || reportedCancelled(in, id));
    // A delete cancels the job's pending executions, also overdue ones: one the final state
    // reports cancelled lost the race to the delete (like a cancel that beat a late delivery).
    // Like a pause, it also ends a late chain: an occurrence never created (absent) is excused.
    boolean deletedBefore =
        in.opsOn("delete", e.job()).stream()
            .anyMatch(
                d ->
                    d.mayHaveHappened()
                        && (d.invokeMs() <= e.scheduledMs()
                            || reportedCancelled(in, id)
                            || !existsFinally(in, id))
                        && d.latestEffectMs() >= create.invokeMs());
    // A pause stops the job's chain: an occurrence not created yet when it was paused (the final
    // state has no such execution) is never created, even one whose time had come.
    boolean pausedBefore =
        in.opsOn("pause-job", e.job()).stream()
            .anyMatch(
                p ->
                    p.mayHaveHappened()
                        && (p.invokeMs() <= e.scheduledMs() || !existsFinally(in, id))
                        && p.latestEffectMs() >= create.invokeMs());
    // A new schedule cancels the old one's occurrence not yet due when it is applied, and the
    // chain goes on on the new grid: an old grid point after an update's invoke may never come.
    // Nor may one before it that was never created: an update that finds the chain's current
    // occurrence overdue and still live keeps it, and the new grid follows it (UpdateOps).
    boolean updatedBefore =
        in.opsOn("update", e.job()).stream()
            .anyMatch(
                u ->
                    u.mayHaveHappened()
                        && (u.invokeMs() <= e.scheduledMs() || !existsFinally(in, id))
                        && u.latestEffectMs() >= create.invokeMs());
    return cancelledBefore
        || deletedBefore
        || pausedBefore
        || updatedBefore
        || reportedSkipped(in, id)
        || coalesced(in, create, e);
  }

  /**
   * The server recorded a decision not to send it: SKIPPED, by an overlap policy (another execution
   * of the job was running) or a misfire policy (it was missed by more than the grace).
   */
  static boolean reportedSkipped(CheckInput in, String id) {
    return in.finalState().executions().stream()
        .anyMatch(x -> x.id().equals(id) && "SKIPPED".equalsIgnoreCase(x.status()));
  }

  /**
   * What the final state says of the execution, and of the job's other executions: whether it was
   * never created, is still pending, or ended without a request reaching the receiver.
   */
  private static String finalWord(CheckInput in, String id) {
    String job = ExecutionKey.jobOf(id);
    String self =
        in.finalState().executions().stream()
            .filter(x -> x.id().equals(id))
            .findFirst()
            .map(x -> "final state " + x.status() + " attempt " + x.attempt())
            .orElse("absent from the final state");
    String others =
        in.finalState().executions().stream()
            .filter(x -> x.job().equals(job) && !x.id().equals(id))
            .limit(12)
            .map(x -> afterJob(x.id()) + "=" + x.status())
            .collect(java.util.stream.Collectors.joining(", "));
    String ops =
        in.ops().stream()
            .filter(o -> !o.invoke().isNemesis() && job.equals(o.job()))
            .limit(12)
            .map(o -> o.f() + " " + o.type() + " " + o.invokeMs() + ".." + o.doneMs())
            .collect(java.util.stream.Collectors.joining(", "));
    String delivered =
        in.byExecution().entrySet().stream()
            .filter(x -> x.getKey().job().equals(job))
            .limit(12)
            .map(
                x ->
                    afterJob(x.getKey().toString())
                        + " at "
                        + x.getValue().get(0).startMs()
                        + " by "
                        + x.getValue().get(0).node()
                        + " x"
                        + x.getValue().size())
            .collect(java.util.stream.Collectors.joining(", "));
    return self
        + "; the job's other executions: "
        + (others.isEmpty() ? "none" : others)
        + "; its ops: "
        + ops
        + "; its deliveries: "
        + (delivered.isEmpty() ? "none" : delivered);
  }

  /** An execution id without its job: the scheduled time and any suffix. */
  private static String afterJob(String executionId) {
    return executionId.substring(executionId.lastIndexOf('@') + 1);
  }

  private static boolean existsFinally(CheckInput in, String id) {
    return in.finalState().executions().stream().anyMatch(x -> x.id().equals(id));
  }

  private static boolean reportedCancelled(CheckInput in, String id) {
    return in.finalState().executions().stream()
        .anyMatch(
            x ->
                x.id().equals(id)
                    && x.status() != null
                    && x.status().toUpperCase(Locale.ROOT).contains("CANCEL"));
  }

  /**
   * Whether the server may have coalesced {@code e} away: when occurrence p completes at C and the
   * next grid point p + every is more than the grace before C, every occurrence between p and the
   * latest grid point at or before C is skipped, and that one fires at once, so after C. Seen from
   * the receiver: e lies between the delivered p and the next delivered occurrence L, and L's first
   * attempt started more than the grace after p + every.
   */
  private static boolean coalesced(CheckInput in, Op create, ExecutionKey e) {
    ScheduleSpec s = create.invoke().schedule();
    long grace = in.options().misfireGraceMs();
    if (s.oneShot() || grace == 0) {
      return false;
    }
    var previous = in.byExecution().lowerEntry(e);
    while (previous != null
        && previous.getKey().job().equals(e.job())
        && !previous.getKey().scheduled()) {
      previous = in.byExecution().lowerEntry(previous.getKey());
    }
    var next = in.byExecution().higherEntry(e);
    while (next != null && next.getKey().job().equals(e.job()) && !next.getKey().scheduled()) {
      next = in.byExecution().higherEntry(next.getKey());
    }
    if (previous == null
        || next == null
        || !previous.getKey().job().equals(e.job())
        || !next.getKey().job().equals(e.job())) {
      return false;
    }
    return next.getValue().get(0).startMs() > previous.getKey().scheduledMs() + s.everyMs() + grace;
  }
}
