package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How many lease reports may be on their way at once (docs/failover.md, "Lease"). */
class ReportWindowTest {
  static final long MS = 1_000_000;

  @Test
  void aLeasesWorthOfHeartbeatsMayWaitForAnswersAtOnce() {
    assertThat(ReportWindow.forLease(750 * MS, 250 * MS)).isEqualTo(3);
    assertThat(ReportWindow.forLease(800 * MS, 250 * MS)).isEqualTo(4);

    ReportWindow window = new ReportWindow(3);
    OptionalLong first = window.start("n1");
    assertThat(window.start("n1")).isPresent();
    assertThat(window.start("n1")).isPresent();
    assertThat(window.start("n1")).isEmpty();

    window.arrived(first.getAsLong());
    assertThat(window.start("n1")).isPresent();
    assertThat(window.start("n1")).isEmpty();
  }

  @Test
  void reportsWaitingOnALeaderThatLostOfficeHoldBackNothingOfTheNextOne() {
    ReportWindow window = new ReportWindow(2);
    OptionalLong toOld = window.start("n1");
    window.start("n1");

    OptionalLong toNew = window.start("n2");
    assertThat(toNew).isPresent();
    window.start("n2");
    assertThat(window.start("n2")).isEmpty();

    // A late answer from the old leader frees no place of the new one.
    window.arrived(toOld.getAsLong());
    assertThat(window.start("n2")).isEmpty();
    window.arrived(toNew.getAsLong());
    assertThat(window.start("n2")).isPresent();
  }

  @Test
  void aFailedSendForgetsTheReportsOnTheirWay() {
    ReportWindow window = new ReportWindow(1);
    OptionalLong lost = window.start("n1");
    assertThat(window.start("n1")).isEmpty();

    window.reset();
    OptionalLong next = window.start("n1");
    assertThat(next).isPresent();
    window.arrived(lost.getAsLong());
    assertThat(window.inFlight()).isEqualTo(1);
  }
}
