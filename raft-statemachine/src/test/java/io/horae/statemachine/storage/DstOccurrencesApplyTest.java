package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.create;
import static io.horae.statemachine.core.Ops.job;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static io.horae.statemachine.core.Ops.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Cron;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Queries;
import io.horae.statemachine.core.schedule.ScheduleMath;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: under DST_OVERLAP_BOTH a repeated local time becomes two occurrences, each with its own
 * scheduled time and execution id (so its own idempotency key), when the fire times are computed as
 * the proposers compute them and applied to a real RocksDB.
 */
class DstOccurrencesApplyTest {
  @TempDir Path tmp;

  private static long ms(String isoWithOffset) {
    return OffsetDateTime.parse(isoWithOffset).toInstant().toEpochMilli();
  }

  @Test
  void aRepeatedTimeUnderBothIsTwoOccurrencesWithTheirOwnExecutionIds() {
    Schedule s =
        Schedule.newBuilder()
            .setCron(
                Cron.newBuilder()
                    .setExpression("30 2 * * *")
                    .setTimeZone("Europe/Berlin")
                    .setDstOverlap(Cron.DstOverlap.DST_OVERLAP_BOTH))
            .build();
    long createdMs = ms("2026-10-25T00:00+02:00");
    long firstMs = ScheduleMath.firstFire(s, createdMs);
    long secondMs = ScheduleMath.nextFire(s, firstMs, 1, firstMs + 1_000, 60_000);

    try (TempStore db = new TempStore(tmp.resolve("db"))) {
      db.apply(of(shardMap(0, 1, owners(4, "n1"))));
      db.apply(of(create(job("nightly", s), "", firstMs, createdMs)));
      db.apply(
          of(
              succeeded(
                  "n1", 1, firstMs + 1_000, ExecutionIds.of(NS, "nightly", firstMs), secondMs)));

      String first = ExecutionIds.of(NS, "nightly", firstMs);
      String second = ExecutionIds.of(NS, "nightly", secondMs);
      assertThat(firstMs).isEqualTo(ms("2026-10-25T02:30+02:00"));
      assertThat(secondMs).isEqualTo(ms("2026-10-25T02:30+01:00"));
      assertThat(first).isNotEqualTo(second);
      assertThat(db.execution(first).getStatus())
          .isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
      assertThat(db.execution(second).getStatus())
          .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
      Job stored = Queries.getJob(db.store, NS, "nightly").getJobs(0);
      assertThat(stored.getNextFireMs()).isEqualTo(secondMs);
      assertThat(stored.getFireCount()).isEqualTo(2);
    }
  }
}
