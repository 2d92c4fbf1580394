package io.horae.server.api;

import com.google.protobuf.MessageLite;
import io.horae.api.v1.Execution;
import io.horae.api.v1.Job;
import io.horae.api.v1.ListView;
import java.util.List;

/**
 * What a list page sends: the basic view leaves out what can be large (a job's body, an execution's
 * attempt history), and a page ends before its items pass {@link #PAGE_BYTES_MAX} (at least one
 * item goes), well under the 4 MiB a gRPC client takes by default.
 */
final class ListPages {
  /** Bytes of the items of one list page. */
  static final int PAGE_BYTES_MAX = 2 * 1024 * 1024;

  private ListPages() {}

  static Execution view(Execution e, ListView view) {
    return view == ListView.LIST_VIEW_FULL || e.getAttemptsCount() == 0
        ? e
        : e.toBuilder().clearAttempts().build();
  }

  static Job view(Job j, ListView view) {
    return view == ListView.LIST_VIEW_FULL || j.getTarget().getBody().isEmpty()
        ? j
        : j.toBuilder().setTarget(j.getTarget().toBuilder().clearBody()).build();
  }

  /** How many leading items fit the page's byte budget: at least one when there are any. */
  static int fitting(List<? extends MessageLite> items) {
    long bytes = 0;
    for (int i = 0; i < items.size(); i++) {
      bytes += items.get(i).getSerializedSize() + 8; // + the field's tag and length
      if (bytes > PAGE_BYTES_MAX && i > 0) {
        return i;
      }
    }
    return items.size();
  }
}
