package io.horae.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

  @ParameterizedTest
  @CsvSource({
    "https://h.example/p?token=abc, https://h.example/p",
    "https://h.example/p#frag, https://h.example/p",
    "https://user:pw@h.example:8443/p?x=1, https://h.example:8443/p",
    "http://h.example, http://h.example",
    "not a url?secret, not a url",
  })
  void dropsQueryFragmentAndUserInfo(String url, String shown) {
    assertThat(Redaction.url(url)).isEqualTo(shown);
  }
}
