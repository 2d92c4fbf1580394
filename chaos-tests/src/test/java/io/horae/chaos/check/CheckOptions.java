package io.horae.chaos.check;

/**
 * The checker's parameters, all in milliseconds (see docs/chaos.md for each rule).
 *
 * @param settleMarginMs an execution is due when scheduled at or before end - this margin
 * @param attemptClockToleranceMs how far before its scheduled time an attempt stamped by its sender
 *     (X-Horae-Attempt-Time) may start; 0 because sender and test share the machine's clock
 * @param receivedClockToleranceMs the same when only the arrival time is logged
 * @param leaseWindowMs how long before the first copy a fault of its sender still explains a second
 *     copy: the sender may have been cut off up to one lease before it sent
 * @param inflightToleranceMs how long after a cancel's or delete's ok an attempt may still start
 * @param misfireGraceMs the server's exec.misfireGrace: occurrences of a recurring job missed by
 *     more than this may be coalesced into a later one; 0 turns the excuse off
 * @param nearbyMs nemesis events within this of a violation are listed with it
 */
public record CheckOptions(
    long settleMarginMs,
    long attemptClockToleranceMs,
    long receivedClockToleranceMs,
    long leaseWindowMs,
    long inflightToleranceMs,
    long misfireGraceMs,
    long nearbyMs) {
  public static final long SETTLE_MARGIN_MS_DEFAULT = 10_000;
  public static final long LEASE_WINDOW_MS_DEFAULT = 2_000;
  public static final long MISFIRE_GRACE_MS_DEFAULT = 60_000;
  public static final long NEARBY_MS_DEFAULT = 5_000;

  public CheckOptions {
    if (settleMarginMs < 0
        || attemptClockToleranceMs < 0
        || receivedClockToleranceMs < 0
        || leaseWindowMs < 0
        || inflightToleranceMs < 0
        || misfireGraceMs < 0
        || nearbyMs < 0) {
      throw new IllegalArgumentException("check options must not be negative: " + this);
    }
  }

  public static CheckOptions defaults() {
    return new CheckOptions(
        SETTLE_MARGIN_MS_DEFAULT,
        0,
        0,
        LEASE_WINDOW_MS_DEFAULT,
        0,
        MISFIRE_GRACE_MS_DEFAULT,
        NEARBY_MS_DEFAULT);
  }

  public CheckOptions withSettleMarginMs(long ms) {
    return new CheckOptions(
        ms,
        attemptClockToleranceMs,
        receivedClockToleranceMs,
        leaseWindowMs,
        inflightToleranceMs,
        misfireGraceMs,
        nearbyMs);
  }

  public CheckOptions withLeaseWindowMs(long ms) {
    return new CheckOptions(
        settleMarginMs,
        attemptClockToleranceMs,
        receivedClockToleranceMs,
        ms,
        inflightToleranceMs,
        misfireGraceMs,
        nearbyMs);
  }

  public CheckOptions withInflightToleranceMs(long ms) {
    return new CheckOptions(
        settleMarginMs,
        attemptClockToleranceMs,
        receivedClockToleranceMs,
        leaseWindowMs,
        ms,
        misfireGraceMs,
        nearbyMs);
  }

  public CheckOptions withMisfireGraceMs(long ms) {
    return new CheckOptions(
        settleMarginMs,
        attemptClockToleranceMs,
        receivedClockToleranceMs,
        leaseWindowMs,
        inflightToleranceMs,
        ms,
        nearbyMs);
  }

  public CheckOptions withClockToleranceMs(long attemptMs, long receivedMs) {
    return new CheckOptions(
        settleMarginMs,
        attemptMs,
        receivedMs,
        leaseWindowMs,
        inflightToleranceMs,
        misfireGraceMs,
        nearbyMs);
  }
}
