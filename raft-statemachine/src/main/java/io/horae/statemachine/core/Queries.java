package io.horae.statemachine.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.api.v1.Job;
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

  /** Up to {@code limit} jobs of the namespace in name order after {@code afterName}. */
  public static QueryResult listJobs(StoreReader reader, ListJobsQuery q) {
    byte[] from =
        q.getAfterName().isEmpty()
            ? Keys.jobsOf(q.getNamespace())
            : Keys.job(q.getNamespace(), q.getAfterName() + "\0");
    QueryResult.Builder out = QueryResult.newBuilder();
    int limit = Math.max(1, q.getLimit());
    reader.scan(
        Family.JOBS,
        from,
        Keys.jobsEnd(q.getNamespace()),
        limit + 1,
        (key, value) -> {
          if (out.getJobsCount() == limit) {
            out.setMore(true);
            return false;
          }
          out.addJobs(parseJob(value));
          return true;
        });
    return out.build();
  }

  private static Job parseJob(byte[] bytes) {
    try {
      return Job.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptStateException("job record does not parse", e);
    }
  }
}
