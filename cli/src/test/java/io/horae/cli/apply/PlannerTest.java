package io.horae.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What apply plans for a file against stored jobs, without a cluster: the stored jobs are written
 * as the server stores and returns them (defaults filled in, secrets redacted), the file's jobs as
 * a person writes them, so these tests pin which differences are changes and which are not.
 */
class PlannerTest {
  /** A job as a read returns it: method, zone and anchor filled in, secret values empty. */
  static final String STORED =
      """
      namespace: ns
      name: a
      version: 7
      hasSigningSecret: %s
      schedule: {every: {intervalMs: 60000, anchorMs: 1767225600000}}
      target:
        url: http://h/a
        method: POST
        headers: [{name: Authorization, secret: true}, {name: X-Team, value: pay}]
      labels: {team: pay, env: prod}
      ---
      namespace: ns
      name: b
      schedule: {cron: {expression: "0 3 * * *", timeZone: UTC}}
      target: {url: http://h/b, method: POST}
      ---
      namespace: ns
      name: c
      schedule: {atMs: 4102444800000}
      target: {url: http://h/c, method: POST}
      """;

  private static Plan plan(
      String file, boolean hasSigningSecret, boolean prune, boolean sendSecrets) {
    List<Job> stored =
        JobFile.parse("stored", STORED.formatted(hasSigningSecret), "ns").stream()
            .map(JobFile.Entry::job)
            .toList();
    // The parse drops output-only fields; put back what a read returns.
    stored =
        stored.stream()
            .map(
                j ->
                    j.toBuilder()
                        .setVersion(7)
                        .setHasSigningSecret(j.getName().equals("a") && hasSigningSecret)
                        .build())
            .toList();
    return Planner.plan(
        JobFile.parse("jobs.yaml", file, "ns"), Map.of("ns", stored), prune, sendSecrets);
  }

  /** Job a as a person writes it: defaults left out, the header's value given, labels reordered. */
  static final String A =
      """
      name: a
      schedule: {every: {intervalMs: 60000}}
      target:
        url: http://h/a
        headers: [{name: Authorization, value: Bearer t}, {name: X-Team, value: pay}]
      labels: {env: prod, team: pay}
      %s
      """;

  @Test
  void whatTheServerFillsInAndSecretValuesAreNoChange() {
    Plan plan =
        plan(
            A.formatted("")
                + "---\n{name: b, schedule: {cron: {expression: '0 3 * * *'}}, target: {url: 'http://h/b', method: post}, retry: {}}\n",
            false,
            false,
            false);

    assertThat(plan.changes()).isEmpty();
    assertThat(plan.unchanged()).isEqualTo(2);
  }

  @Test
  void anUpdateNamesOnlyTheChangedFieldsInFieldOrderWithTheVersionRead() {
    Plan plan =
        plan(A.formatted("priority: 2").replace("env: prod", "env: dev"), false, false, false);

    Change update = plan.changes().get(0);
    assertThat(update.kind()).isEqualTo(Change.Kind.UPDATE);
    assertThat(update.paths()).containsExactly("priority", "labels");
    assertThat(update.expectedVersion()).isEqualTo(7);
    assertThat(update.diff())
        .containsExactly("+ priority: 2", "- labels.env: prod", "+ labels.env: dev");
  }

  @Test
  void aSecretValueIsSentOnlyWhenAskedAndNeverShown() {
    Plan quiet = plan(A.formatted(""), false, false, false);
    Plan sent = plan(A.formatted(""), false, false, true);

    assertThat(quiet.changes()).isEmpty();
    Change update = sent.changes().get(0);
    assertThat(update.paths()).containsExactly("target");
    assertThat(update.diff())
        .containsExactly("+ target.headers[0].value: (secret, sent, not compared)");
  }

  @Test
  void aSigningSecretIsSetOnAJobWithoutOneAndOtherwiseKept() {
    String file = A.formatted("signingSecret: whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

    Plan none = plan(file, false, false, false);
    Plan has = plan(file, true, false, false);
    Plan absent = plan(A.formatted(""), true, false, false);

    assertThat(none.changes().get(0).paths()).containsExactly("signing_secret");
    assertThat(none.changes().get(0).diff()).containsExactly("+ signingSecret: (secret, set)");
    assertThat(has.changes()).isEmpty();
    assertThat(absent.changes()).isEmpty();
  }

  @Test
  void pruneDeletesTheStoredJobsTheFileDoesNotNameAfterCreatesAndUpdates() {
    Plan plan =
        plan(
            A.formatted("priority: 1")
                + "---\n{name: new, schedule: {atMs: 1}, target: {url: 'http://h/n'}}\n",
            false,
            true,
            false);

    assertThat(plan.changes())
        .extracting(c -> c.kind() + " " + c.key())
        .containsExactly("CREATE ns/new", "UPDATE ns/a", "DELETE ns/b", "DELETE ns/c");
  }
}
