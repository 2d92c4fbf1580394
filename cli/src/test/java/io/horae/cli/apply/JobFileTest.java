package io.horae.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.horae.api.v1.Cron;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading job files and printing jobs in the same form, without a cluster: the proto JSON mapping
 * through YAML, the checks that name file, document, line and field, the limits on user input, and
 * the print-then-read round trip that {@code get -o yaml} and {@code apply} rely on.
 */
class JobFileTest {
  private static List<Job> parse(String text) {
    return JobFile.parse("jobs.yaml", text, "team").stream().map(JobFile.Entry::job).toList();
  }

  private static String problems(String text) {
    return catchThrowableOfType(
            JobFileException.class, () -> JobFile.parse("jobs.yaml", text, "team"))
        .getMessage();
  }

  @Test
  void documentsAndListsEachHoldJobsAndAJobWithoutANamespaceTakesTheDefault() {
    List<Job> jobs =
        parse(
            """
            name: a
            schedule: {atMs: 4102444800000}
            target: {url: "http://127.0.0.1:9/a"}
            ---
            - name: b
              namespace: other
              schedule: {cron: {expression: "0 9 * * 1-5", timeZone: Europe/Berlin}}
              target: {url: "http://127.0.0.1:9/b"}
            - name: c
              schedule: {every: {intervalMs: 60000}}
              target: {url: "http://127.0.0.1:9/c"}
            ---
            """);

    assertThat(jobs)
        .extracting(j -> j.getNamespace() + "/" + j.getName())
        .containsExactly("team/a", "other/b", "team/c");
    assertThat(jobs.get(0).getSchedule().getAtMs()).isEqualTo(4_102_444_800_000L);
    assertThat(jobs.get(1).getSchedule().getCron().getTimeZone()).isEqualTo("Europe/Berlin");
  }

  @Test
  void aStringFieldKeepsItsTextWhereYamlWouldSeeABooleanANumberOrADate() {
    Job job =
        parse(
                """
                name: a
                labels: {enabled: on, since: 2026-01-01, build: 0123, ok: no}
                traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01
                """)
            .get(0);

    assertThat(job.getLabelsMap())
        .containsEntry("enabled", "on")
        .containsEntry("since", "2026-01-01")
        .containsEntry("build", "0123")
        .containsEntry("ok", "no");
    assertThat(job.getTraceparent()).startsWith("00-0af7");
  }

  @Test
  void aBodyIsGivenAsTextOrAsBase64AndNotBoth() {
    Job text = parse("name: a\ntarget: {url: 'http://h/', bodyText: '{\"hi\": 1}'}\n").get(0);
    Job base64 = parse("name: a\ntarget: {url: 'http://h/', body: eyJoaSI6IDF9}\n").get(0);

    assertThat(text.getTarget().getBody().toStringUtf8()).isEqualTo("{\"hi\": 1}");
    assertThat(base64.getTarget().getBody()).isEqualTo(text.getTarget().getBody());
    assertThat(problems("name: a\ntarget: {body: eyJoaSI6IDF9, bodyText: x}\n"))
        .contains("target.bodyText: given twice");
  }

  @Test
  void outputOnlyFieldsAreIgnored() {
    Job job =
        parse(
                "name: a\nstate: JOB_STATE_PAUSED\nversion: 7\nfireCount: 3\nhasSigningSecret: true\nhistorySize: 2\n")
            .get(0);

    assertThat(job).isEqualTo(Job.newBuilder().setNamespace("team").setName("a").build());
  }

  @Test
  void aMalformedFileNamesTheFileDocumentLineAndFieldOfEveryProblem() {
    String message =
        problems(
            """
            name: good
            ---
            name: typo
            schedule:
              cron: {expresion: "0 9 * * *"}
            ---
            - name: ok
            - name: bad-number
              priority: high
            ---
            name: both
            schedule: {atMs: 1, cron: {expression: "@daily"}}
            """);

    assertThat(message)
        .startsWith("3 problems in the job file; nothing was changed:")
        .contains(
            "jobs.yaml, document 2, line 5: schedule.cron.expresion: unknown field; known: expression, timeZone")
        .contains("jobs.yaml, document 3, item 2, line 9: priority: ")
        .contains(
            "jobs.yaml, document 4, line 12: schedule.cron: only one of atMs, afterMs, every, cron may be given; atMs is given too");
  }

