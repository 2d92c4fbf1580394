package io.horae.server.errors;

import com.google.rpc.Code;

/**
 * Why the server ended (or refused) a stream: the watcher fell behind, too many streams are open
 * (on the node, or of this client), or this node's state was replaced from a snapshot. {@link
 * GrpcErrors} maps it.
 *
 * <p>(raised by the watch hub)
 */
public final class StreamEndedException extends RuntimeException {
  /** What ended the stream; {@code code} is the gRPC status code it is answered with. */
  public enum Reason {
    WATCH_LAGGED(Code.RESOURCE_EXHAUSTED),
    WATCH_STREAMS_FULL(Code.RESOURCE_EXHAUSTED),
    /** This client holds its share of streams; retrying helps only after it closes one. */
    WATCH_CLIENT_STREAMS_FULL(Code.RESOURCE_EXHAUSTED),
    STATE_RESTORED(Code.ABORTED),
    NODE_CLOSING(Code.UNAVAILABLE);

    final Code code;

    Reason(Code code) {
      this.code = code;
    }
  }

  private final Reason reason;

  public StreamEndedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
