package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.server.node.FenceWatch.Reason;
import org.junit.jupiter.api.Test;

class FenceWatchTest {
  static final long MS = 1_000_000;
  static final long REPORT = 750 * MS;
  static final java.util.function.Supplier<String> NONE = () -> "";

  @Test
  void closedTimeCountsFromTheFirstClosedCheckToTheFirstOpenOneUnderTheReasonItBeganWith() {
    FenceWatch watch = new FenceWatch(REPORT);
    watch.observe(null, 0, 10, 10, NONE);
    watch.observe(Reason.APPLY_BEHIND, 100 * MS, 10, 12, NONE);
    watch.observe(Reason.APPLY_BEHIND, 200 * MS, 11, 12, NONE);
    watch.observe(Reason.NO_LEASE, 300 * MS, 11, 12, NONE);
    watch.observe(null, 400 * MS, 12, 12, NONE);
    watch.observe(Reason.MAP_BEHIND, 1_000 * MS, 12, 12, NONE);
    watch.observe(null, 1_050 * MS, 12, 12, NONE);

    assertThat(watch.closedSeconds(Reason.APPLY_BEHIND, 2_000 * MS)).isEqualTo(0.3);
    assertThat(watch.closedSeconds(Reason.MAP_BEHIND, 2_000 * MS)).isEqualTo(0.05);
    assertThat(watch.closedSeconds(Reason.NO_LEASE, 2_000 * MS)).isZero();
    assertThat(watch.closures(Reason.APPLY_BEHIND)).isEqualTo(1);
    assertThat(watch.closures(Reason.MAP_BEHIND)).isEqualTo(1);
    assertThat(watch.closures(Reason.NO_LEASE)).isZero();
  }

  @Test
  void aClosureStillOpenCountsUpToTheMomentAsked() {
    FenceWatch watch = new FenceWatch(REPORT);
    watch.observe(Reason.NO_LEASE, 500 * MS, 0, 0, NONE);

    assertThat(watch.closedSeconds(Reason.NO_LEASE, 2_500 * MS)).isEqualTo(2.0);
    assertThat(watch.closedSeconds(Reason.APPLY_BEHIND, 2_500 * MS)).isZero();
  }

  @Test
  void onlyAClosureOfAtLeastTheThresholdIsReportedAndItNamesTheIndexesAndLogStateItBeganWith() {
    FenceWatch watch = new FenceWatch(REPORT);
    watch.observe(Reason.APPLY_BEHIND, 0, 40, 41, NONE);
    assertThat(watch.observe(null, REPORT - 1, 41, 41, NONE)).isEmpty();

    watch.observe(Reason.APPLY_BEHIND, 1_000 * MS, 90, 120, () -> "committed 95");
    java.util.function.Supplier<String> notAsked =
        () -> {
          throw new AssertionError("the context is asked only when a closure begins");
        };
    assertThat(watch.observe(Reason.APPLY_BEHIND, 1_500 * MS, 100, 120, notAsked)).isEmpty();
    var ended = watch.observe(null, 1_000 * MS + REPORT, 120, 120, NONE);

    assertThat(ended).isPresent();
    assertThat(ended.get().reason()).isEqualTo(Reason.APPLY_BEHIND);
    assertThat(ended.get().describe())
        .isEqualTo(
            "fence was closed for 750 ms: replica behind the leader (applied 90, needed 120);"
                + " when it closed: committed 95");
  }

  @Test
  void aCheckThatReadTheClockBeforeTheClosureBeganCountsNothingNegative() {
    FenceWatch watch = new FenceWatch(REPORT);
    watch.observe(Reason.MAP_BEHIND, 1_000 * MS, 0, 0, NONE);
    watch.observe(null, 999 * MS, 0, 0, NONE);

    assertThat(watch.closedSeconds(Reason.MAP_BEHIND, 5_000 * MS)).isZero();
  }
}
