package io.horae.server.node;

import java.util.OptionalLong;

/**
 * Which lease reports may go now (docs/failover.md, "Lease"): at most {@code max} on their way to
 * one leader at a time. With one at a time, an answer slower than one heartbeat held the next
 * report back until the lease lapsed (a report every 250 ms and a lease of 750 ms from its sending:
 * any answer over 250 ms left a gap); with a lease's worth of heartbeats in flight only an answer
 * slower than the lease minus one heartbeat does. Reports still waiting on a leader that lost
 * office hold back nothing of the next one. Thread-safe.
 */
final class ReportWindow {
  private final int max;
  private String to;
  private long generation;
  private int inFlight;

  ReportWindow(int max) {
    this.max = Math.max(1, max);
  }

  /** A lease's worth of heartbeats: {@code ceil(lease / heartbeat)}. */
  static int forLease(long leaseNanos, long heartbeatNanos) {
    return (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(leaseNanos, heartbeatNanos));
  }

  /**
   * Takes a place for a report to {@code leader}: the place's token, to give back with {@link
   * #arrived}, or empty when {@code max} reports to it are on their way.
   */
  synchronized OptionalLong start(String leader) {
    if (!leader.equals(to)) {
      to = leader;
      generation++;
      inFlight = 0;
    }
    if (inFlight >= max) {
      return OptionalLong.empty();
    }
    inFlight++;
    return OptionalLong.of(generation);
  }

  /** The report of {@code token} was answered or failed. */
  synchronized void arrived(long token) {
    if (token == generation && inFlight > 0) {
      inFlight--;
    }
  }

  /** Forgets every report on its way (after a failure to send): the next one starts afresh. */
  synchronized void reset() {
    to = null;
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
