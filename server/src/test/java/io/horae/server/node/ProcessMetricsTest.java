package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessMetricsTest {
  @Test
  void theScrapeShowsHeapUsedAndTheResidentSetSizeTaggedWithTheNode() {
    assumeTrue(Files.exists(Path.of("/proc/self/status")), "RSS is read from /proc (Linux)");
    var registry = ProcessMetrics.registry("n7");

    String text = registry.scrape();

    assertThat(text)
        .containsPattern(
            "jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\",node=\"n7\"\\} [1-9]");
    double rss = registry.get("horae.process.rss").gauge().value();
    assertThat(rss).isGreaterThan(Runtime.getRuntime().totalMemory() / 4.0);
    assertThat(text).contains("horae_process_rss_bytes{node=\"n7\"}");
  }
}
