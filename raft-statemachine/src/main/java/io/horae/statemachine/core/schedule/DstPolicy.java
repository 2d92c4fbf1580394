package io.horae.statemachine.core.schedule;

import io.horae.api.v1.Cron;

/**
 * Which instants a cron wall-clock time fires at when daylight saving skips or repeats it; from
 * {@code Cron.dst_gap} and {@code Cron.dst_overlap}, whose UNSPECIFIED values mean SHIFT and FIRST.
 *
 * @param shiftGaps a skipped time fires at the instant the clock jumps over it (SHIFT); else never
 *     that day (SKIP)
 * @param firstShowing a repeated time fires at its first showing (FIRST, BOTH)
 * @param secondShowing a repeated time fires at its second showing (LAST, BOTH)
 */
record DstPolicy(boolean shiftGaps, boolean firstShowing, boolean secondShowing) {

  /** SHIFT and FIRST: the behaviour before the policies existed. */
  static final DstPolicy DEFAULT = new DstPolicy(true, true, false);

  DstPolicy {
    if (!firstShowing && !secondShowing) {
      throw new IllegalArgumentException("a repeated time must fire at one showing at least");
    }
  }

  /**
   * @throws IllegalArgumentException for an enum value this build does not know
   */
  static DstPolicy of(Cron cron) {
    boolean shift =
        switch (cron.getDstGap()) {
          case DST_GAP_UNSPECIFIED, DST_GAP_SHIFT -> true;
          case DST_GAP_SKIP -> false;
          case UNRECOGNIZED ->
              throw new IllegalArgumentException("unknown dst_gap " + cron.getDstGapValue());
        };
    return switch (cron.getDstOverlap()) {
      case DST_OVERLAP_UNSPECIFIED, DST_OVERLAP_FIRST -> new DstPolicy(shift, true, false);
      case DST_OVERLAP_LAST -> new DstPolicy(shift, false, true);
      case DST_OVERLAP_BOTH -> new DstPolicy(shift, true, true);
      case UNRECOGNIZED ->
          throw new IllegalArgumentException("unknown dst_overlap " + cron.getDstOverlapValue());
    };
  }
}
