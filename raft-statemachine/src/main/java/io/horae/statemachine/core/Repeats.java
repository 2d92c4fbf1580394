package io.horae.statemachine.core;

import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.RequestRecord;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers a repeated delete, update or manual run with its first result. Such an op carries a
 * request id (the client's, or one the API made); the first time it applies and changes the state,
 * its result is recorded under the id until the op's time plus its request expiry. A repeat of the
 * id within that time, for the same op on the same job, gets the recorded result and changes
 * nothing.
 *
 * <p>Repeats come from two places: a client that sends its call again after losing the answer
 * (UNAVAILABLE, a deadline), and the log itself, which may hold one entry twice when a leader
 * refused an entry it had already appended and the proposer sent it again. Without the record, the
 * second copy of a delete reported NOT_FOUND for a job it had deleted, and the second copy of a
 * manual run started a second run.
 *
 * <p>A rejection is not recorded: it changed nothing, and a repeat is judged again on the state it
 * finds.
 */
final class Repeats {
  private Repeats() {}

  /**
   * @param what the op and its job, "{@code <kind> <namespace>/<name>}": the id names one op
   * @param apply applies the op; called only when the id is not recorded
   */
  static OpResult once(
      State state,
      String namespace,
      String requestId,
      String what,
      long nowMs,
      long expiryMs,
      Supplier<OpResult> apply) {
    if (requestId.isEmpty()) {
      return apply.get();
    }
    state.expireRequests(nowMs, JobOps.EXPIRED_REQUESTS_PER_CREATE);
    Optional<RequestRecord> earlier = state.request(namespace, requestId);
    if (earlier.isPresent() && earlier.get().getExpiresMs() > nowMs) {
      if (!earlier.get().getOp().equals(what)) {
        return reused(earlier.get(), namespace, what);
      }
      return earlier.get().getResult();
    }
    OpResult result = apply.get();
    if (!result.hasRejection()) {
      state.putRequest(
          namespace,
          requestId,
          RequestRecord.newBuilder()
              .setExpiresMs(nowMs + expiryMs)
              .setOp(what)
              .setResult(result)
              .build());
    }
    return result;
  }

  /** The rejection of an id that was first used for another op (a create, or another job). */
  static OpResult reused(RequestRecord earlier, String namespace, String what) {
    String first =
        earlier.getOp().isEmpty()
            ? "create " + ExecutionIds.jobKey(namespace, earlier.getJob().getName())
            : earlier.getOp();
    return Results.reject(
        RejectCode.REJECT_REQUEST_REUSED,
        "request id was first used for "
            + first
            + ", not "
            + what
            + "; use a new request id for another request");
  }

  static String what(String kind, String namespace, String name) {
    return kind + " " + ExecutionIds.jobKey(namespace, name);
  }
}
