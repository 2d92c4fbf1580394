package io.horae.statemachine.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.api.v1.Job;
import io.horae.internal.v1.LabelRequirement;
import io.horae.internal.v1.ListJobsQuery;
import io.horae.internal.v1.QueryResult;

/** Read-only answers from one replica's state. */
public final class Queries {
  private Queries() {}

  /** The shard map, or an empty result before the first one is set. */
  public static QueryResult shardMap(StoreReader reader) {
    QueryResult.Builder out = QueryResult.newBuilder();
    byte[] bytes = reader.get(Family.META, Keys.META_SHARD_MAP);
    if (bytes != null) {
      try {
        out.setShardMap(io.horae.internal.v1.ShardMap.parseFrom(bytes));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new CorruptStateException("shard map does not parse", e);
      }
    }
    return out.build();
  }

  /** Dead letters of one namespace, filtered and bounded: see {@link DeadLetterQueries#list}. */
  public static QueryResult listDead(StoreReader reader, io.horae.internal.v1.ListDeadQuery q) {
    return DeadLetterQueries.list(reader, q);
  }

  public static QueryResult getJob(StoreReader reader, String namespace, String name) {
    byte[] bytes = reader.get(Family.JOBS, Keys.job(namespace, name));
    QueryResult.Builder out = QueryResult.newBuilder();
    if (bytes != null) {
      out.addJobs(parseJob(bytes));
    }
    return out.build();
  }

  /**
   * Up to {@code limit} jobs of the namespace in name order after {@code afterName} that pass the
   * filters (name prefix, states, label requirements). The page also ends, with more = true and
   * resume_after_name set, after scan_max jobs were examined or before the jobs' bytes pass
   * max_bytes (at least one job is always returned if one matches). With omit_bodies, the jobs come
   * (and count) without their webhook bodies.
   */
  public static QueryResult listJobs(StoreReader reader, ListJobsQuery q) {
    String ns = q.getNamespace();
    String prefix = q.getNamePrefix();
    byte[] from = Keys.job(ns, prefix);
    if (!q.getAfterName().isEmpty() && q.getAfterName().compareTo(prefix) >= 0) {
      from = Keys.job(ns, q.getAfterName() + "\0");
    }
    byte[] to = prefix.isEmpty() ? Keys.jobsEnd(ns) : Keys.prefixEnd(Keys.job(ns, prefix));
    QueryResult.Builder out = QueryResult.newBuilder();
    int limit = Math.max(1, q.getLimit());
    int scanMax = q.getScanMax() > 0 ? q.getScanMax() : Integer.MAX_VALUE;
    int[] examined = {0};
    long[] bytes = {0};
    String[] last = {null};
    reader.scan(
        Family.JOBS,
        from,
        to,
        scanMax == Integer.MAX_VALUE ? Integer.MAX_VALUE : scanMax + 1,
        (key, value) -> {
          if (out.getJobsCount() == limit || examined[0] == scanMax) {
            out.setMore(true);
            return false;
          }
          Job parsed = parseJob(value);
          Job job =
              q.getOmitBodies() && !parsed.getTarget().getBody().isEmpty()
                  ? parsed.toBuilder().setTarget(parsed.getTarget().toBuilder().clearBody()).build()
                  : parsed;
          if (!matches(job, q)) {
            examined[0]++;
            last[0] = job.getName();
            return true;
          }
          int size = job.getSerializedSize();
          if (q.getMaxBytes() > 0 && out.getJobsCount() > 0 && bytes[0] + size > q.getMaxBytes()) {
            out.setMore(true);
            return false;
          }
          examined[0]++;
          bytes[0] += size;
          last[0] = job.getName();
          out.addJobs(job);
          return true;
        });
    if (out.getMore() && last[0] != null) {
      out.setResumeAfterName(last[0]);
    }
    return out.build();
  }

  static boolean matches(Job job, ListJobsQuery q) {
    if (q.getStatesCount() > 0 && !q.getStatesList().contains(job.getState())) {
      return false;
    }
    for (LabelRequirement r : q.getLabelsList()) {
      String value = job.getLabelsMap().get(r.getKey());
      boolean ok =
          switch (r.getOp()) {
            case OP_EQUALS -> r.getValue().equals(value);
            case OP_NOT_EQUALS -> !r.getValue().equals(value);
            case OP_EXISTS -> value != null;
            case OP_NOT_EXISTS -> value == null;
            case OP_IN -> value != null && r.getValuesList().contains(value);
            case OP_NOT_IN -> value == null || !r.getValuesList().contains(value);
            case OP_UNSPECIFIED, UNRECOGNIZED -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Job parseJob(byte[] bytes) {
    try {
      return Job.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptStateException("job record does not parse", e);
    }
  }
}
