package io.horae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveTrainingTest {
  @Test
  void theTrainingRunListsAJobOverTlsSoTheArchiveHoldsTheWholeCallPath() throws Exception {
    StringWriter out = new StringWriter();
    List<Integer> codes = ArchiveTraining.train(out);
    assertThat(codes).containsExactly(0, 0, 0, 0);
    assertThat(out.toString()).contains("training").contains("\"name\": \"training\"");
  }
}
