package io.horae.statemachine.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.internal.v1.NamespaceUsage;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.Quota;
import io.horae.internal.v1.RejectCode;
import java.util.Optional;

/**
 * What each namespace holds (jobs, live executions), kept in step by apply so that quotas are
 * checked with one point read: jobs on create and delete, live executions where the live index
 * gains or loses an entry ({@link ExecutionIndexes}).
 */
public final class NamespaceUsages {
  private NamespaceUsages() {}

  public static NamespaceUsage of(StoreReader reader, String namespace) {
    byte[] raw = reader.get(Family.META, Keys.nsUsage(namespace));
    if (raw == null) {
      return NamespaceUsage.getDefaultInstance();
    }
    try {
      return NamespaceUsage.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptStateException("usage record of " + namespace + " does not parse", e);
    }
  }

  static void add(Tx tx, String namespace, long jobs, long pending) {
    NamespaceUsage u = of(tx, namespace);
    NamespaceUsage next =
        u.toBuilder().setJobs(u.getJobs() + jobs).setPending(u.getPending() + pending).build();
    if (next.getJobs() == 0 && next.getPending() == 0) {
      tx.delete(Family.META, Keys.nsUsage(namespace));
    } else {
      tx.put(Family.META, Keys.nsUsage(namespace), next.toByteArray());
    }
  }

  /**
   * A rejection when adding {@code jobs} jobs and {@code pending} live executions would pass a
   * quota.
   */
  static Optional<OpResult> refusal(Tx tx, String namespace, Quota quota, long jobs, long pending) {
    if (quota.getJobsMax() <= 0 && quota.getPendingMax() <= 0) {
      return Optional.empty();
    }
    NamespaceUsage u = of(tx, namespace);
    if (jobs > 0 && quota.getJobsMax() > 0 && u.getJobs() + jobs > quota.getJobsMax()) {
      return Optional.of(
          Results.reject(
              RejectCode.REJECT_QUOTA,
              "namespace "
                  + namespace
                  + " holds "
                  + u.getJobs()
                  + " jobs, its quota is "
                  + quota.getJobsMax()
                  + " (quota.jobsMax); delete jobs or raise the quota"));
    }
    if (pending > 0
        && quota.getPendingMax() > 0
        && u.getPending() + pending > quota.getPendingMax()) {
      return Optional.of(
          Results.reject(
              RejectCode.REJECT_QUOTA,
              "namespace "
                  + namespace
                  + " holds "
                  + u.getPending()
                  + " live executions, its quota is "
                  + quota.getPendingMax()
                  + " (quota.pendingMax); retry when some have run"));
    }
    return Optional.empty();
  }
}
