package io.horae.server.console;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The browser test's set-up fails with one clear line when a tool it needs is not installed. */
class NodeScriptTest {
  @Test
  void aToolMissingFromThePathFailsSayingWhatToInstall() {
    assertThatThrownBy(() -> NodeScript.requireOnPath("horae-no-such-node-binary"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("horae-no-such-node-binary is not on the PATH")
        .hasMessageContaining("install Node.js 20.11 or newer with npm");
  }
}
