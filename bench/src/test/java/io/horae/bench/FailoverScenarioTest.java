package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the failover scenario reads a restarted node's time to ready from its events. */
class FailoverScenarioTest {
  private static Map<String, Object> event(String what, String node, double at) {
    return Map.of("event", what, "node", node, "at_s", at);
  }

  @Test
  void eachRestartedNodeIsReadyAfterTheTimeFromItsRestartToItsReadyAgain() {
    List<Map<String, Object>> events =
        List.of(
            event("kill leader", "n1", 15.0),
            event("restart", "n1", 20.0),
            event("ready again", "n1", 27.25),
            event("kill follower", "n3", 37.5),
            event("restart", "n3", 42.5),
            event("ready again", "n3", 46.0));

    assertThat(FailoverScenario.restartToReady(events))
        .containsExactly(Map.entry("n1", 7.3), Map.entry("n3", 3.5));
  }

  @Test
  void aNodeThatWasNeverReadyAgainHasNoTime() {
    List<Map<String, Object>> events =
        List.of(
            event("kill leader", "n1", 15.0),
            event("restart", "n1", 20.0),
            event("not ready again within 90 s; follower kill skipped", "n1", 110.0));

    assertThat(FailoverScenario.restartToReady(events)).isEmpty();
    assertThat(FailoverScenario.restartToReady(null)).isEmpty();
  }
}
