package io.horae.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one certificate, as a server and as a client, whatever the peer asks for: a node's on
 * its API, admin and Raft ports and to its peers, and a test's client certificate, which must be
 * sent even when the server would not trust it. The JDK's key manager for a key and chain wants
 * them in a PKCS#12 key store, which encrypts the key with 10,000 rounds of PBKDF2 and decrypts it
 * again: about 40 ms of CPU for each of the six key managers a node made at start. The JDK's
 * handshake checks that the key fits the signature scheme it chose this alias for. Thread-safe:
 * immutable. (client-java has a client-only twin, since the client library does not depend on the
 * server.)
 */
public final class FixedKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "horae";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  public FixedKeyManager(PrivateKey key, X509Certificate[] chain) {
    this.key = key;
    this.chain = chain.clone();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return ALIAS;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return ALIAS;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