  @Test
  void invalidYamlIsReportedWithTheDocumentAndLine() {
    assertThat(problems("name: a\n---\nname: [b\n"))
        .contains("jobs.yaml, document 2, line 4: not valid YAML");
  }

  @Test
  void aRelativeTimeIsRefusedWithAHintAtAtMs() {
    assertThat(problems("name: a\nschedule: {afterMs: 60000}\n"))
        .contains("schedule.afterMs: a relative time cannot be compared")
        .contains("schedule.atMs");
  }

  @Test
  void aJobWithoutANameOrNamedTwiceIsRefused() {
    assertThat(problems("target: {url: 'http://h/'}\n"))
        .contains("document 1, line 1: name: is required");
    assertThat(problems("name: a\n---\nname: a\n"))
        .contains("job team/a is also at jobs.yaml, document 1");
  }

  @Test
  void aliasesOfCollectionsAreBounded() {
    StringBuilder bomb = new StringBuilder("name: a\nlabels: {}\nx0: &a0 [1, 2]\n");
    for (int i = 1; i <= JobFile.ALIASES_MAX + 1; i++) {
      bomb.append("x")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [*a")
          .append(i - 1)
          .append(", *a")
          .append(i - 1)
          .append("]\n");
    }

    assertThat(problems(bomb.toString())).contains("not valid YAML").contains("aliases");
  }

  @Test
  void aFileLargerThanTheLimitIsRefusedBeforeParsing(@TempDir Path tmp) throws IOException {
    Path big = tmp.resolve("big.yaml");
    Files.writeString(big, "name: a\nlabels: {k: '" + "x".repeat(JobFile.FILE_BYTES_MAX) + "'}\n");

    JobFileException e =
        catchThrowableOfType(
            JobFileException.class, () -> JobFile.read(big, InputStream.nullInputStream(), "team"));

    assertThat(e.getMessage())
        .isEqualTo(
            big
                + ": larger than "
                + JobFile.FILE_BYTES_MAX
                + " bytes; split it; nothing was changed");
  }

  @Test
  void aFileThatIsNotUtf8IsRefused(@TempDir Path tmp) throws IOException {
    Path latin1 = tmp.resolve("latin1.yaml");
    Files.write(latin1, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(
            catchThrowableOfType(
                JobFileException.class,
                () -> JobFile.read(latin1, InputStream.nullInputStream(), "team")))
        .hasMessage(latin1 + ": not UTF-8 text; nothing was changed");
  }

  @Test
  void aPrintedJobReadsBackAsTheSameJobWithoutOutputFieldsAndSecrets() {
    Job stored =
        Job.newBuilder()
            .setNamespace("team")
            .setName("report")
            .setSchedule(
                Schedule.newBuilder()
                    .setCron(
                        Cron.newBuilder().setExpression("0 9 * * 1-5").setTimeZone("Europe/Berlin"))
                    .setMaxFires(10))
            .setTarget(
                Target.newBuilder()
                    .setUrl("https://example.com/hook?token=abc")
                    .setMethod("PUT")
                    .addHeaders(
                        Header.newBuilder()
                            .setName("Authorization")
                            .setValue("Bearer secret-value"))
                    .addHeaders(Header.newBuilder().setName("X-Team").setValue("on"))
                    .setBody(ByteString.copyFromUtf8("{\"a\": [1, 2]}\n"))
                    .setTimeoutMs(20_000))
            .setRetry(
                RetryPolicy.newBuilder()
                    .setMaxAttempts(8)
                    .setMultiplier(2.5)
                    .addRetryStatuses(429)
                    .addRetryStatuses(503))
            .setPriority(2)
            .putLabels("team", "pay")
            .putLabels("env", "prod")
            .setKeepLast(50)
            .setSigningSecret("whsec_c2VjcmV0")
            .setState(JobState.JOB_STATE_ACTIVE)
            .setVersion(4)
            .setNextFireMs(4_102_444_800_000L)
            .setHasSigningSecret(true)
            .build();

    String yaml = JobDocument.toYaml(stored);
    Job read = parse(yaml).get(0);

    assertThat(yaml)
        .startsWith("# signingSecret: set, not shown")
        .contains("url: https://example.com/hook?token=abc")
        .contains("bodyText: ")
        .contains("keepLast: 50")
        .doesNotContain("secret-value")
        .doesNotContain("whsec_")
        .doesNotContain("version")
        .doesNotContain("state");
    assertThat(read).isEqualTo(JobDocument.redacted(JobDocument.withoutOutputOnly(stored)));
  }
}
