package io.horae.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.horae.server.config.ConfigLoader;
import io.horae.server.config.HoraeConfig;
import io.horae.server.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a node checks of its TLS files at start, and that plaintext is loud. No network: the
 * contexts are built, not used (TlsRefusalTest uses them against a cluster).
 */
class NodeTlsTest {
  @TempDir Path tmp;

  private static HoraeConfig config(String tlsEnabled) throws Exception {
    return ConfigLoader.fromProperties(config(tlsEnabled, null));
  }

  /** Node n1 alone, with the files of {@code certs} (or names of files that do not exist). */
  private static Properties config(String tlsEnabled, ClusterCerts certs) {
    Properties p = new Properties();
    p.setProperty("node.id", "n1");
    p.setProperty("node.dataDir", "data");
    p.setProperty("peers.n1.raft", "127.0.0.1:1");
    p.setProperty("peers.n1.api", "127.0.0.1:2");
    p.setProperty("peers.n1.admin", "127.0.0.1:3");
    p.setProperty("peers.n1.internal", "127.0.0.1:4");
    p.setProperty("tls.enabled", tlsEnabled);
    p.setProperty("tls.caFile", certs == null ? "ca.pem" : certs.caCert().toString());
    p.setProperty("tls.certFile", certs == null ? "n1.pem" : certs.cert("n1").toString());
    p.setProperty("tls.keyFile", certs == null ? "n1-key.pem" : certs.key("n1").toString());
    p.setProperty("auth.accessFile", "tokens");
    return p;
  }

