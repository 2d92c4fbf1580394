package io.horae.server.api;

import io.grpc.stub.StreamObserver;
import io.horae.api.v1.NodeStatus;
import io.horae.internal.v1.LocalStatusRequest;
import io.horae.internal.v1.NodeServiceGrpc;
import java.util.function.Supplier;

/** Node-to-node: this node's own view, for ClusterService.GetStatus on any node. */
public final class NodeApi extends NodeServiceGrpc.NodeServiceImplBase {
  private final Supplier<NodeStatus> local;

  public NodeApi(Supplier<NodeStatus> local) {
    this.local = local;
  }

  @Override
  public void localStatus(LocalStatusRequest request, StreamObserver<NodeStatus> observer) {
    try {
      observer.onNext(local.get());
      observer.onCompleted();
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
    }
  }
}
