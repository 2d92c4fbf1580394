package io.horae.client;

import io.horae.api.v1.Execution;
import java.util.List;
import java.util.Objects;

/**
 * One page of a dead-letter listing. A page may hold fewer dead letters than asked for, even none,
 * and still have a successor: the server examines a bounded number of stored entries per page.
 *
 * @param deadLetters the DEAD executions of this page, oldest death first; never {@code null},
 *     immutable
 * @param nextPageToken pass in the next request, with the same filter; empty on the last page
 */
public record DeadLetterPage(List<Execution> deadLetters, String nextPageToken) {

  /** Copies {@code deadLetters} and replaces a {@code null} token by an empty string. */
  public DeadLetterPage {
    deadLetters = List.copyOf(deadLetters);
    nextPageToken = Objects.requireNonNullElse(nextPageToken, "");
  }

  /** Returns whether another page follows this one. */
  public boolean hasNextPage() {
    return !nextPageToken.isEmpty();
  }
}
