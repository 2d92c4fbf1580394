package io.horae.server.api;

import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import io.horae.statemachine.core.schedule.Violation;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The request id of a create, delete, update or manual run, which makes a repeat of the call answer
 * with the first result (RequestRecord, docs/api.md "Repeating a call").
 *
 * <p>When the caller gives none, the API makes one: the caller cannot repeat that call with it, but
 * the log may still hold the op twice (a leader that stepped down refused an entry it had appended,
 * and the proposer sent it again), and the second copy is then answered from the record too. Such
 * an id is remembered for {@link #GENERATED_TTL}, long enough for any copy of its entry to commit,
 * instead of the day a caller's id is kept.
 */
final class RequestIds {
  /** How long an id the API made is remembered: the entry's copies commit within seconds. */
  static final Duration GENERATED_TTL = Duration.ofMinutes(10);

  /**
   * Least time a recorded request id must still live for a repeat to skip the checks that depend on
   * the time or on the job's state now: apply, moments later, answers from the record.
   */
  static final long REPEAT_MARGIN_MILLIS = 60_000;

  private RequestIds() {}

  /** A violation of field {@code request_id} when the id is too long; empty otherwise. */
  static List<Violation> check(String requestId) {
    if (requestId.length() > JobValidator.REQUEST_ID_CHARS_MAX) {
      return List.of(
          new Violation(
              "request_id",
              "must be at most " + JobValidator.REQUEST_ID_CHARS_MAX + " characters"));
    }
    return List.of();
  }

  /** The caller's id and how long it is kept, or a new id kept {@link #GENERATED_TTL}. */
  static Chosen choose(String requestId, Duration ttl) {
    if (requestId.isEmpty()) {
      Duration kept = ttl.compareTo(GENERATED_TTL) < 0 ? ttl : GENERATED_TTL;
      return new Chosen(UUID.randomUUID().toString(), kept.toMillis());
    }
    return new Chosen(requestId, ttl.toMillis());
  }

  /**
   * The request id of a delete, update or manual run: none while some member applies an older
   * version that would not record it (docs/architecture.md, "Apply versions").
   */
  static Chosen forOp(io.horae.server.raft.Proposer proposer, String requested, Duration ttl) {
    return proposer.allows(io.horae.statemachine.core.OpVersions.REQUEST_IDS)
        ? choose(requested, ttl)
        : Chosen.NONE;
  }

  /** An id for the op and how long apply keeps its record. */
  record Chosen(String id, long expiryMs) {
    /** No id: an op that some member's apply version would not record. */
    static final Chosen NONE = new Chosen("", 0);
  }

  /**
   * This replica holds a record of the id that lives at least {@link #REPEAT_MARGIN_MILLIS} more.
   */
  static boolean recorded(StoreReader local, String ns, String requestId, long now) {
    if (requestId.isEmpty()) {
      return false;
    }
    byte[] bytes = local.get(Family.REQUESTS, Keys.request(ns, requestId));
    try {
      return bytes != null
          && io.horae.internal.v1.RequestRecord.parseFrom(bytes).getExpiresMs()
              > now + REPEAT_MARGIN_MILLIS;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "request record of " + ns + "/" + requestId + " does not parse", e);
    }
  }
}
