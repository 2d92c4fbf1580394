package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context of deliveries: ids that every node derives alike, and the caller's trace kept.
 */
class TraceContextTest {
  @Test
  void aDerivedTraceIdIsTheFirstSixteenBytesOfTheSha256OfTheExecutionId() {
    // printf 'default/a@1' | sha256sum | cut -c1-32
    assertThat(TraceContext.traceId("", "default/a@1"))
        .isEqualTo("567f4935024fc3fea941438ef0ee6387");
  }

  @Test
  void everyThreadDerivesTheSameTraceIdForAnExecution() {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 64)
        .parallel()
        .forEach(i -> ids.add(TraceContext.traceId("", "default/job-" + (i % 4) + "@1")));
    Set<String> once = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      once.add(TraceContext.traceId("", "default/job-" + i + "@1"));
    }
    assertThat(ids).isEqualTo(once).hasSize(4);
  }

  @Test
  void aJobsTraceparentGivesTheTraceIdAndItsFlags() {
    String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
    assertThat(TraceContext.traceId(parent, "default/a@1"))
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(TraceContext.flags(parent)).isEqualTo("00");
    assertThat(TraceContext.flags("")).isEqualTo("01");
  }

  @Test
  void malformedOrAllZeroTraceparentsAreIgnored() {
    for (String bad :
        List.of(
            "",
            "garbage",
            "00-00000000000000000000000000000000-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")) {
      assertThat(TraceContext.parse(bad)).as(bad).isEmpty();
    }
  }
}
