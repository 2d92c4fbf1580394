package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.internal.v1.ListExecutionsQuery;
import io.horae.internal.v1.QueryResult;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.ExecutionQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Execution reads against a real RocksDB: filters, pages and the bound on examined records. */
class ExecutionQueriesTest {
  private static final long T0 = 1_800_000_000_000L;

  @TempDir Path tmp;
  private RocksStore store;
  private long index;

  @BeforeEach
  void open() {
    store = RocksStore.open(tmp.resolve("db"));
    store.apply(1, ++index, of(shardMap(0, 1, owners(4, "n1"))));
    // Jobs "j0".."j9", each with one execution at T0 + i seconds; j3 and j7 cancelled.
    for (int i = 0; i < 10; i++) {
      store.apply(1, ++index, of(createAt("j" + i, T0 + i * 1000L, T0)));
    }
    store.apply(
        1, ++index, of(CancelApplyTest.cancel(ExecutionIds.of(NS, "j3", T0 + 3000), T0, 0)));
    store.apply(
        1, ++index, of(CancelApplyTest.cancel(ExecutionIds.of(NS, "j7", T0 + 7000), T0, 0)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void pagesFollowIdOrderAndTogetherHoldEveryMatchOnce() {
    List<String> seen = new ArrayList<>();
    String after = "";
    int pages = 0;
    do {
      QueryResult page =
          ExecutionQueries.list(
              store, query().setAfterId(after).setLimit(3).setScanMax(100).build());
      page.getExecutionsList().forEach(e -> seen.add(e.getJobName()));
      after = page.getMore() ? page.getResumeAfterId() : null;
      pages++;
    } while (after != null);

    assertThat(seen).containsExactly("j0", "j1", "j2", "j3", "j4", "j5", "j6", "j7", "j8", "j9");
    assertThat(pages).isEqualTo(4);
  }

  @Test
  void statusAndScheduledTimeFiltersCombine() {
    QueryResult cancelled =
        ExecutionQueries.list(
            store,
            query().addStatuses(ExecutionStatus.EXECUTION_STATUS_CANCELLED).setLimit(100).build());
    assertThat(cancelled.getExecutionsList())
        .extracting(Execution::getJobName)
        .containsExactly("j3", "j7");

    QueryResult window =
        ExecutionQueries.list(
            store,
            query()
                .addStatuses(ExecutionStatus.EXECUTION_STATUS_PENDING)
                .setScheduledFromMs(T0 + 2000)
                .setScheduledToMs(T0 + 6000)
                .setLimit(100)
                .build());
    assertThat(window.getExecutionsList())
        .extracting(Execution::getJobName)
        .containsExactly("j2", "j4", "j5");
    assertThat(window.getMore()).isFalse();
  }

  @Test
  void aSparseFilterStopsAfterScanMaxRecordsAndSaysWhereToResume() {
    QueryResult page =
        ExecutionQueries.list(
            store,
            query()
                .addStatuses(ExecutionStatus.EXECUTION_STATUS_CANCELLED)
                .setLimit(5)
                .setScanMax(2)
                .build());

    assertThat(page.getExecutionsList()).isEmpty();
    assertThat(page.getMore()).isTrue();
    assertThat(page.getResumeAfterId()).isEqualTo(ExecutionIds.of(NS, "j1", T0 + 1000));
  }

  @Test
  void aJobPrefixListsOnlyThatJob() {
    QueryResult page =
        ExecutionQueries.list(
            store,
            ListExecutionsQuery.newBuilder()
                .setPrefix(ExecutionIds.prefixOf(NS, "j1"))
                .setLimit(10)
                .build());
    assertThat(page.getExecutionsList()).extracting(Execution::getJobName).containsExactly("j1");
  }

  private static ListExecutionsQuery.Builder query() {
    return ListExecutionsQuery.newBuilder().setPrefix(NS + "/");
  }
}
