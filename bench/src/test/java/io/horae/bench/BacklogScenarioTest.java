package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacklogScenarioTest {
  private static MemorySampler.Sample heap(long atMs, double bytes) {
    return new MemorySampler.Sample(atMs, bytes, 1e9);
  }

  @Test
  void theHeapRangeIsTheLowestAndHighestSampleInsideTheMeasuredWindowOnly() {
    Map<String, List<MemorySampler.Sample>> samples = new LinkedHashMap<>();
    samples.put(
        "n1",
        List.of(
            heap(900, 1_000e6), // before the window: the load's garbage
            heap(1_000, 300e6),
            heap(1_500, Double.NaN), // the node did not answer
            heap(2_000, 120e6),
            heap(3_000, 450e6),
            heap(3_001, 5e6))); // after it
    samples.put("n2", List.of(heap(100, 200e6))); // nothing inside

    Map<String, double[]> range = BacklogScenario.heapRange(samples, 1_000, 3_000);

    assertThat(range).containsOnlyKeys("n1");
    assertThat(range.get("n1")).containsExactly(120e6, 450e6);
  }
}
