package io.horae.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GrantTest {
  @Test
  void aPatternMatchesWithStarsAsAnyRunOfCharacters() {
    assertThat(Grant.matches("team-*", "team-a")).isTrue();
    assertThat(Grant.matches("team-*", "team-")).isTrue();
    assertThat(Grant.matches("team-*", "teams")).isFalse();
    assertThat(Grant.matches("*", "anything")).isTrue();
    assertThat(Grant.matches("*-prod", "billing-prod")).isTrue();
    assertThat(Grant.matches("*-prod", "billing-prod-eu")).isFalse();
    assertThat(Grant.matches("a*b*c", "a-x-b-y-c")).isTrue();
    assertThat(Grant.matches("a*b*c", "a-x-c-y-b")).isFalse();
    assertThat(Grant.matches("team-a", "team-a")).isTrue();
    assertThat(Grant.matches("team-a", "team-ab")).isFalse();
  }

  @Test
  void aWriterMayReadButNotManageSecretsOrTheCluster() {
    Grant writer = Grant.parse("writer:team-a");
    assertThat(writer.allows(Role.WRITER, "team-a")).isTrue();
    assertThat(writer.allows(Role.READER, "team-a")).isTrue();
    assertThat(writer.allows(Role.SECRETS, "team-a")).isFalse();
    assertThat(writer.allows(Role.CLUSTER_ADMIN, "")).isFalse();
    assertThat(writer.allows(Role.WRITER, "team-b")).isFalse();
    assertThat(Grant.parse("reader:*").allows(Role.WRITER, "team-a")).isFalse();
  }

  @Test
  void clusterAdminHoldsForTheClusterAndGrantsNothingInANamespace() {
    Grant admin = Grant.parse("cluster-admin");
    assertThat(admin.allows(Role.CLUSTER_ADMIN, "")).isTrue();
    assertThat(admin.allows(Role.READER, "default")).isFalse();
  }

  @Test
  void badGrantsAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> Grant.parse("owner:team-a"))
        .hasMessageContaining("unknown role 'owner'");
    assertThatThrownBy(() -> Grant.parse("writer"))
        .hasMessageContaining("needs a namespace pattern");
    assertThatThrownBy(() -> Grant.parse("cluster-admin:x"))
        .hasMessageContaining("takes no namespace");
    assertThatThrownBy(() -> Grant.parse("reader:team/a")).hasMessageContaining("may hold only");
  }
}
