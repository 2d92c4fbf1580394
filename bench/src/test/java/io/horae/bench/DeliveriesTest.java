package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveriesTest {
  private static Receiver.Arrival at(String key, long scheduled, long arrived, String node) {
    return new Receiver.Arrival(key, scheduled, arrived, node);
  }

  @Test
  void theFirstCopyCountsLaterCopiesAreDuplicatesAndOtherScenariosAreIgnored() {
    Deliveries d =
        Deliveries.of(
            List.of(
                at("bench/steady-r-1@1000", 1_000, 1_020, "n1"),
                at("bench/steady-r-1@1000", 1_000, 1_900, "n2"),
                at("bench/steady-r-2@2000", 2_000, 2_100, "n2"),
                at("bench/burst-r-1@1000", 1_000, 9_000, "n3")),
            "bench/steady-r-");

    assertThat(d.distinct()).isEqualTo(2);
    assertThat(d.duplicates()).isEqualTo(1);
    assertThat(d.perNode()).containsEntry("n1", 1).containsEntry("n2", 1).doesNotContainKey("n3");
    assertThat(d.latenessFigures()).containsEntry("max", 100L);
  }

  @Test
  void anArrivalBeforeItsScheduledTimeIsEarlyAndAJobUnderTwoKeysIsCounted() {
    Deliveries d =
        Deliveries.of(
            List.of(at("bench/steady-r-1@1000", 1_000, 990, "n1"), at("bench/steady-r-1@1001", 1_001, 1_005, "n2")),
            "bench/steady-r-");

    assertThat(d.early()).isEqualTo(1);
    assertThat(d.jobsWithSeveralKeys()).isEqualTo(1);
  }

  @Test
  void theLongestGapIsMeasuredBetweenArrivalsInsideTheWindow() {
    Deliveries d =
        Deliveries.of(
            List.of(at("bench/s-r-1@0", 0, 100, "n1"), at("bench/s-r-2@0", 0, 400, "n1"), at("bench/s-r-3@0", 0, 1_900, "n1")),
            "bench/s-r-");

    assertThat(d.longestGapMs(0, 2_000)).isEqualTo(1_500);
    assertThat(d.longestGapMs(0, 1_000)).isEqualTo(300);
  }

  @Test
  void memoryIsReadFromThePrometheusTextOfANode() {
    String text =
        "# HELP x\njvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\",node=\"n1\"} 1.0E7\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\",node=\"n1\"} 3.0E7\n"
            + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\",node=\"n1\"} 5.0E7\n"
            + "horae_process_rss_bytes{node=\"n1\"} 2.5E8\n";

    MemorySampler.Sample s = MemorySampler.parse(7, text);

    assertThat(s.heapBytes()).isEqualTo(4.0e7);
    assertThat(s.rssBytes()).isEqualTo(2.5e8);
  }
}
