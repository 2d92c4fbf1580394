package io.horae.server.tls;

import io.horae.server.auth.NodeIdentity;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts a peer only if its certificate chains to the cluster CA and names a current member
 * ({@code horae-node:<id>}, {@link NodeIdentity}). Used on both ends of every node-to-node
 * connection: Ratis, the internal NodeService and the channels that call it. Membership is read at
 * each handshake, so a removed node's next connection fails.
 */
final class MemberTrustManager extends X509ExtendedTrustManager {
  private final X509TrustManager ca;
  private final Supplier<Set<String>> members;

  MemberTrustManager(X509TrustManager ca, Supplier<Set<String>> members) {
    this.ca = ca;
    this.members = members;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    ca.checkClientTrusted(chain, authType);
    checkMember(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    ca.checkServerTrusted(chain, authType);
    checkMember(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return ca.getAcceptedIssuers();
  }

  private void checkMember(X509Certificate[] chain) throws CertificateException {
    String id =
        NodeIdentity.nodeId(chain[0])
            .orElseThrow(() -> new CertificateException("the certificate names no Horae node"));
    if (!members.get().contains(id)) {
      throw new CertificateException("node " + id + " is not a member of this cluster");
    }
  }
}
