package io.horae.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.DeadLetterServiceGrpc;
import io.horae.api.v1.Every;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.cluster.MiniCluster;
import io.horae.server.cluster.Receiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real headless Chromium, as a person would use it: a three-node cluster with
 * TLS and auth on (the admin port serves HTTPS with the cluster's CA), a receiver that answers 200
 * and one that answers 400, a recurring job that delivers, a job the label filter hides and a job
 * whose execution dies. The node script {@code src/test/console/console-test.mjs} (puppeteer-core
 * driving the Chromium of {@code @sparticuz/chromium}, both pinned by the committed lock file)
 * signs in on node n1 with the admin's token and waits, bounded, for the members with a leader and
 * fresh leases, the job's row under a label and state filter, the job's execution with its attempt,
 * the dead letter and its attempt, and a delivery appearing on the live page; it keeps a screenshot
 * of each page in {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {
  private static final long FAR_MS = 4_102_444_800_000L; // 2100-01-01: never fires in a test
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final List<String> PAGES =
      List.of("cluster", "jobs", "job", "dlq", "execution", "live");

  @TempDir Path tmp;

  @Test
  void
      aPersonSignedInWithATokenSeesTheClusterAJobsRowItsAttemptsTheDeadLetterAndADeliveryAppearingLive()
          throws Exception {
    NodeScript.install();
    Files.createDirectories(SCREENSHOTS);
    for (String page : PAGES) {
      Files.deleteIfExists(SCREENSHOTS.resolve(page + ".png"));
    }
    try (Receiver ok = new Receiver();
        Receiver refusing = new Receiver();
        MiniCluster cluster = MiniCluster.start(tmp, 3, Map.of())) {
      refusing.answer(() -> 400);
      ManagedChannel channel = cluster.channel("n1");
      JobServiceGrpc.JobServiceBlockingStub jobs = JobServiceGrpc.newBlockingStub(channel);
      long now = System.currentTimeMillis();
      create(
          jobs,
          job(
              "console-ok",
              Schedule.newBuilder()
                  .setEvery(Every.newBuilder().setIntervalMs(2_000).setAnchorMs(now + 1_000)),
              ok.url("/ok"),
              "pay"));
      create(
          jobs,
          job("console-other", Schedule.newBuilder().setAtMs(FAR_MS), ok.url("/other"), "ops"));
      create(
          jobs,
          job(
                  "console-dead",
                  Schedule.newBuilder().setAtMs(now + 500),
                  refusing.url("/dead"),
                  "pay")
              .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1)));
      // The pages are opened once there is something to see on them.
      DeadLetterServiceGrpc.DeadLetterServiceBlockingStub dlq =
          DeadLetterServiceGrpc.newBlockingStub(channel);
      await().atMost(Duration.ofSeconds(30)).until(() -> !ok.deliveries().isEmpty());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  dlq.withDeadlineAfter(5, TimeUnit.SECONDS)
                          .listDeadLetters(
                              ListDeadLettersRequest.newBuilder()
                                  .setFilter(DeadLetterFilter.newBuilder().setNamespace("default"))
                                  .build())
                          .getDeadLettersCount()
                      == 1);

      NodeScript.Result run =
          NodeScript.run(
              "console-test.mjs",
              Map.of(
                  "CONSOLE_URL",
                  cluster.adminUrl("n1"),
                  "CONSOLE_TOKEN",
                  cluster.adminToken(),
                  "SCREENSHOT_DIR",
                  SCREENSHOTS.toAbsolutePath().toString(),
                  "OK_JOB",
                  "console-ok",
                  "OTHER_JOB",
                  "console-other",
                  "DEAD_JOB",
                  "console-dead"),
              Duration.ofSeconds(120));
      System.out.println(
          "console-test.mjs (exit "
              + run.exitCode()
              + ", "
              + run.took().toMillis()
              + " ms):\n"
              + run.output());

      assertThat(run.exitCode())
          .as("console-test.mjs exit code; its output:\n%s", run.output())
          .isZero();
      for (String page : PAGES) {
        assertThat(SCREENSHOTS.resolve(page + ".png"))
            .as("screenshot of the " + page + " page")
            .isNotEmptyFile();
      }
    }
  }

  private static Job.Builder job(String name, Schedule.Builder schedule, String url, String team) {
    return Job.newBuilder()
        .setNamespace("default")
        .setName(name)
        .setSchedule(schedule)
        .setTarget(Target.newBuilder().setUrl(url))
        .putLabels("team", team);
  }

  private static void create(JobServiceGrpc.JobServiceBlockingStub jobs, Job.Builder job) {
    jobs.withDeadlineAfter(10, TimeUnit.SECONDS)
        .createJob(CreateJobRequest.newBuilder().setJob(job).build());
  }
}
