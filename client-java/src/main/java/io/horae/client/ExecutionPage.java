package io.horae.client;

import io.horae.api.v1.Execution;
import java.util.List;
import java.util.Objects;

/**
 * One page of an execution listing. A page may hold fewer executions than asked for, even none, and
 * still have a successor: the server examines a bounded number of stored executions per page.
 *
 * @param executions the executions of this page, in id order; never {@code null}, immutable
 * @param nextPageToken pass in the next request, with the same filters; empty on the last page
 */
public record ExecutionPage(List<Execution> executions, String nextPageToken) {

  /** Copies {@code executions} and replaces a {@code null} token by an empty string. */
  public ExecutionPage {
    executions = List.copyOf(executions);
    nextPageToken = Objects.requireNonNullElse(nextPageToken, "");
  }

  /** Returns whether another page follows this one. */
  public boolean hasNextPage() {
    return !nextPageToken.isEmpty();
  }
}
