package io.horae.server.errors;

/**
 * A request carries a secret but this node has no cluster key ({@code secrets.keyFile}) to seal it
 * with. Nothing was written; answered as FAILED_PRECONDITION.
 */
public final class NoClusterKeyException extends RuntimeException {
  public NoClusterKeyException(String what) {
    super(
        what
            + " needs a cluster key to be stored encrypted, and this node has none: set secrets.keyFile (make one with: horae secrets keygen)");
  }
}
