package io.horae.cli.ns;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code horae ns ls} and how a quota refusal reads in the terminal, against a real node. */
class NsCommandTest {
  @RegisterExtension
  static final ClusterFixture CLUSTER =
      new ClusterFixture(1, Map.of("quota.namespaces", "tight:jobs=1"));

  @Test
  void nsLsShowsUsageAgainstQuotaAndAQuotaRefusalNamesTheNamespaceAndTheQuota() {
    Result first =
        CLUSTER.horae(
            "-n",
            "tight",
            "job",
            "create",
            "one",
            "--url",
            "http://127.0.0.1:9/hook",
            "--every",
            "1h");
    assertThat(first.exitCode()).as(first.err()).isZero();

    Result second =
        CLUSTER.horae(
            "-n",
            "tight",
            "job",
            "create",
            "two",
            "--url",
            "http://127.0.0.1:9/hook",
            "--every",
            "1h");
    Result ls = CLUSTER.horae("ns", "ls");

    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.err())
        .contains("namespace tight holds 1 jobs, its quota is 1 (quota.jobsMax)")
        .doesNotContain("Exception");
    assertThat(ls.exitCode()).as(ls.err()).isZero();
    assertThat(ls.out())
        .contains("NAMESPACE", "JOBS", "LIVE EXECUTIONS")
        .containsPattern("tight\\s+1 / 1 \\(100%\\)\\s+1 / 1000000 \\(0%\\)\\s+20000");
  }
}
