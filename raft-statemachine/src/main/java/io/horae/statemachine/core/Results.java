package io.horae.statemachine.core;

import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.Rejection;

final class Results {
  private Results() {}

  static OpResult reject(RejectCode code, String message) {
    return OpResult.newBuilder()
        .setRejection(Rejection.newBuilder().setCode(code).setMessage(message))
        .build();
  }
}
