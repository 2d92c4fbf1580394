package io.horae.bench;

import io.horae.client.HoraeClient;

/**
 * What every scenario works with. {@code cluster} is null when the bench drives given endpoints.
 */
record BenchContext(
    HoraeClient client,
    Receiver receiver,
    LocalCluster cluster,
    MemorySampler memory,
    CostMeter cost,
    BenchOptions options,
    Progress progress,
    String run) {
  /** The job name of item {@code i} of a scenario; names are unique per run. */
  String name(String scenario, long i) {
    return scenario + "-" + run + "-" + i;
  }

  /** The idempotency-key prefix of a scenario's executions. */
  String keyPrefix(String scenario) {
    return Jobs.NAMESPACE + "/" + scenario + "-" + run + "-";
  }

  Loader loader() {
    return new Loader(client);
  }
}
