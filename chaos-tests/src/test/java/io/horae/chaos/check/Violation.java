package io.horae.chaos.check;

import java.util.List;

/**
 * One broken guarantee.
 *
 * @param subject the execution id or job it concerns ("cluster" for digests)
 * @param atMs the time it is about (a scheduled time, an attempt, an ack), to find nearby faults
 * @param nearby nemesis events within the report's window of {@code atMs}
 */
public record Violation(
    Kind kind, String subject, String explanation, long atMs, List<Event> nearby) {
  /** What guarantee was broken; the letter is the check in docs/chaos.md. */
  public enum Kind {
    LOST_CREATE, // a
    MISSING_DELIVERY, // b
    EARLY_DELIVERY, // b
    DUPLICATE_NEW_KEY, // c
    DUPLICATE_WITHOUT_FAULT, // c
    DELIVERY_AFTER_CANCEL, // d
    DELIVERY_AFTER_DELETE, // d
    DIGEST_MISMATCH, // e
    TOO_FEW_DIGESTS, // e
    OLD_SCHEDULE_AFTER_UPDATE, // f
    MISSING_MANUAL_RUN, // f
    CHAIN_WITHOUT_SUCCESS, // g
    MISSING_CHAIN_RUN // g
  }

  public Violation {
    nearby = List.copyOf(nearby);
  }

  static Violation of(Kind kind, String subject, long atMs, String explanation) {
    return new Violation(kind, subject, explanation, atMs, List.of());
  }

  Violation withNearby(List<Event> events) {
    return new Violation(kind, subject, explanation, atMs, events);
  }
}
