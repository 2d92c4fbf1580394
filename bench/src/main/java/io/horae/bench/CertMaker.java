package io.horae.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Makes the cluster CA, one certificate per node and the admin's credentials for a cluster the
 * bench starts itself. The bench knows no certificate library; {@code horae bench} passes one
 * backed by {@code horae certs init}'s code.
 */
@FunctionalInterface
public interface CertMaker {
  /**
   * The files made in {@code dir}.
   *
   * @param ca the cluster CA's certificate
   * @param certs node id to its certificate
   * @param keys node id to its key
   * @param adminCert the admin's client certificate, which {@code accessFile} grants everything
   * @param adminKey its key
   * @param adminToken a file holding the admin's bearer token, for a cluster run in plaintext
   * @param accessFile the nodes' {@code auth.accessFile}
   * @param caTrust a TLS context that trusts {@code ca} only, for HTTPS to the nodes' admin ports
   */
  record Files(
      Path ca,
      Map<String, Path> certs,
      Map<String, Path> keys,
      Path adminCert,
      Path adminKey,
      Path adminToken,
      Path accessFile,
      SSLContext caTrust) {}

  Files make(Path dir, List<String> nodeIds) throws IOException;
}
