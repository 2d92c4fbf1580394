package io.horae.client.internal;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * How the client reaches the nodes: TLS (the default), trusting the JDK's roots or a given CA and
 * optionally presenting a client certificate, or plaintext when asked for. Not part of the public
 * API.
 *
 * @param plaintext no TLS at all; only for nodes that run with {@code tls.enabled=false}
 * @param caFile PEM of the CA to trust instead of the JDK's roots; null for the JDK's
 * @param certFile PEM of the client certificate (then its CA); null for none
 * @param keyFile PKCS#8 PEM of the client certificate's key; null for none
 * @param bearerToken sent as {@code authorization: Bearer <token>} on every call; null for none
 */
public record Transport(
    boolean plaintext, Path caFile, Path certFile, Path keyFile, String bearerToken) {
  private static final io.grpc.Metadata.Key<String> AUTHORIZATION =
      io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

  /** Starts the message of every IllegalArgumentException about these settings. */
  public static final String PREFIX = "TLS settings: ";

  /** TLS with the JDK's trusted roots and no client certificate. */
  public static final Transport DEFAULT = new Transport(false, null, null, null, null);

  /** Settings without a bearer token. */
  public Transport(boolean plaintext, Path caFile, Path certFile, Path keyFile) {
    this(plaintext, caFile, certFile, keyFile, null);
  }

  public Transport {
    if (bearerToken != null
        && (bearerToken.isBlank() || !bearerToken.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw new IllegalArgumentException(
          PREFIX
              + "a bearer token must be visible ASCII without spaces"); // Never the token itself.
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(
          PREFIX + "a client certificate needs both its certificate file and its key file");
    }
    if (plaintext && (caFile != null || certFile != null)) {
      throw new IllegalArgumentException(
          PREFIX + "plaintext excludes a CA file and a client certificate");
    }
  }

  /** Every setting but the bearer token, which shows only as set or not. */
  @Override
  public String toString() {
    return "Transport[plaintext="
        + plaintext
        + ", caFile="
        + caFile
        + ", certFile="
        + certFile
        + ", keyFile="
        + keyFile
        + ", bearerToken="
        + (bearerToken == null ? "null" : "(set)")
        + "]";
  }

  /**
   * Largest reply the client takes: a job the server accepted (its inbound limit is 4 MiB), a list
   * page (at most 2 MiB of items, at least one item), or an execution with its attempt history
   * (exec.attemptHistoryMax x exec.responseExcerptMax; 20 KiB by default).
   */
  public static final int INBOUND_MESSAGE_BYTES_MAX = 16 * 1024 * 1024;

  /** One channel per endpoint, made eagerly so that a bad file fails at build time. */
  public ManagedChannel channel(Endpoint e, SslContext ssl) {
    NettyChannelBuilder b =
        NettyChannelBuilder.forAddress(e.host(), e.port())
            .maxInboundMessageSize(INBOUND_MESSAGE_BYTES_MAX);
    if (bearerToken != null) {
      io.grpc.Metadata headers = new io.grpc.Metadata();
      headers.put(AUTHORIZATION, "Bearer " + bearerToken);
      b.intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return ssl == null ? b.usePlaintext().build() : b.sslContext(ssl).build();
  }

  /**
   * The TLS context of every channel, or null in plaintext.
   *
   * @throws IllegalArgumentException naming the file that is missing or not PEM
   */
  public SslContext sslContext() {
    if (plaintext) {
      return null;
    }
    try {
      SslContextBuilder b = GrpcSslContexts.forClient();
      if (caFile != null) {
        b.trustManager(readable(caFile, "CA file").toFile());
      }
      if (certFile != null) {
        // Read and presented here, not by Netty: see PemKey and FixedKeyManager.
        b.keyManager(
            new FixedKeyManager(
                PemKey.read(readable(keyFile, "client key")),
                certificates(readable(certFile, "client certificate"))));
      }
      return b.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(PREFIX + e.getMessage(), e);
    }
  }

  /** The certificate chain in a PEM file, the client's own certificate first. */
  private static X509Certificate[] certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate[] chain =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(in)
              .toArray(X509Certificate[]::new);
      if (chain.length == 0) {
        throw new IllegalArgumentException("client certificate " + file + " holds no certificate");
      }
      return chain;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "client certificate " + file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static Path readable(Path file, String what) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(what + " " + file + " is not readable");
    }
    return file;
  }
}