  @Test
  void plaintextIsLoggedAtWarnNamingTheNodeAndTheKey() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(NodeTls.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try {
      NodeTls tls = NodeTls.load(config("false"), Set::of);

      assertThat(tls.enabled()).isFalse();
      assertThat(seen.list)
          .anySatisfy(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage())
                    .contains("tls.enabled=false")
                    .contains("node=n1");
              });
    } finally {
      log.detachAppender(seen);
    }
  }

  @Test
  void theAdminPortServesTheNodesCertificateByDefaultAndPlainHttpThereIsLoggedAtWarn()
      throws Exception {
    ClusterCerts certs = ClusterCerts.loopback(tmp, List.of("n1"));
    Properties p = config("true", certs);
    NodeTls https = NodeTls.load(ConfigLoader.fromProperties(p), Set::of);
    p.setProperty("admin.tls", "false");
    Logger log = (Logger) LoggerFactory.getLogger(NodeTls.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try {
      NodeTls plainAdmin = NodeTls.load(ConfigLoader.fromProperties(p), Set::of);

      assertThat(https.adminServer()).isNotNull();
      assertThat(plainAdmin.adminServer()).isNull();
      assertThat(plainAdmin.enabled()).as("the gRPC ports stay TLS").isTrue();
      assertThat(seen.list)
          .anySatisfy(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("admin.tls=false").contains("node=n1");
              });
    } finally {
      log.detachAppender(seen);
    }
  }

  @Test
  void goodFilesBuildEveryContext() throws Exception {
    ClusterCerts certs = ClusterCerts.loopback(tmp, List.of("n1"));

    TlsMaterial m = TlsMaterial.load(files(certs, "n1"), "n1");

    assertThat(m.caTrustManager().getAcceptedIssuers()).hasSize(1);
    assertThat(m.keyManager()).isNotNull();
  }

  @Test
  void aCertificateOfAnotherNodeStopsTheStartNamingTheKeyAndBothIds() throws Exception {
    ClusterCerts certs = ClusterCerts.loopback(tmp, List.of("n1", "n2"));

    assertThatThrownBy(() -> TlsMaterial.load(files(certs, "n2"), "n1"))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("tls.certFile=")
        .hasMessageContaining("names node n2, but node.id=n1");
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsTheStartNamingBothFiles() throws Exception {
    ClusterCerts certs = ClusterCerts.loopback(tmp, List.of("n1", "n2"));
    TlsConfig swapped =
        new TlsConfig(
            true,
            certs.caCert().toString(),
            certs.cert("n1").toString(),
            certs.key("n2").toString());

    assertThatThrownBy(() -> TlsMaterial.load(swapped, "n1"))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("tls.keyFile=" + certs.key("n2"))
        .hasMessageContaining("not the key of the certificate of tls.certFile=" + certs.cert("n1"));
  }

  @Test
  void aCertificateOfAnotherCaStopsTheStart() throws Exception {
    ClusterCerts ours = ClusterCerts.loopback(tmp.resolve("ours"), List.of("n1"));
    ClusterCerts theirs = ClusterCerts.loopback(tmp.resolve("theirs"), List.of("n1"));
    TlsConfig mixed =
        new TlsConfig(
            true,
            ours.caCert().toString(),
            theirs.cert("n1").toString(),
            theirs.key("n1").toString());

    assertThatThrownBy(() -> TlsMaterial.load(mixed, "n1"))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("not signed by the CA of tls.caFile");
  }

  @Test
  void aCaBundleTrustsEveryCaInItAndTheNodesOwnCertificateMayBeOfAnyOfThem() throws Exception {
    ClusterCerts oldCa = ClusterCerts.loopback(tmp.resolve("old"), List.of("n1"));
    ClusterCerts newCa = ClusterCerts.loopback(tmp.resolve("new"), List.of("n1"));
    Path bundle = tmp.resolve("bundle.pem");
    Files.writeString(bundle, Files.readString(oldCa.caCert()) + Files.readString(newCa.caCert()));

    TlsMaterial withNew =
        TlsMaterial.load(
            new TlsConfig(
                true, bundle.toString(), newCa.cert("n1").toString(), newCa.key("n1").toString()),
            "n1");
    TlsMaterial withOld =
        TlsMaterial.load(
            new TlsConfig(
                true, bundle.toString(), oldCa.cert("n1").toString(), oldCa.key("n1").toString()),
            "n1");

    assertThat(withNew.caTrustManager().getAcceptedIssuers()).hasSize(2);
    X509Certificate[] oldChain =
        Pem.readCertificates(oldCa.cert("n1")).toArray(X509Certificate[]::new);
    X509Certificate[] newChain =
        Pem.readCertificates(newCa.cert("n1")).toArray(X509Certificate[]::new);
    withNew.caTrustManager().checkClientTrusted(oldChain, "ECDHE_ECDSA");
    withOld.caTrustManager().checkServerTrusted(newChain, "ECDHE_ECDSA");
  }

  @Test
  void aBundleWithALeafCertificateOrACertificateOfNoCaInItStopsTheStart() throws Exception {
    ClusterCerts ours = ClusterCerts.loopback(tmp.resolve("ours"), List.of("n1"));
    ClusterCerts theirs = ClusterCerts.loopback(tmp.resolve("theirs"), List.of("n1"));
    Path withLeaf = tmp.resolve("with-leaf.pem");
    Files.writeString(
        withLeaf,
        Files.readString(ours.caCert())
            + Pem.certificates(List.of(Pem.readCertificates(ours.cert("n1")).get(0))));
    Path twoOfOurs = tmp.resolve("two.pem");
    Files.writeString(twoOfOurs, Files.readString(ours.caCert()) + Files.readString(ours.caCert()));

    assertThatThrownBy(
            () ->
                TlsMaterial.load(
                    new TlsConfig(
                        true,
                        withLeaf.toString(),
                        ours.cert("n1").toString(),
                        ours.key("n1").toString()),
                    "n1"))
        .hasMessageStartingWith("tls.caFile=")
        .hasMessageContaining("certificate 2 of 2")
        .hasMessageContaining("is not a CA certificate");
    assertThatThrownBy(
            () ->
                TlsMaterial.load(
                    new TlsConfig(
                        true,
                        twoOfOurs.toString(),
                        theirs.cert("n1").toString(),
                        theirs.key("n1").toString()),
                    "n1"))
        .hasMessageContaining("not signed by the CA of tls.caFile")
        .hasMessageContaining("by none of its 2 CA certificates");
  }

  @Test
  void aMissingOrForeignFileIsNamedWithoutItsContent() throws Exception {
    ClusterCerts certs = ClusterCerts.loopback(tmp, List.of("n1"));
    Path notAKey = tmp.resolve("not-a-key.pem");
    Files.writeString(notAKey, "secret-looking text\n");
    TlsConfig missingCa =
        new TlsConfig(
            true,
            tmp.resolve("none.pem").toString(),
            certs.cert("n1").toString(),
            certs.key("n1").toString());
    TlsConfig badKey =
        new TlsConfig(
            true, certs.caCert().toString(), certs.cert("n1").toString(), notAKey.toString());

    assertThatThrownBy(() -> TlsMaterial.load(missingCa, "n1"))
        .hasMessageStartingWith("tls.caFile=")
        .hasMessageContaining("horae certs init");
    assertThatThrownBy(() -> TlsMaterial.load(badKey, "n1"))
        .hasMessageStartingWith("tls.keyFile=")
        .hasMessageNotContaining("secret-looking");
  }

  private static TlsConfig files(ClusterCerts certs, String id) {
    return new TlsConfig(
        true, certs.caCert().toString(), certs.cert(id).toString(), certs.key(id).toString());
  }
}
