package io.horae.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenFileTest {
  private static final String CI_TOKEN = "horae_ci-token-0123456789";
  private static final String OLD_TOKEN = "horae_old-token-9876543210";

  @Test
  void aFileNamesEachTokensPrincipalAndGrantsByItsHashOnly() {
    String text =
        "# tokens\n\n"
            + TokenFile.line(
                "ci", CI_TOKEN, List.of(Grant.parse("writer:team-a"), Grant.parse("reader:team-*")))
            + "   # the CI system\n"
            + TokenFile.line("ci", OLD_TOKEN, List.of(Grant.parse("reader:team-a")))
            + "\nadmin cert cluster-admin,writer:*\n";
    TokenFile.Parsed parsed = TokenFile.parse(text);
    Map<String, Principal> byHash = parsed.byTokenHash();

    assertThat(text).doesNotContain(CI_TOKEN).doesNotContain(OLD_TOKEN);
    assertThat(byHash).hasSize(2);
    Principal ci = byHash.get(TokenFile.hash(CI_TOKEN));
    assertThat(ci.name()).isEqualTo("ci");
    assertThat(ci.allows(Role.WRITER, "team-a")).isTrue();
    assertThat(ci.allows(Role.READER, "team-b")).isTrue();
    assertThat(ci.allows(Role.WRITER, "team-b")).isFalse();
    assertThat(byHash.get(TokenFile.hash(OLD_TOKEN)).allows(Role.WRITER, "team-a"))
        .as("a second token of the same principal has its own grants")
        .isFalse();
    assertThat(parsed.byCertificate()).containsOnlyKeys("admin");
    assertThat(parsed.byCertificate().get("admin").allows(Role.CLUSTER_ADMIN, "")).isTrue();
  }

  @Test
  void aBadLineRefusesTheWholeFileNamingTheLineWithoutTheHash() {
    String hash = "sha256:" + TokenFile.hash(CI_TOKEN);
    assertThatThrownBy(
            () ->
                TokenFile.parse(
                    "ok " + hash + " reader:*\nbad " + hash.toUpperCase() + " reader:*"))
        .hasMessageStartingWith("line 2:")
        .hasMessageNotContaining(TokenFile.hash(CI_TOKEN))
        .hasMessageNotContaining(TokenFile.hash(CI_TOKEN).toUpperCase());
    assertThatThrownBy(() -> TokenFile.parse("a " + hash + " reader:*\nb " + hash + " writer:*"))
        .hasMessage("line 2: the same token hash appears twice");
    assertThatThrownBy(() -> TokenFile.parse("a " + hash)).hasMessageContaining("line 1: expected");
    assertThatThrownBy(() -> TokenFile.parse("a " + hash + " owner:*"))
        .hasMessageContaining("line 1: unknown role 'owner'");
    assertThatThrownBy(() -> TokenFile.parse("a/b " + hash + " reader:*"))
        .hasMessageContaining("line 1: principal");
    assertThatThrownBy(() -> TokenFile.parse("a cert reader:*\na cert writer:*"))
        .hasMessage("line 2: principal a has two cert lines");
  }
}
