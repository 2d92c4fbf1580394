package io.horae.bench;

import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;

/** The jobs the bench creates: one-shot POSTs to the receiver, in namespace {@value #NAMESPACE}. */
final class Jobs {
  static final String NAMESPACE = "bench";

  private Jobs() {}

  /**
   * A one-shot job due at {@code atMs}; its name doubles as the request id, so a retry is harmless.
   */
  static CreateJobRequest oneShot(String name, long atMs, String url) {
    Job job =
        Job.newBuilder()
            .setNamespace(NAMESPACE)
            .setName(name)
            .setSchedule(Schedule.newBuilder().setAtMs(atMs))
            .setTarget(Target.newBuilder().setUrl(url))
            .build();
    return CreateJobRequest.newBuilder().setJob(job).setRequestId(name).build();
  }

  /** The idempotency key of a one-shot job's only execution: {@code namespace/name@atMs}. */
  static String key(CreateJobRequest request) {
    Job job = request.getJob();
    return job.getNamespace() + "/" + job.getName() + "@" + job.getSchedule().getAtMs();
  }
}
