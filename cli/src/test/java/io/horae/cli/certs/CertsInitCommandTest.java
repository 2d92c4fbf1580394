package io.horae.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.cli.Cli;
import io.horae.server.auth.NodeIdentity;
import io.horae.server.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code horae certs init}: what it writes, what the certificates name, and that a rerun keeps the
 * CA. Runs the real command on a temp dir; certificates are checked with the JDK's parser.
 */
class CertsInitCommandTest {
  @TempDir Path dir;

  @Test
  void writesCaNodeAndAdminFilesThatOnlyTheOwnerCanRead() throws Exception {
    Cli.Result r =
        Cli.horae(
            "certs",
            "init",
            "--dir",
            dir.toString(),
            "--node",
            "n1=127.0.0.21,node1.example",
            "--node",
            "n2=127.0.0.22");

    assertThat(r.exitCode()).as(r.err()).isZero();
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names)
          .containsExactly(
              "admin-key.pem",
              "admin.pem",
              "admin.token",
              "ca-key.pem",
              "ca.pem",
              "n1-key.pem",
              "n1.pem",
              "n2-key.pem",
              "n2.pem",
              "tokens");
    }
    String token = Files.readString(dir.resolve("admin.token")).trim();
    String tokens = Files.readString(dir.resolve("tokens"));
    assertThat(tokens)
        .as(
            "the token file holds the admin by certificate and by the token's hash, never the token")
        .contains("admin cert cluster-admin,writer:*,secrets:*")
        .contains("sha256:" + io.horae.server.auth.TokenFile.hash(token))
        .doesNotContain(token);
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> assertThat(perms(f)).as(f.toString()).isEqualTo("rw-------"));
    }
  }

  @Test
  void certsTokenPrintsANewTokenOnceAndAddsOnlyItsHashWithItsGrants() throws Exception {
    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n1=127.0.0.1");
    Cli.Result r =
        Cli.horae(
            "certs",
            "token",
            "--dir",
            dir.toString(),
            "--name",
            "ci",
            "--grant",
            "writer:team-a,reader:team-*");

    assertThat(r.exitCode()).as(r.err()).isZero();
    String token = r.out().trim();
    assertThat(token).startsWith("horae_");
    io.horae.server.auth.Principal ci =
        io.horae.server.auth.TokenFile.parse(Files.readString(dir.resolve("tokens")))
            .byTokenHash()
            .get(io.horae.server.auth.TokenFile.hash(token));
    assertThat(ci.name()).isEqualTo("ci");
    assertThat(ci.allows(io.horae.server.auth.Role.WRITER, "team-a")).isTrue();
    assertThat(ci.allows(io.horae.server.auth.Role.WRITER, "team-b")).isFalse();
    assertThat(Files.readString(dir.resolve("tokens"))).doesNotContain(token);

    Cli.Result bad =
        Cli.horae("certs", "token", "--dir", dir.toString(), "--name", "x", "--grant", "owner:*");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("--grant owner:*").contains("unknown role");
  }

  @Test
  void aNodeCertificateNamesTheNodeAndItsHostsAndIsSignedByTheCa() throws Exception {
    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n1=127.0.0.21,node1.example");

    X509Certificate ca = Pem.readCertificates(dir.resolve("ca.pem")).get(0);
    List<X509Certificate> chain = Pem.readCertificates(dir.resolve("n1.pem"));
    X509Certificate n1 = chain.get(0);
    n1.verify(ca.getPublicKey());
    assertThat(chain).hasSize(2);
    assertThat(NodeIdentity.nodeId(n1)).contains("n1");
    assertThat(n1.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()))
        .contains("127.0.0.21", "node1.example", "localhost", "127.0.0.1");
    assertThat(n1.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(NodeIdentity.clientName(Pem.readCertificates(dir.resolve("admin.pem")).get(0)))
        .contains("admin");
    assertThat(Pem.readPrivateKey(dir.resolve("n1-key.pem")).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void aSecondRunKeepsTheCaAndAddsOnlyTheMissingNode() throws Exception {
    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n1=127.0.0.1");
    byte[] caBefore = Files.readAllBytes(dir.resolve("ca.pem"));
    byte[] n1Before = Files.readAllBytes(dir.resolve("n1.pem"));

    Cli.Result r =
        Cli.horae(
            "certs",
            "init",
            "--dir",
            dir.toString(),
            "--node",
            "n1=127.0.0.1",
            "--node",
            "n2=127.0.0.1");

    assertThat(r.out()).contains("n2.pem").doesNotContain("n1.pem").doesNotContain("ca.pem");
    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(caBefore);
    assertThat(Files.readAllBytes(dir.resolve("n1.pem"))).isEqualTo(n1Before);
    Pem.readCertificates(dir.resolve("n2.pem"))
        .get(0)
        .verify(Pem.readCertificates(dir.resolve("ca.pem")).get(0).getPublicKey());
  }

  @Test
  void forceReissuesTheLeavesUnderTheSameCa() throws Exception {
    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n1=127.0.0.1");
    byte[] caBefore = Files.readAllBytes(dir.resolve("ca.pem"));
    byte[] n1Before = Files.readAllBytes(dir.resolve("n1.pem"));

    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n1=127.0.0.1", "--force");

    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(caBefore);
    assertThat(Files.readAllBytes(dir.resolve("n1.pem"))).isNotEqualTo(n1Before);
  }

  @Test
  void newCaMakesABundleOfTheNewAndTheOldCaAndReissuesTheNamedLeavesUnderTheNewOne()
      throws Exception {
    Cli.horae(
        "certs",
        "init",
        "--dir",
        dir.toString(),
        "--node",
        "n1=127.0.0.1",
        "--node",
        "n2=127.0.0.1");
    X509Certificate oldCa = Pem.readCertificates(dir.resolve("ca.pem")).get(0);
    String tokensBefore = Files.readString(dir.resolve("tokens"));

    Cli.Result r =
        Cli.horae(
            "certs",
            "init",
            "--dir",
            dir.toString(),
            "--node",
            "n1=127.0.0.1",
            "--node",
            "n2=127.0.0.1",
            "--new-ca");

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<X509Certificate> bundle = Pem.readCertificates(dir.resolve("ca.pem"));
    assertThat(bundle).hasSize(2);
    assertThat(bundle.get(1)).isEqualTo(oldCa);
    X509Certificate newCa = bundle.get(0);
    for (String leaf : List.of("n1.pem", "n2.pem", "admin.pem")) {
      Pem.readCertificates(dir.resolve(leaf)).get(0).verify(newCa.getPublicKey());
    }
    assertThat(Files.readString(dir.resolve("tokens"))).as("tokens stay").isEqualTo(tokensBefore);
    // The CA key on disk is the new CA's: a later run issues under it.
    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n3=127.0.0.1");
    Pem.readCertificates(dir.resolve("n3.pem")).get(0).verify(newCa.getPublicKey());
  }

  @Test
  void dropOldCasIsRefusedWhileALeafIsOfAnOldCaAndThenKeepsOnlyTheNewCa() throws Exception {
    Cli.horae(
        "certs",
        "init",
        "--dir",
        dir.toString(),
        "--node",
        "n1=127.0.0.1",
        "--node",
        "n2=127.0.0.1");
    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n1=127.0.0.1", "--new-ca");

    Cli.Result refused = Cli.horae("certs", "init", "--dir", dir.toString(), "--drop-old-cas");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("n2.pem").contains("not of the new CA");
    assertThat(Pem.readCertificates(dir.resolve("ca.pem"))).hasSize(2);

    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n2=127.0.0.1", "--force");
    Cli.Result dropped = Cli.horae("certs", "init", "--dir", dir.toString(), "--drop-old-cas");

    assertThat(dropped.exitCode()).as(dropped.err()).isZero();
    assertThat(Pem.readCertificates(dir.resolve("ca.pem"))).hasSize(1);
    Pem.readCertificates(dir.resolve("n2.pem"))
        .get(0)
        .verify(Pem.readCertificates(dir.resolve("ca.pem")).get(0).getPublicKey());
    assertThat(perms(dir.resolve("ca.pem"))).isEqualTo("rw-------");
  }

  @Test
  void newCaWithoutNodesIsAUsageError() {
    Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n1=127.0.0.1");

    Cli.Result r = Cli.horae("certs", "init", "--dir", dir.toString(), "--new-ca");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--new-ca needs --config or --node");
  }

  @Test
  void aMalformedNodeIsAUsageError() {
    Cli.Result r = Cli.horae("certs", "init", "--dir", dir.toString(), "--node", "n1");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--node must be ID=HOST");
  }

  private static String perms(Path f) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
