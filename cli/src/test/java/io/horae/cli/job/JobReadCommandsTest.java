package io.horae.cli.job;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.ListJobsResponse;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code job get}, {@code job ls} and {@code job rm} against a real one-node cluster whose pages
 * hold two jobs by default, and how their errors are reported: one line on stderr, exit 1, no stack
 * trace unless --verbose. Jobs are due in 2099 at a closed loopback port; none fires.
 */
class JobReadCommandsTest {
  @RegisterExtension
  static final ClusterFixture CLUSTER = new ClusterFixture(1, Map.of("api.pageSizeDefault", "2"));

  private static final String AT = "2099-11-25T10:00:00Z";

  @BeforeAll
  static void createThreeJobsInNamespacePaged() {
    for (String name : new String[] {"a", "b", "c"}) {
      create("paged", name, "http://127.0.0.1:9/" + name);
    }
  }

  private static void create(String namespace, String name, String url) {
    Result r = CLUSTER.horae("-n", namespace, "job", "create", name, "--url", url, "--at", AT);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void getPrintsTheJobAsATableRow() {
    create("default", "a", "http://127.0.0.1:9/a");

    Result result = CLUSTER.horae("job", "get", "a");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines())
        .containsExactly(
            "NAME  SCHEDULE                 STATE   NEXT FIRE             FIRES  URL",
            "a     at 2099-11-25T10:00:00Z  ACTIVE  2099-11-25T10:00:00Z  1     "
                + " http://127.0.0.1:9/a");
  }

  @Test
  void theNamespaceMayBeGivenBeforeOrAfterTheSubcommand() {
    String one = "http://127.0.0.1:9/one";
    String two = "http://127.0.0.1:9/two";
    Result first = CLUSTER.horae("-n", "one", "job", "create", "same", "--url", one, "--at", AT);
    Result second =
        CLUSTER.horae("job", "create", "same", "--url", two, "--at", AT, "--namespace", "two");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(CLUSTER.horae("job", "get", "same", "--namespace", "one").out()).contains("/one");
    assertThat(CLUSTER.horae("-n", "two", "job", "get", "same").out()).contains("/two");
    assertThat(CLUSTER.storedJob("one", "same").getTarget().getUrl()).endsWith("/one");
    assertThat(CLUSTER.storedJob("two", "same").getTarget().getUrl()).endsWith("/two");
  }

  @Test
  void getOfAMissingJobPrintsOneLineAndExits1() {
    Result result = CLUSTER.horae("job", "get", "missing");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo("horae: not found: job default/missing not found" + System.lineSeparator());
  }

  @Test
  void lsPrintsTheFirstPageAndHintsAtTheNextPageToken() throws Exception {
    Result result = CLUSTER.horae("-n", "paged", "job", "ls", "--page-size", "2");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines().skip(1).map(l -> l.split(" ")[0])).containsExactly("a", "b");
    String token = nextPageToken("paged", "2");
    assertThat(token).isNotEmpty();
    assertThat(result.err())
        .isEqualTo("more jobs: add --page-token " + token + " (or --all)" + System.lineSeparator());

    Result next =
        CLUSTER.horae("-n", "paged", "job", "ls", "--page-size", "2", "--page-token", token);
    assertThat(next.out().lines().skip(1).map(l -> l.split(" ")[0])).containsExactly("c");
    assertThat(next.err()).isEmpty();
  }

  @Test
  void aPageSizeOfOneListsOneJob() throws Exception {
    Result result = CLUSTER.horae("-n", "paged", "job", "ls", "--page-size", "1");

    assertThat(result.out().lines().skip(1).map(l -> l.split(" ")[0])).containsExactly("a");
    assertThat(result.err()).contains("--page-token " + nextPageToken("paged", "1"));
  }

  @Test
  void lsAllFollowsThePageTokens() {
    Result result = CLUSTER.horae("-n", "paged", "job", "ls", "--all");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines().skip(1).map(l -> l.split(" ")[0]))
        .containsExactly("a", "b", "c");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void lsJsonIsValidProtoJsonWithoutQueryStrings() throws Exception {
    create("secret", "a", "http://127.0.0.1:9/p?sig=s3cret");

    Result result = CLUSTER.horae("-n", "secret", "job", "ls", "-o", "json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    ListJobsResponse.Builder parsed = ListJobsResponse.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.getJobsList()).singleElement();
    assertThat(parsed.getJobs(0).getTarget().getUrl()).isEqualTo("http://127.0.0.1:9/p");
    assertThat(result.out()).doesNotContain("s3cret");
  }

  @Test
  void rmPrintsHowManyExecutionsWereCancelled() {
    create("default", "doomed", "http://127.0.0.1:9/doomed");

    Result result = CLUSTER.horae("job", "rm", "doomed");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "deleted job default/doomed (1 pending executions cancelled)" + System.lineSeparator());
    assertThat(CLUSTER.horae("job", "get", "doomed").exitCode()).isEqualTo(1);
  }

  @Test
  void rmOfAMissingJobPrintsOneLineAndExits1() {
    Result result = CLUSTER.horae("job", "rm", "never-created");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines()).singleElement().asString().startsWith("horae: not found: ");
  }

  @Test
  void anUnreachableEndpointPrintsOneLineNamingItAndExits1() throws IOException {
    String closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = "127.0.0.1:" + socket.getLocalPort();
    }

    Result result = horae("job", "get", "a", "--endpoints", closed);
    Result verbose = horae("job", "get", "a", "--endpoints", closed, "--verbose");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines())
        .singleElement()
        .asString()
        .startsWith("horae: cannot reach any endpoint (" + closed + "): ");
    assertThat(verbose.err()).contains("at io.horae.");
  }

  /** The next page token of the first page, from the JSON output. */
  private static String nextPageToken(String namespace, String pageSize) throws Exception {
    Result json =
        CLUSTER.horae("-n", namespace, "-o", "json", "job", "ls", "--page-size", pageSize);
    assertThat(json.exitCode()).as(json.err()).isZero();
    ListJobsResponse.Builder parsed = ListJobsResponse.newBuilder();
    JsonFormat.parser().merge(json.out(), parsed);
    return parsed.getNextPageToken();
  }
}
