package io.horae.server.tls;

import io.horae.server.auth.NodeIdentity;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the cluster CA and the certificates it signs: EC P-256 keys, SHA256withECDSA signatures.
 * Node certificates serve and present (server and client auth) and name the node in a URI SAN
 * ({@link NodeIdentity}); client certificates only present. The only user of BouncyCastle.
 */
public final class CertIssuer {
  /** How far back a new certificate's validity starts: clocks of the nodes may differ a little. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private final SecureRandom random;
  private final Clock clock;

  public CertIssuer(SecureRandom random, Clock clock) {
    this.random = random;
    this.clock = clock;
  }

  /** A key and its certificate. */
  public record Issued(KeyPair keys, X509Certificate cert) {}

  /** A fresh EC P-256 key pair. */
  public KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no EC P-256", e);
    }
  }

  /** A self-signed CA that may sign leaf certificates only (path length 0). */
  public Issued ca(String name, Duration validity) {
    KeyPair keys = newKeyPair();
    X500Name subject = name("Horae cluster CA " + name);
    JcaX509v3CertificateBuilder b = builder(subject, subject, keys, validity);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
    return new Issued(keys, sign(b, keys));
  }

  /**
   * A node certificate: CN and URI SAN {@code horae-node:<id>}, and a DNS or IP SAN for every host
   * the node is reached at, so that callers can verify the host name too.
   */
  public Issued node(Issued ca, String id, List<String> hosts, Duration validity) {
    List<GeneralName> names = new ArrayList<>();
    names.add(
        new GeneralName(GeneralName.uniformResourceIdentifier, NodeIdentity.NODE_SCHEME + id));
    for (String host : hosts) {
      names.add(
          isIpLiteral(host)
              ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host));
    }
    return leaf(
        ca,
        id,
        names,
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
        validity);
  }

  /** A client certificate: CN and URI SAN {@code horae-client:<name>}. */
  public Issued client(Issued ca, String name, Duration validity) {
    List<GeneralName> names =
        List.of(
            new GeneralName(
                GeneralName.uniformResourceIdentifier, NodeIdentity.CLIENT_SCHEME + name));
    return leaf(ca, name, names, new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, validity);
  }

  private Issued leaf(
      Issued ca, String cn, List<GeneralName> names, KeyPurposeId[] purposes, Duration validity) {
    KeyPair keys = newKeyPair();
    X500Name issuer = X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded());
    JcaX509v3CertificateBuilder b = builder(issuer, name(cn), keys, validity);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.cert()));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the certificate of " + cn, e);
    }
    return new Issued(keys, sign(b, ca.keys()));
  }

  private JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
    Instant now = clock.instant();
    BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial,
        Date.from(now.minus(BACKDATE)),
        Date.from(now.plus(validity)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }

  private static X500Name name(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Horae")
        .addRDN(BCStyle.CN, cn)
        .build();
  }

  /** IPv4 dotted quads and IPv6 literals; never resolves a name. */
  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    if (!host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      return false;
    }
    try {
      InetAddress.getByName(host); // A literal: no lookup happens.
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
